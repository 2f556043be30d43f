import { createEngine } from "../src/index.js";
import { randMatrix } from "./helpers.js";
const e = await createEngine();
for (const [m,n] of [[1000,500],[20000,100],[1000,500],[20000,100],[2000,50],[500,500]]) { const A = randMatrix(m,n,1); const t=process.cpuUsage(); const r = e.svd(A); const u = process.cpuUsage(t); console.log(m,n,"cpu",((u.user+u.system)/1000).toFixed(0),"ms sweeps", r.sweeps); }
