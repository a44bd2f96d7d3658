"""Side-by-side reference for the model benchmark (never used at run time).

Reads a CSV written by scripts/bench/models.ts: the feature columns segbot trained on (categories
as integer codes, empty cells for missing values), then `label` and `is_test`, on exactly segbot's
train/test split. Trains HistGradientBoostingClassifier (defaults, categories declared) and
RandomForestClassifier (100 trees) on the rows with is_test == 0 and prints one JSON line with
each one's held-out ROC AUC and training seconds.

Usage: python3 scripts/sklearn/models.py data.csv categorical_indices(comma-separated or -) [n_jobs]
"""

import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score


def main() -> None:
    path = sys.argv[1]
    categorical = [] if sys.argv[2] == "-" else [int(i) for i in sys.argv[2].split(",")]
    n_jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64)
    x = data[:, :-2]
    y = data[:, -2].astype(int)
    is_test = data[:, -1] == 1
    mask = np.zeros(x.shape[1], dtype=bool)
    mask[categorical] = True
    out = {}
    hgb = HistGradientBoostingClassifier(categorical_features=mask if mask.any() else None, random_state=0)
    start = time.perf_counter()
    hgb.fit(x[~is_test], y[~is_test])
    out["hgbSeconds"] = time.perf_counter() - start
    out["hgbAuc"] = float(roc_auc_score(y[is_test], hgb.predict_proba(x[is_test])[:, 1]))
    out["hgbIterations"] = int(hgb.n_iter_)
    # This scikit-learn's forests reject NaN: give missing values a value below every real one.
    filled = x.copy()
    for j in range(filled.shape[1]):
        column = filled[:, j]
        missing = np.isnan(column)
        if missing.any():
            column[missing] = np.nanmin(column) - 1.0
    rf = RandomForestClassifier(n_estimators=100, n_jobs=n_jobs, random_state=0)
    start = time.perf_counter()
    rf.fit(filled[~is_test], y[~is_test])
    out["rfSeconds"] = time.perf_counter() - start
    out["rfAuc"] = float(roc_auc_score(y[is_test], rf.predict_proba(filled[is_test])[:, 1]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
