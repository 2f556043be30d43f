"""numpy peer for `npm run bench`: times one operation in this process and prints the median seconds per call.

Usage: python3 numpy_peer.py '{"op": "matmul", "n": 512}'   (threads are set by the caller through
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before numpy loads). Ops: matmul (n x n times n x n), gram (X^T X of
m x d), tall (m x k times k x n), normals (n standard normals, default_rng), svd (thin SVD of m x n, gesdd).
Prints JSON {"seconds": median, "reps": r, "blas": name}.
"""
import json
import sys
import time

import numpy as np


def blas_name():
    try:
        cfg = np.__config__.CONFIG  # numpy >= 1.25
        return cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        pass
    try:
        import ctypes.util
        for lib in ("openblas", "blas"):
            if ctypes.util.find_library(lib):
                return lib
    except Exception:
        pass
    return "unknown"


def main():
    spec = json.loads(sys.argv[1])
    op = spec["op"]
    rng = np.random.default_rng(1)
    if op == "matmul":
        n = spec["n"]
        a, b = rng.random((n, n)) * 2 - 1, rng.random((n, n)) * 2 - 1
        fn = lambda: a @ b
    elif op == "gram":
        x = rng.random((spec["m"], spec["d"])) * 2 - 1
        fn = lambda: x.T @ x
    elif op == "tall":
        a, b = rng.random((spec["m"], spec["k"])) * 2 - 1, rng.random((spec["k"], spec["n"])) * 2 - 1
        fn = lambda: a @ b
    elif op == "normals":
        g = np.random.default_rng(42)
        n = spec["n"]
        fn = lambda: g.standard_normal(n)
    elif op == "gradvar":
        # The same estimator as hardlearn's cos case: X n x d standard normal and W J x d on the radius-r sphere
        # given (sampling excluded, as in the "X given" hardlearn row); per block b of rows, G_b = (2/n_b) X_b^T
        # diag(sin X_b theta) cos(X_b W^T) (two GEMMs), then the U-statistic over block pairs of the centred G_b.
        n, d, J, K = spec["n"], spec["d"], spec["J"], spec.get("K", 8)
        x = rng.standard_normal((n, d))
        w = rng.standard_normal((J, d))
        w *= spec.get("r", 2.0) / np.linalg.norm(w, axis=1, keepdims=True)
        theta = np.zeros(d)
        theta[0] = 1.0
        bounds = [(b * n) // K for b in range(K + 1)]

        def fn():
            sn = np.sin(x @ theta)
            gs = []
            for b in range(K):
                xb = x[bounds[b]:bounds[b + 1]]
                z = xb @ w.T
                np.cos(z, out=z)
                g = (xb * (2.0 / len(xb) * sn[bounds[b]:bounds[b + 1]])[:, None]).T @ z  # d x J
                gs.append(g - g.mean(axis=1, keepdims=True))
            est = 0.0
            for b in range(K):
                for l in range(b + 1, K):
                    est += 2.0 * np.sum(gs[b] * gs[l]) / (J - 1)
            return est / (K * (K - 1))
    elif op == "svd":
        a = rng.standard_normal((spec["m"], spec["n"]))
        fn = lambda: np.linalg.svd(a, full_matrices=False)
    else:
        raise SystemExit(f"unknown op {op}")
    fn()
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-7)
    reps = max(3, min(200, int(1.5 / one)))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({"seconds": times[len(times) // 2], "reps": reps, "blas": blas_name()}))


if __name__ == "__main__":
    main()
