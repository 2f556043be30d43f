import { createEngine } from "../src/index.js";
import { randMatrix } from "./helpers.js";
import { withSingularValues, orthError, fro } from "./svd_helpers.js";
const e = await createEngine();
function recon(A: any, U: any, S: Float64Array, V: any) {
  // ||A - U S V^T||_F via row blocks (k small enough)
  const m = A.rows, n = A.cols, k = S.length; let err = 0;
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) { row.fill(0); for (let c = 0; c < k; c++) { const a = U.data[i*k+c]*S[c]; for (let j = 0; j < n; j++) row[j] += a * V.data[j*k+c]; } for (let j = 0; j < n; j++) err += (A.data[i*n+j]-row[j])**2; }
  return Math.sqrt(err) / fro(A.data);
}
const cases: [string, any, Float64Array | null][] = [];
for (const [m,n] of [[129,129],[300,40],[40,300],[2000,50],[1000,500],[20000,100]]) cases.push([`random ${m}x${n}`, randMatrix(m,n,7), null]);
for (const [m,n] of [[300,40],[1000,200],[200,200]]) { const k = Math.min(m,n); const s = Float64Array.from({length:k},(_, i)=>10**(-12*i/(k-1))); cases.push([`graded ${m}x${n}`, withSingularValues(m,n,s,3), s]); }
for (const [m,n,r] of [[300,100,37],[100,300,99]]) { const s = Float64Array.from({length:r},(_, i)=>2-i/r); const full = new Float64Array(Math.min(m,n)); full.set(s); cases.push([`rank ${r} ${m}x${n}`, withSingularValues(m,n,s,5), full]); }
for (const [name, A, s] of cases) {
  const r = e.svd(A);
  let sErr = NaN; if (s) { sErr = 0; for (let i = 0; i < s.length; i++) sErr = Math.max(sErr, Math.abs(r.S[i]-s[i])/s[0]); }
  console.log(`| ${name} | ${recon(A, r.U, r.S, r.V).toExponential(1)} | ${orthError(r.U).toExponential(1)} | ${orthError(r.V).toExponential(1)} | ${s ? sErr.toExponential(1) : "-"} | ${r.rank} | ${r.sweeps} |`);
}
