"""pandas groupby on the same transaction file segbot aggregates (npm run bench transactions).

Prints one line: TIME <seconds> RSS <peak MB> CUSTOMERS <n>. The features match segbot's core ones:
last and first date, count and sum of amounts per customer, distinct merchants, recency and tenure as
of the last date.
"""
import resource
import sys
import time

import pandas as pd

start = time.perf_counter()
frame = pd.read_csv(sys.argv[1], usecols=["customer_id", "date", "amount", "merchant"], parse_dates=["date"])
grouped = frame.groupby("customer_id").agg(
    first=("date", "min"), last=("date", "max"), frequency=("amount", "size"), monetary=("amount", "sum"),
    merchants_used=("merchant", "nunique"),
)
as_of = frame["date"].max()
grouped["recency_days"] = (as_of - grouped["last"]).dt.days
grouped["tenure_days"] = (as_of - grouped["first"]).dt.days
grouped["avg_ticket"] = grouped["monetary"] / grouped["frequency"]
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"TIME {seconds:.2f} RSS {peak_mb:.0f} CUSTOMERS {len(grouped)}")
