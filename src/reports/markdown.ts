import { cellText } from '../format/format.js';
import { mdInline } from '../format/markdown-escape.js';
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

const MAX_CELL = 120;

/** Table cells and quoted text: HTML, pipes, backticks and link brackets escaped, line breaks (CR too) as spaces. */
const esc = mdInline;

function text(s: string): string {
  return s.trim().replace(/\s*\n\s*/g, ' ');
}

function mdTable(s: SectionView): string {
  const { columns, rows } = s.run;
  if (rows.length === 0) return '**No rows.** Nothing matched in the period.\n';
  const lines = [`| ${columns.map((c) => esc(c.name)).join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`];
  for (const r of rows.slice(0, PAGE_ROWS)) {
    lines.push(
      `| ${columns
        .map((c) => {
          const t = cellText(r[c.name] ?? null);
          return esc(t.length > MAX_CELL ? `${t.slice(0, MAX_CELL - 1)}…` : t);
        })
        .join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function sectionMd(s: SectionView): string {
  const { run } = s;
  const sec = run.section;
  const out: string[] = [];
  out.push(`## ${sec.index}. ${sec.title}\n`);
  const files =
    run.status === 'ok'
      ? ` · [CSV](${s.files.csv}) · [JSON](${s.files.json}) · [SQL](${s.files.sql})`
      : run.sql
        ? ` · [SQL](${s.files.sql})`
        : '';
  out.push(`Query \`${sec.query.id}\` · ${run.status === 'ok' ? statsText(run) : '**FAILED**'}${files}\n`);
  const cov = coverageLine(run);
  if (cov) out.push(isPartial(run.coverage) && run.status === 'ok' ? `> **${esc(cov)}**\n` : `*${esc(cov)}*\n`);
  out.push(`${text(sec.purpose)}\n`);
  out.push(`> **What to look for:** ${text(sec.review)}\n`);
  if (sec.query.caveats) out.push(`*Limits of this evidence:* ${text(sec.query.caveats)}\n`);
  if (run.status === 'failed') {
    out.push(`> **This section failed; its result is missing from this report.**\n> ${esc(run.error ?? 'unknown error')}\n`);
  } else {
    s.charts.forEach((c, i) => {
      if (c.svg) out.push(`![${c.title}](${s.files.charts[i]})\n`);
      else if (c.note) out.push(`*${c.title}:* ${c.note}\n`);
    });
    out.push(mdTable(s));
    const note = truncationNote(s);
    if (note) out.push(`*${note}*\n`);
  }
  const params = shownParams(run);
  if (params.length) out.push(`Parameters: ${params.map(([k, v]) => `\`${k}\` = ${paramText(v)}`).join(', ')}\n`);
  out.push('<details><summary>Exact SQL</summary>\n');
  out.push(`\`\`\`sql\n${run.sql || '-- not rendered: the parameters did not validate'}\n\`\`\`\n`);
  out.push('</details>\n');
  return out.join('\n');
}

/** The report as Markdown: the same content as index.html, charts as links to their SVG files. */
export function renderMarkdown(v: PageView): string {
  const rep = v.run.report;
  const def = rep.definition;
  const out: string[] = [];
  out.push(`# ${def.title}\n`);
  out.push(`${text(def.description)}\n`);
  out.push('| | |\n|---|---|');
  out.push(`| Report | \`${esc(rep.name)}\` (\`report.yaml\`, SHA-256 \`${rep.sha256}\`) |`);
  out.push(`| Controls | ${def.controls.map(esc).join('; ')} |`);
  out.push(`| Period | ${esc(periodLine(v))} |`);
  out.push(`| Engine and data | ${esc(engineText(v.info.engine))} |`);
  out.push(`| Generated | ${esc(generatedLine(v))} |`);
  out.push(`| Status | ${esc(statusLine(v))} |`);
  out.push('| Verify | `casebook verify <this folder>` (or `sha256sum -c SHA256SUMS`) |\n');
  const integrity = integrityLine(v);
  if (integrity) out.push(v.info.logIntegrity!.status === 'problems' ? `> **${esc(integrity)}**\n` : `${esc(integrity)}\n`);
  const warning = partialWarning(v);
  if (warning) out.push(`> **${esc(warning)}**\n`);
  if (v.periodOpen) out.push('> The period had not ended when this report ran: events after the generation time are not included.\n');
  if (def.limitations) out.push(`> **Limitations:** ${text(def.limitations)}\n`);
  out.push('| # | Section | Query | Rows | Status |\n|---:|---|---|---:|---|');
  for (const s of v.sections) {
    const r = s.run;
    out.push(
      `| ${r.section.index} | ${esc(r.section.title)} | \`${r.section.query.id}\` | ${r.status === 'ok' ? r.rows.length : '–'} | ${r.status === 'ok' ? (isPartial(r.coverage) ? '**PARTIAL**' : 'ok') : '**FAILED**'} |`,
    );
  }
  out.push('');
  for (const s of v.sections) out.push(sectionMd(s));
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
