"""scikit-learn's segmentation pipeline, for the head-to-head in the segmentation bench.

pandas read_csv, median imputation, StandardScaler, KMeans(k, n_init=1) on every numeric column of
a customer CSV (the id column is left out). Prints one line of stage times and the inertia, which
the bench reads.

usage: segment_pipeline.py <customers.csv> <k> <seed>
"""
import sys
import time

start = time.perf_counter()
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


def main():
    path, k, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    imported = time.perf_counter()
    frame = pd.read_csv(path)
    numeric = frame.select_dtypes("number")
    read = time.perf_counter()
    X = SimpleImputer(strategy="median").fit_transform(numeric)
    X = StandardScaler().fit_transform(X)
    prepared = time.perf_counter()
    model = KMeans(k, n_init=1, random_state=seed).fit(X)
    done = time.perf_counter()
    print(
        "SKLEARN import_ms=%.0f read_ms=%.0f preprocess_ms=%.0f kmeans_ms=%.0f rows=%d cols=%d inertia=%.1f iterations=%d"
        % (
            (imported - start) * 1000,
            (read - imported) * 1000,
            (prepared - read) * 1000,
            (done - prepared) * 1000,
            X.shape[0],
            X.shape[1],
            model.inertia_,
            model.n_iter_,
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
