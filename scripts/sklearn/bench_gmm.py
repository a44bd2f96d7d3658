"""scikit-learn GaussianMixture side-by-side for the clustering-methods bench.

Fits on exactly the rows segbot's EM ran on (a seeded sample, passed as int32 indices), then scores
every row, and prints lines in the bench's table format.

usage: bench_gmm.py <matrix.f64> <rows> <cols> <sample.i32> <k>
"""
import sys

import numpy as np
import sklearn
from bench_segmentation import line, timed  # same table format as the segmentation bench
from sklearn.mixture import GaussianMixture


path, rows, cols, sample_path, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
X = np.fromfile(path, dtype=np.float64).reshape(rows, cols)
sample = X[np.fromfile(sample_path, dtype=np.int32)]
for covariance in ("full", "diag"):
    gm = GaussianMixture(n_components=k, covariance_type=covariance, random_state=42)
    _, ms, cpu = timed(lambda: gm.fit(sample))
    line(
        "sklearn %s GaussianMixture %s k=%d EM" % (sklearn.__version__, covariance, k),
        sample.shape[0],
        ms,
        cpu,
        "LL/row %.3f, %d iterations" % (gm.score(sample), gm.n_iter_),
    )
    _, ms, cpu = timed(lambda: gm.predict_proba(X))
    line("sklearn predict_proba all rows (%s)" % covariance, rows, ms, cpu)
