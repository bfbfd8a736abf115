// The document model → Markdown for plan repositories: numbered headings in the text, pipe tables, diff-friendly.
import { chartResult } from './chart.js';
import type { Block, Document, Run } from './document.js';

/** A URL as GFM recognises one: written without escapes (a `\_` would stay in the link), only what breaks Markdown escaped. */
const URL = /(?:\b(?:https?|ftp):\/\/|\bwww\.)[^\s<>"'，。、；：！？）】》]+/g;
const escText = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1').replace(/&(?=#?\w+;)/g, '\\&');
const escUrl = (s: string) => s.replace(/([\\`<>|])/g, '\\$1');
/** Text for Markdown: markup characters escaped (URLs kept readable), so it reads back as the same text. */
function escInline(s: string): string {
  let out = '';
  let at = 0;
  for (const m of s.matchAll(URL)) {
    out += escText(s.slice(at, m.index)) + escUrl(m[0]);
    at = m.index + m[0].length;
  }
  return out + escText(s.slice(at));
}
/** A paragraph or item that starts like a heading, a list, a quote or a rule would become one: escape its first character. */
const escStart = (s: string) => s.replace(/^(\s*)([#>+=-]|\d+(?=[.)]))/, (_m, sp: string, c: string) => (/^\d/.test(c) ? `${sp}${c}\\` : `${sp}\\${c}`));
/** Text inside raw HTML (the right-aligned signature): Markdown escapes do nothing there, HTML escapes do. */
const escHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const runs = (rs: Run[]) => rs.map((r) => {
  const t = escInline(r.text);
  return r.bold ? `**${t}**` : r.italic ? `*${t}*` : t;
}).join('');
const cell = (s: string) => escInline(s).replace(/\n/g, ' ');

function block(b: Block): string {
  switch (b.type) {
    case 'title':
      return `# ${escInline(b.text)}`;
    case 'heading':
      return `${'#'.repeat(b.level + 1)} ${escInline(b.number + b.text)}`;
    case 'paragraph':
      return escStart(runs(b.runs));
    case 'list':
      return b.items.map((i, n) => `${b.ordered ? `${n + 1}.` : '-'} ${escStart(runs(i))}`).join('\n');
    case 'table': {
      const sep = b.header.map((_h, i) => (b.align[i] === 'right' ? '---:' : b.align[i] === 'center' ? ':---:' : '---'));
      return [`| ${b.header.map(cell).join(' | ')} |`, `| ${sep.join(' | ')} |`, ...b.rows.map((r) => `| ${b.header.map((_h, i) => cell(r[i] ?? '')).join(' | ')} |`)].join('\n');
    }
    case 'signature':
      return b.lines.map((l) => `<p align="right">${escHtml(l)}</p>`).join('\n');
    case 'caption':
      return `**${escInline(b.text)}**`;
    case 'attachmentNote':
      // 附件：1．… with the next names under the first (a hard line break and full-width spaces).
      return b.items.map((l, i) => `${i === 0 ? '附件：' : '\u3000\u3000\u3000'}${escInline(l)}`).join('  \n');
    case 'attachment':
      return `---\n\n**${escInline(b.label)}**`;
    case 'imprint':
      return ['---', ...(b.cc ? [`抄送：${escInline(b.cc)}`] : []), `${escInline(b.issuer)}\u3000\u3000${escInline(b.date)}`].join('\n\n');
    case 'chart':
      return [`**${escInline(b.title ?? '指标完成情况')}**`, '', `| 指标 | 完成 | 目标 | 结果 |`, `| --- | ---: | ---: | :---: |`, ...b.items.map((i) => `| ${cell(i.label)} | ${i.value === null ? '无数据' : `${i.value.toFixed(1)}${b.unit ?? ''}`} | ${i.target === null || i.target === undefined ? '—' : `${i.target}${b.unit ?? ''}`} | ${chartResult(i)} |`)].join('\n');
    case 'pagebreak':
      return '---';
  }
}

export function toMarkdown(doc: Document): string {
  return doc.blocks.map(block).join('\n\n') + '\n';
}
