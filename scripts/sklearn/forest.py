"""Side-by-side reference for the forest benchmark (never used at run time).

Reads a numeric CSV written by scripts/bench/forest.ts: feature columns (categorical features
already as integer codes, empty cells for missing values), then `label` and `is_test`. Trains
RandomForestClassifier on the rows with is_test == 0 and prints one JSON line with the training
and scoring seconds and the held-out ROC AUC.

Usage: python3 scripts/sklearn/forest.py data.csv [n_estimators] [n_jobs] [min_samples_leaf]
"""

import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score


def main() -> None:
    path = sys.argv[1]
    n_estimators = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    n_jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    min_samples_leaf = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64)
    x = data[:, :-2]
    y = data[:, -2].astype(int)
    is_test = data[:, -1] == 1
    # This scikit-learn's forests reject NaN: give missing values a value below every real one,
    # so a tree can still split them off on their own.
    for j in range(x.shape[1]):
        column = x[:, j]
        missing = np.isnan(column)
        if missing.any():
            column[missing] = np.nanmin(column) - 1.0
    model = RandomForestClassifier(
        n_estimators=n_estimators, n_jobs=n_jobs, random_state=0, min_samples_leaf=min_samples_leaf
    )
    start = time.perf_counter()
    model.fit(x[~is_test], y[~is_test])
    train_seconds = time.perf_counter() - start
    start = time.perf_counter()
    scores = model.predict_proba(x[is_test])[:, 1]
    score_seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "trainSeconds": train_seconds,
                "scoreSeconds": score_seconds,
                "auc": float(roc_auc_score(y[is_test], scores)),
                "trainRows": int((~is_test).sum()),
                "testRows": int(is_test.sum()),
            }
        )
    )


if __name__ == "__main__":
    main()
