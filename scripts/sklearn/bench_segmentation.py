"""scikit-learn side-by-side for the segmentation bench.

Reads the already preprocessed matrix segbot clustered (raw float64, row-major) so both sides work
on identical numbers, and prints lines in the bench's table format.

usage: bench_segmentation.py size|cc <matrix.f64> <rows> <cols>
"""
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def fmt(ms):
    return "%.1f s" % (ms / 1000) if ms >= 10000 else "%.0f ms" % ms


def line(stage, rows, ms, cpu_ms, note=""):
    print(
        "%-44s %10s %9s %9s %9s  %s"
        % (stage, "{:,}".format(rows), fmt(ms), fmt(cpu_ms), "%d MB" % peak_mb(), note),
        flush=True,
    )


def timed(run):
    cpu = time.process_time()
    start = time.perf_counter()
    value = run()
    return value, (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def main():
    mode, path, rows, cols = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    X = np.fromfile(path, dtype=np.float64).reshape(rows, cols)
    tag = "sklearn %s" % sklearn.__version__
    if mode == "cc":
        km, ms, cpu = timed(lambda: KMeans(4, n_init=10, random_state=42).fit(X))
        line("%s KMeans k=4, n_init=10 (CC GENERAL)" % tag, rows, ms, cpu, "inertia %.1f" % km.inertia_)
        return
    km, ms, cpu = timed(lambda: KMeans(6, n_init=1, random_state=42).fit(X))
    line("%s KMeans k=6, n_init=1" % tag, rows, ms, cpu, "inertia %.0f, %d iterations" % (km.inertia_, km.n_iter_))
    km10, ms, cpu = timed(lambda: KMeans(6, n_init=10, random_state=42).fit(X))
    line("%s KMeans k=6, n_init=10" % tag, rows, ms, cpu, "inertia %.0f" % km10.inertia_)
    _, ms, cpu = timed(lambda: PCA(2).fit_transform(X))
    line("%s PCA (2 components)" % tag, rows, ms, cpu)
    sample = min(rows, 5000)
    score, ms, cpu = timed(lambda: silhouette_score(X, km10.labels_, sample_size=sample, random_state=42))
    line("%s silhouette k=6 (sample %d)" % (tag, sample), rows, ms, cpu, "%.3f" % score)


if __name__ == "__main__":
    main()
