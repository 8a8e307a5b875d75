import type { JsonValue } from '../engines/engine.js';
import { cellText } from '../format/format.js';
import { xml } from './charts.js';
import { isPartial } from './coverage.js';
import {
  PAGE_ROWS,
  coverageLine,
  engineText,
  generatedLine,
  integrityLine,
  paramText,
  partialWarning,
  periodLine,
  shownParams,
  statsText,
  statusLine,
  truncationNote,
  type PageView,
  type SectionView,
} from './view.js';

/** Longest cell text shown in the page; the CSV and JSON hold every value in full. */
const MAX_CELL = 200;
/** Cells longer than this wrap; shorter ones stay on one line. */
const LONG_CELL = 48;

const CSS = `
:root { --fg:#111827; --muted:#4b5563; --line:#e5e7eb; --accent:#1d4ed8; --bad:#b91c1c; --badbg:#fef2f2; --ok:#047857; --note:#fffbeb; --notebd:#f59e0b; }
* { box-sizing: border-box; }
body { margin:0; color:var(--fg); background:#f9fafb; font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; }
main { max-width:1180px; margin:0 auto; padding:28px 32px 48px; background:#fff; }
h1 { font-size:26px; margin:4px 0 8px; }
h2 { font-size:19px; margin:0 0 6px; }
.eyebrow { text-transform:uppercase; letter-spacing:.08em; font-size:11px; color:var(--muted); margin:0; }
.description { color:#374151; max-width:80ch; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:16px 0; padding:14px 16px; border:1px solid var(--line); border-radius:6px; background:#fcfcfd; }
dl.facts dt { font-weight:600; color:var(--muted); }
dl.facts dd { margin:0; overflow-wrap:anywhere; }
ul.controls { list-style:none; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:6px; }
ul.controls li { border:1px solid #c7d2fe; background:#eef2ff; color:#3730a3; border-radius:999px; padding:0 10px; font-size:12.5px; }
.status-ok { color:var(--ok); font-weight:600; }
.status-failed { color:var(--bad); font-weight:700; }
.callout { border-left:4px solid var(--notebd); background:var(--note); padding:8px 12px; margin:10px 0; border-radius:0 4px 4px 0; }
.review { border-left:4px solid var(--accent); background:#eff6ff; padding:8px 12px; margin:10px 0; border-radius:0 4px 4px 0; }
.failed { border:1px solid #fecaca; background:var(--badbg); color:var(--bad); padding:10px 12px; border-radius:4px; margin:10px 0; overflow-wrap:anywhere; }
.muted { color:var(--muted); }
.meta { color:var(--muted); font-size:12.5px; margin:0 0 8px; }
.meta a { color:var(--accent); }
section.report-section { border-top:2px solid var(--line); padding-top:20px; margin-top:26px; }
table { border-collapse:collapse; font-size:12.5px; }
.table-wrap { overflow-x:auto; max-width:100%; border:1px solid var(--line); border-radius:4px; }
table.results th, table.results td, table.toc th, table.toc td, table.params th, table.params td { border-bottom:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
table.results th, table.toc th { background:#f3f4f6; position:sticky; top:0; white-space:nowrap; }
table.results td { white-space:nowrap; font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12px; }
table.results td.long { white-space:normal; min-width:280px; max-width:520px; overflow-wrap:anywhere; }
table.results td.num, table.toc td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
table.results tbody tr:nth-child(even) { background:#fafafa; }
td.null { color:#9ca3af; }
figure.chart { margin:12px 0; }
figure.chart figcaption { font-size:12.5px; color:var(--muted); margin-bottom:4px; font-weight:600; }
figure.chart svg { max-width:100%; height:auto; }
details { margin-top:10px; }
details pre { background:#f3f4f6; padding:10px; border-radius:4px; overflow-x:auto; font-size:12px; white-space:pre; }
footer { margin-top:36px; padding-top:12px; border-top:1px solid var(--line); color:var(--muted); font-size:12px; }
code { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:.95em; }
@media print { body { background:#fff; } main { padding:0; max-width:none; } .table-wrap { overflow:visible; border:none; } section.report-section { break-inside:auto; } details { display:none; } a { color:inherit; text-decoration:none; } }
`;

function h(text: string): string {
  return xml(text);
}

/** Prose from the pack and the definitions: escaped, with `code` spans set as code. */
function prose(text: string): string {
  return h(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function cell(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return '<td class="null">null</td>';
  if (typeof v === 'number') return `<td class="num">${h(String(v))}</td>`;
  const text = cellText(v);
  if (text.length > MAX_CELL) return `<td class="long" title="${h(text.slice(0, 2000))}">${h(text.slice(0, MAX_CELL - 1))}…</td>`;
  return text.length > LONG_CELL ? `<td class="long">${h(text)}</td>` : `<td>${h(text)}</td>`;
}

function resultsTable(s: SectionView): string {
  const { columns, rows } = s.run;
  if (rows.length === 0) return '<p class="empty"><strong>No rows.</strong> Nothing matched in the period.</p>';
  const head = columns.map((c) => `<th scope="col">${h(c.name)}</th>`).join('');
  const body = rows
    .slice(0, PAGE_ROWS)
    .map((r) => `<tr>${columns.map((c) => cell(r[c.name])).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table class="results" data-section="${h(s.run.section.key)}" data-rows="${rows.length}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

function sectionHtml(s: SectionView): string {
  const { run } = s;
  const sec = run.section;
  const out: string[] = [];
  out.push(`<section class="report-section" id="${h(sec.key)}" data-status="${run.status}">`);
  out.push(`<h2>${sec.index}. ${h(sec.title)}</h2>`);
  const links =
    run.status === 'ok'
      ? ` · <a href="${h(s.files.csv)}">CSV</a> · <a href="${h(s.files.json)}">JSON</a> · <a href="${h(s.files.sql)}">SQL</a>`
      : run.sql
        ? ` · <a href="${h(s.files.sql)}">SQL</a>`
        : '';
  out.push(
    `<p class="meta">query <code>${h(sec.query.id)}</code> · ${run.status === 'ok' ? h(statsText(run)) : '<span class="status-failed">failed</span>'}${links}</p>`,
  );
  const cov = coverageLine(run);
  if (cov)
    out.push(
      `<p class="${isPartial(run.coverage) && run.status === 'ok' ? 'failed coverage' : 'muted coverage'}"${isPartial(run.coverage) && run.status === 'ok' ? ' role="alert"' : ''}>${h(cov)}</p>`,
    );
  out.push(`<p class="purpose">${prose(sec.purpose)}</p>`);
  out.push(`<div class="review"><strong>What to look for:</strong> ${prose(sec.review)}</div>`);
  if (sec.query.caveats) out.push(`<p class="muted"><strong>Limits of this evidence:</strong> ${prose(sec.query.caveats.trim())}</p>`);
  if (run.status === 'failed') {
    out.push(
      `<div class="failed" role="alert"><strong>This section failed; its result is missing from this report.</strong><br>${h(run.error ?? 'unknown error')}</div>`,
    );
  } else {
    for (const c of s.charts) {
      if (c.svg)
        out.push(
          `<figure class="chart"><figcaption>${h(c.title)}</figcaption>\n${c.svg}\n${c.note ? `<p class="muted">${h(c.note)}</p>` : ''}</figure>`,
        );
      else if (c.note) out.push(`<p class="muted">${h(c.title)}: ${h(c.note)}</p>`);
    }
    out.push(resultsTable(s));
    const note = truncationNote(s);
    if (note) out.push(`<p class="callout truncated">${h(note)}</p>`);
  }
  const params = shownParams(run);
  out.push('<details><summary>Exact SQL and parameters</summary>');
  if (params.length)
    out.push(
      `<table class="params"><tbody>${params.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${h(paramText(v))}</td></tr>`).join('')}</tbody></table>`,
    );
  out.push(`<pre><code>${h(run.sql || '(not rendered: the parameters did not validate)')}</code></pre></details>`);
  out.push('</section>');
  return out.join('\n');
}

/** The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtml(v: PageView): string {
  const rep = v.run.report;
  const def = rep.definition;
  const toc = v.sections
    .map((s) => {
      const r = s.run;
      const status = r.status === 'ok' ? '<span class="status-ok">ok</span>' : '<span class="status-failed">FAILED</span>';
      return `<tr><td class="num">${r.section.index}</td><td><a href="#${h(r.section.key)}">${h(r.section.title)}</a></td><td><code>${h(r.section.query.id)}</code></td><td class="num">${r.status === 'ok' ? r.rows.length.toLocaleString('en-US') : '–'}</td><td>${status}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="casebook ${h(v.info.version)}">
<title>${h(def.title)} · ${h(v.run.period.spec)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header class="report-header">
<p class="eyebrow">casebook evidence report · ${h(rep.name)}</p>
<h1>${h(def.title)}</h1>
<p class="description">${prose(def.description.trim())}</p>
<dl class="facts">
<dt>Controls</dt><dd><ul class="controls">${def.controls.map((c) => `<li>${h(c)}</li>`).join('')}</ul></dd>
<dt>Period</dt><dd>${h(periodLine(v))}</dd>
<dt>Engine and data</dt><dd>${h(engineText(v.info.engine))}</dd>
<dt>Generated</dt><dd>${h(generatedLine(v))}</dd>
<dt>Definition</dt><dd><code>report.yaml</code>, SHA-256 <code>${h(rep.sha256)}</code></dd>
<dt>Status</dt><dd class="${v.failed.length || v.partial.length ? 'status-failed' : 'status-ok'}">${h(statusLine(v))}</dd>
<dt>Verify</dt><dd><code>casebook verify &lt;this folder&gt;</code> re-hashes every file against <code>manifest.json</code> (or, without casebook: <code>sha256sum -c SHA256SUMS</code>).</dd>
</dl>${integrityLine(v) ? `\n<p class="${v.info.logIntegrity!.status === 'valid' ? 'muted' : 'failed'} integrity"${v.info.logIntegrity!.status === 'problems' ? ' role="alert"' : ''}>${h(integrityLine(v)!)}</p>` : ''}
${partialWarning(v) ? `<div class="failed partial" role="alert"><strong>${h(partialWarning(v)!)}</strong></div>` : ''}
${v.periodOpen ? '<p class="callout">The period had not ended when this report ran: events after the generation time are not included.</p>' : ''}
${def.limitations ? `<p class="callout"><strong>Limitations:</strong> ${prose(def.limitations.trim())}</p>` : ''}
</header>
<nav aria-label="Sections">
<h2>Sections</h2>
<table class="toc"><thead><tr><th>#</th><th>Section</th><th>Query</th><th>Rows</th><th>Status</th></tr></thead>
<tbody>
${toc}
</tbody></table>
</nav>
${v.sections.map(sectionHtml).join('\n')}
<footer>Written by casebook ${h(v.info.version)}. Each section's full result is in <code>sections/</code> as CSV and JSON, with the exact SQL that produced it; <code>manifest.json</code> records what ran, where, when, and the SHA-256 of every file in this folder.</footer>
</main>
</body>
</html>
`;
}
