// The SVD and whitening batteries (svd.test.ts, whiten.test.ts) once more, on the second SVD algorithm
// (Householder bidiagonalization + implicit-QR bidiagonal SVD, assembly/linalg/svd_bidiag_f64.ts), forced through
// the internal path switch: both algorithms must meet the same contract, whichever one the dispatch picks.
await import("./svd.test.ts?path=bidiag");
await import("./whiten.test.ts?path=bidiag");
