/**
 * The self-contained HTML report: inline CSS, inline SVG figures (Vega-Lite rendered by src/report/render.ts),
 * tables and one sentence per claim. No scripts, no external resources: it opens from disk, offline.
 */
import type { Claim, EngineCheck, ExperimentResult, ReproduceResults, Verdict } from "./types.js";
import { renderSvg } from "./render.js";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const VERDICT_CLASS: Record<Verdict, string> = {
  "reproduced": "ok",
  "not resolvable at this size": "unres",
  "contradicts the paper": "contra",
  "inconclusive (control failed)": "na",
  "not checked (experiment failed)": "na",
};

const CSS = `
:root { --fg:#1d1d1f; --muted:#666; --line:#ddd; --ok:#1a7f37; --unres:#9a6700; --contra:#cf222e; --na:#6e7781; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 40px 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .muted { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; color: white; white-space: nowrap; }
.badge.ok { background: var(--ok); } .badge.unres { background: var(--unres); } .badge.contra { background: var(--contra); } .badge.na { background: var(--na); }
ul.claims { list-style: none; padding: 0; } ul.claims li { margin: 6px 0; }
figure { display: inline-block; margin: 8px 16px 8px 0; vertical-align: top; max-width: 100%; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: var(--muted); max-width: 520px; }
details { margin: 8px 0; font-size: 13px; } pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: 8px; }
.status-failed { color: var(--contra); }
.rule { color: var(--muted); font-size: 13px; margin-left: 4px; }
td.pass { color: var(--ok); font-weight: 600; } td.fail { color: var(--contra); font-weight: 600; }
`;

function badge(v: Verdict): string {
  return `<span class="badge ${VERDICT_CLASS[v]}">${escapeHtml(v)}</span>`;
}

function claimItem(c: Claim): string {
  const control = c.control ? `<br><span class="rule"><b>Control:</b> ${escapeHtml(c.control.description)} — ${c.control.passed ? "passed" : "FAILED"}.</span>` : "";
  return `<li>${badge(c.verdict)} <b>${escapeHtml(c.source)}</b> — <i>${escapeHtml(c.claim)}</i>.<br>${escapeHtml(c.sentence)}`
    + `<br><span class="rule"><b>Rule (fixed before the run):</b> ${escapeHtml(c.rule)}</span>`
    + `<br><span class="rule"><b>Would fail if:</b> ${escapeHtml(c.failsIf)}</span>${control}</li>`;
}

function checkRow(k: EngineCheck, e: ExperimentResult): string {
  return `<tr><td><a href="#${escapeHtml(e.id)}">${escapeHtml(e.id)}</a></td><td>${escapeHtml(k.check)}</td><td>${escapeHtml(k.rule)}</td><td class="${k.passed ? "pass" : "fail"}">${k.passed ? "pass" : "FAIL"}</td><td>${escapeHtml(k.sentence)}</td></tr>`;
}

function cell(v: string | number): string {
  if (typeof v === "number") return `<td class="num">${escapeHtml(formatCell(v))}</td>`;
  return `<td>${escapeHtml(v)}</td>`;
}

function formatCell(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  return Number(x.toPrecision(5)).toString();
}

async function section(e: ExperimentResult): Promise<string> {
  const parts: string[] = [];
  parts.push(`<h2 id="${escapeHtml(e.id)}">${escapeHtml(e.title)}</h2>`);
  parts.push(`<div class="meta">${escapeHtml(e.paper)}, ${escapeHtml(e.section)} · ${e.seconds.toFixed(2)} s · seeds ${escapeHtml(Object.entries(e.seeds).map(([k, v]) => `${k}=${v}`).join(", "))}${e.status !== "ok" ? ` · <span class="status-${e.status}">${escapeHtml(e.status)}: ${escapeHtml(e.reason ?? "")}</span>` : ""}</div>`);
  parts.push(`<ul class="claims">${e.claims.map(claimItem).join("")}</ul>`);
  for (const f of e.figures) {
    const svg = await renderSvg(f.spec);
    parts.push(`<figure id="fig-${escapeHtml(f.id)}">${svg}<figcaption><b>${escapeHtml(f.title)}.</b> ${escapeHtml(f.caption)}</figcaption></figure>`);
  }
  for (const t of e.tables) {
    parts.push(`<h3>${escapeHtml(t.title)}</h3><table><thead><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody></table>`);
  }
  if (Object.keys(e.params).length) {
    parts.push(`<details><summary>parameters</summary><pre>${escapeHtml(JSON.stringify(e.params, null, 1))}</pre></details>`);
  }
  return parts.join("\n");
}

/** Render the whole report (async: figures are rendered by Vega). */
export async function renderReport(r: ReproduceResults): Promise<string> {
  const sections: string[] = [];
  for (const e of r.experiments) sections.push(await section(e));
  const allClaims = r.experiments.flatMap((e) => e.claims.map((c) => ({ c, e })));
  const summaryRows = allClaims.map(({ c, e }) => `<tr><td><a href="#${escapeHtml(e.id)}">${escapeHtml(c.source)}</a></td><td>${escapeHtml(c.claim)}</td><td>${badge(c.verdict)}</td></tr>`).join("");
  const checks = r.experiments.flatMap((e) => e.checks.map((k) => checkRow(k, e))).join("");
  const counts = (Object.entries(r.summary) as [Verdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${badge(v)}`).join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>hardlearn — reproduction report</title><style>${CSS}</style></head>
<body><main>
<h1>hardlearn reproduction report</h1>
<div class="meta">Shamir, “Distribution-Specific Hardness of Learning Neural Networks” (JMLR 2018) · Daniely &amp; Vardi, “Hardness of Learning Neural Networks with Natural Weights” (NeurIPS 2020)</div>
<p class="meta">hardlearn ${escapeHtml(r.tool.version)} · size <b>${escapeHtml(r.size)}</b> · base seed ${r.seed} · ${r.threads} thread(s) · ${r.totalSeconds.toFixed(1)} s on ${r.machine.cpus} × ${escapeHtml(r.machine.cpuModel)} · ${escapeHtml(Object.entries(r.versions).map(([k, v]) => `${k} ${v.length > 20 ? v.slice(0, 12) + "…" : v}`).join(", "))} · started ${escapeHtml(r.startedAt)}</p>
<p>Each row below is a claim one of the papers makes, judged by a decision rule that was written before the numbers were computed; the rule and the result that would have made it fail are printed under each verdict. Verdicts: <b>reproduced</b> (the rule passed), <b>contradicts the paper</b> (the rule's failure condition occurred), <b>inconclusive (control failed)</b> (the method failed an easy case it must get right, so the run says nothing about the claim), <b>not resolvable at this size</b> (the run cannot separate the effect from its resolution floor), <b>not checked (experiment failed)</b>. Checks of the engine itself (Monte Carlo against exact values, encodings, retraces) are not claims of either paper and are listed separately under “Engine checks”. Every number is in <code>results.json</code> next to this file, with the seeds and parameters that reproduce it through the public API.</p>
<p>${counts}</p>
<table><thead><tr><th>source</th><th>claim</th><th>verdict</th></tr></thead><tbody>${summaryRows}</tbody></table>
<h2 id="engine-checks">Engine checks</h2>
<p class="muted">Self-tests of hardlearn's numerics, run inside the reproduction. A failed check means the numbers of its experiment cannot be trusted.</p>
<table><thead><tr><th>experiment</th><th>check</th><th>rule</th><th>result</th><th>numbers</th></tr></thead><tbody>${checks}</tbody></table>
${sections.join("\n")}
</main></body></html>
`;
}
