// The document model → one self-contained printable HTML file (A4 print CSS, the same fonts with fallbacks).
import { chartSvg } from './chart.js';
import { textWidth, titleLines, type Block, type Document, type Run } from './document.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const runs = (rs: Run[]) => rs.map((r) => {
  let t = esc(r.text).replace(/\n/g, '<br>');
  if (r.bold) t = `<strong>${t}</strong>`;
  if (r.italic) t = `<em>${t}</em>`;
  return t;
}).join('');

const BODY = "'仿宋_GB2312', '仿宋', FangSong, STFangsong, 'Noto Serif CJK SC', 'Source Han Serif SC', serif";
const TITLE = "'方正小标宋简体', '华文中宋', STZhongsong, '宋体', SimSun, 'Noto Serif CJK SC', serif";
const HEI = "'黑体', SimHei, 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";
const SONG = "'宋体', SimSun, 'Noto Serif CJK SC', serif";
const KAI = "'楷体_GB2312', '楷体', KaiTi, STKaiti, 'Noto Serif CJK SC', serif";

const CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-family: ${SONG}; font-size: 14pt; vertical-align: top; padding-top: 7mm; margin-right: 1em; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-family: ${SONG}; font-size: 14pt; vertical-align: top; padding-top: 7mm; margin-left: 1em; } }
html { background: #f3f3f3; }
body { font-family: ${BODY}; font-size: 16pt; line-height: 28.95pt; color: #000; margin: 0; }
main { width: 156mm; margin: 12mm auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 4px rgba(0,0,0,.2); }
h1 { font-family: ${TITLE}; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0 0 28.95pt; }
h2, h3, h4, h5 { font-size: 16pt; margin: 0; text-indent: 2em; line-height: 28.95pt; }
h2 { font-family: ${HEI}; font-weight: normal; }
h3 { font-family: ${KAI}; font-weight: normal; }
h4, h5 { font-family: ${BODY}; font-weight: bold; }
p { margin: 0; text-indent: 2em; text-align: justify; }
ol, ul { margin: 0; padding-left: 4em; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 14pt; font-size: 12pt; line-height: 1.45; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2pt 5pt; }
th { font-weight: bold; text-align: center; }
td.r { text-align: right; } td.c { text-align: center; }
.signature { margin-top: 28.95pt; text-align: right; }
.signature .box { display: inline-block; text-align: center; }
.signature p { text-indent: 0; text-align: center; white-space: nowrap; }
ol.items { list-style: none; padding: 0; }
ol.items li { text-indent: 2em; text-align: justify; }
p.caption { text-indent: 0; text-align: center; font-weight: bold; }
.attachments { margin-top: 28.95pt; }
.attachments p { text-indent: 0; padding-left: 5em; }
.attachments p:first-child { text-indent: -3em; }
.attachment { break-before: page; page-break-before: always; font-family: ${HEI}; margin-bottom: 28.95pt; }
.imprint { margin-top: 57.9pt; border-top: 1pt solid #000; border-bottom: 1pt solid #000; font-size: 14pt; line-height: 22pt; break-inside: avoid; }
.imprint p { text-indent: 0; padding: 3pt 1em; margin: 0; }
.imprint p + p { border-top: 0.75pt solid #000; }
.imprint .issued { display: flex; justify-content: space-between; }
figure { margin: 10pt 0; text-align: center; } figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; }
.pagebreak { page-break-after: always; }
h1, h2, h3, h4, h5, figcaption, p:has(+ table), p:has(+ figure), p:has(+ .signature), .attachments { break-after: avoid; }
p { orphans: 2; widows: 2; }
figure, .signature { break-inside: avoid; }
@media print { html { background: #fff; } main { width: auto; margin: 0; padding: 0; box-shadow: none; } }
`;

function block(b: Block): string {
  switch (b.type) {
    case 'title':
      return `<h1>${titleLines(b.text).map(esc).join('<br>')}</h1>`;
    case 'heading':
      return `<h${b.level + 1}>${esc(b.number + b.text)}</h${b.level + 1}>`;
    case 'paragraph':
      return `<p>${runs(b.runs)}</p>`;
    case 'list':
      // 条目 are numbered 1、2、3、 as in the DOCX (the numbers are text, so a copy keeps them).
      return b.ordered ? `<ol class="items">${b.items.map((i, n) => `<li>${n + 1}、${runs(i)}</li>`).join('')}</ol>` : `<ul>${b.items.map((i) => `<li>${runs(i)}</li>`).join('')}</ul>`;
    case 'caption':
      return `<p class="caption">${esc(b.text)}</p>`;
    case 'attachmentNote':
      return `<div class="attachments">${b.items.map((l, i) => `<p>${i === 0 ? '附件：' : ''}${esc(l)}</p>`).join('')}</div>`;
    case 'attachment':
      return `<div class="attachment">${esc(b.label)}</div>`;
    case 'imprint':
      return `<div class="imprint">${b.cc ? `<p>抄送：${esc(b.cc)}</p>` : ''}<p class="issued"><span>${esc(b.issuer)}</span><span>${esc(b.date)}</span></p></div>`;
    case 'table': {
      const cls = (i: number) => (b.align[i] === 'right' ? ' class="r"' : b.align[i] === 'center' ? ' class="c"' : '');
      return `<table><thead><tr>${b.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${b.header.map((_h, i) => `<td${cls(i)}>${esc(r[i] ?? '')}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    }
    case 'signature': {
      // The unit centred over the date, the date's end 4 characters from the margin (GB/T 9704 §7.3.5); a unit longer
      // than the date by more than that ends at the margin.
      const extra = Math.max(0, (Math.max(...b.lines.map(textWidth)) - textWidth(b.lines[b.lines.length - 1] ?? '')) / 4);
      return `<div class="signature" style="padding-right: ${Math.max(0, 4 - extra)}em">${b.lines.length ? `<div class="box">${b.lines.map((l) => `<p>${esc(l)}</p>`).join('')}</div>` : ''}</div>`;
    }
    case 'chart':
      return `<figure>${b.title ? `<figcaption>${esc(b.title)}</figcaption>` : ''}${chartSvg({ ...b, title: undefined })}</figure>`;
    case 'pagebreak':
      return '<div class="pagebreak"></div>';
  }
}

export function toHtml(doc: Document): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gongwei">
<title>${esc(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${doc.blocks.map(block).join('\n')}
</main>
</body>
</html>
`;
}
