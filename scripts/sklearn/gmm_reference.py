"""Writes the scikit-learn GaussianMixture reference used by test/unit/analytics/cluster/gmm.test.ts.

Run once: /usr/bin/python3 scripts/sklearn/gmm_reference.py test/fixtures/gmm
Three correlated 3-D blobs (numpy seed 7), 360 rows, fitted with full and diagonal covariances.
"""
import json
import sys

import numpy as np
from sklearn.mixture import GaussianMixture

SEED = 7
out = sys.argv[1]
rng = np.random.default_rng(SEED)
centres = np.array([[0.0, 0.0, 0.0], [4.0, 1.0, -2.0], [-3.0, 4.0, 2.0]])
sizes = [180, 120, 60]
parts = []
for centre, size in zip(centres, sizes):
    a = rng.normal(size=(3, 3)) * 0.6
    parts.append(rng.normal(size=(size, 3)) @ a + centre)
X = np.vstack(parts)
np.savetxt(f"{out}/blobs.csv", X, delimiter=",", fmt="%.10f", header="x,y,z", comments="")
reference = {"seed": SEED, "rows": int(X.shape[0])}
for covariance in ("full", "diag"):
    gm = GaussianMixture(n_components=3, covariance_type=covariance, random_state=0, tol=1e-6, max_iter=500)
    gm.fit(X)
    order = np.argsort(gm.means_[:, 0])
    reference[covariance] = {
        "meanLogLikelihood": float(gm.score(X)),
        "bic": float(gm.bic(X)),
        "weights": gm.weights_[order].tolist(),
        "means": gm.means_[order].tolist(),
    }
with open(f"{out}/sklearn-reference.json", "w") as f:
    json.dump(reference, f, indent=2)
    f.write("\n")
