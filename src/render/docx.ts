// The document model → a Word document in the layout of GB/T 9704 (A4, 22×28 grid, 仿宋 三号, — 1 — page numbers).
import {
  AlignmentType, Bookmark, BorderStyle, Document, DocumentGridType, Footer, ImageRun, LineRuleType, PageBreak, PageNumber,
  Paragraph, Tab, Table, TableCell, TableLayoutType, TableRow, TabStopType, TextRun, VerticalAlign, WidthType,
} from 'docx';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { barPng, chartResult } from './chart.js';
import { packStored } from './docx-pack.js';
import { paragraphXml, runXml, TABLE_TEXT, tableXml } from './docx-xml.js';
import { zipFiles } from './zip.js';
import { cellWidth, TABLE_CELL_PAD_TWIPS, TABLE_UNIT_TWIPS, textWidth, titleLines, type Align, type Block, type Document as Doc, type Run } from './document.js';

const MM = 56.6929; // twips per millimetre
export const LAYOUT = {
  page: { width: 11906, height: 16838 },
  margin: { top: Math.round(37 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM), bottom: Math.round(35 * MM), header: Math.round(15 * MM), footer: Math.round(23 * MM) },
  /** 22 lines on the 225 mm text block. */
  linePitch: 579,
};

/** East Asian fonts as GB/T 9704 names them, with the fallback written into the font table (w:altName). */
export const FONTS = {
  body: { name: '仿宋_GB2312', alt: '仿宋' },
  title: { name: '方正小标宋简体', alt: '宋体' },
  h1: { name: '黑体', alt: 'SimHei' },
  h2: { name: '楷体_GB2312', alt: '楷体' },
  page: { name: '宋体', alt: 'SimSun' },
} as const;
const LATIN = 'Times New Roman';

const SIZE = { title: 44, body: 32, page: 28, imprint: 28 }; // half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt (table text: docx-xml.ts)
/** One character of body text (三号, 16 pt) in twips; a half-width unit (digits, Latin) is half of it. */
const CHAR = 320;
const font = (f: { name: string }) => ({ ascii: LATIN, hAnsi: LATIN, eastAsia: f.name, cs: LATIN, hint: 'eastAsia' });
const bodySpacing = { line: LAYOUT.linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

const runOf = (r: Run, f: { name: string } = FONTS.body, size = SIZE.body) =>
  new TextRun({ text: r.text, bold: r.bold, italics: r.italic, font: font(f), size });

/** Body text on the line grid (spacing as bodySpacing), 三号, in 仿宋 unless another font is given. */
const bodyParagraph = (o: { keepNext?: boolean; firstLine?: number; align?: 'both' | 'center' }, runs: Run[], f: { name: string } = FONTS.body) =>
  paragraphXml({ ...o, line: LAYOUT.linePitch, after: 0, runs: runs.map((r) => runXml(r, f.name, SIZE.body)).join('') });

/** Headings: 黑体 (一、), 楷体 (（一）), then body text in bold; two characters in, kept with what follows. */
function heading(b: Extract<Block, { type: 'heading' }>): string {
  const f = b.level === 1 ? FONTS.h1 : b.level === 2 ? FONTS.h2 : FONTS.body;
  return bodyParagraph({ keepNext: true, firstLine: 640 }, [{ text: `${b.number}${b.text}`, bold: b.level >= 3 }], f);
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

const LINE_WIDTH = LAYOUT.page.width - LAYOUT.margin.left - LAYOUT.margin.right;
/** Table text is 小四 (12 pt): a half-width unit is 6 pt = 120 twips; cells add 2 × 80 twips margins and a little slack. */
const UNIT = TABLE_UNIT_TWIPS;
const CELL_PAD = TABLE_CELL_PAD_TWIPS;

/**
 * Column widths in twips filling the 156 mm line. Every column gets the width of its longest text; when the line is
 * too short, only long text columns wrap: numbers and short words (序号, 分值, 预防接种门诊, 2025年3月31日) keep one line.
 */
export function columnWidths(header: string[], rows: string[][], align: Align[], lineWidth = LINE_WIDTH): number[] {
  const cells = (i: number) => rows.map((r) => cellWidth(r[i] ?? ''));
  const natural = header.map((h, i) => Math.max(4, textWidth(h), ...cells(i)) * UNIT + CELL_PAD);
  const min = header.map((h, i) => {
    const body = Math.max(0, ...cells(i));
    // A header wraps before a number does; short words stay whole; long text may wrap down to four characters.
    const units = align[i] === 'right' ? Math.max(body, Math.min(textWidth(h), 4)) : Math.max(textWidth(h), body) <= 16 ? Math.max(textWidth(h), body) : Math.max(8, Math.min(textWidth(h), 8));
    return Math.min(natural[i]!, Math.max(4, units) * UNIT + CELL_PAD);
  });
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  // First let long headers wrap (down to their column's longest cell), then long cell text (down to the minimum).
  const body = header.map((_h, i) => Math.max(min[i]!, Math.max(4, ...cells(i)) * UNIT + CELL_PAD));
  const shrink = (from: number[], to: number[]) => {
    const excess = sum(from) - lineWidth;
    if (excess <= 0) return from;
    const slack = from.map((w, i) => Math.max(0, w - to[i]!));
    const room = sum(slack);
    return room >= excess ? from.map((w, i) => w - (slack[i]! / room) * excess) : from.map((w, i) => Math.min(w, to[i]!));
  };
  const widths = shrink(shrink(natural, body), min);
  // Spread what is left (or squeeze what is still over) in proportion, so the table is exactly one line wide.
  const scale = lineWidth / sum(widths);
  const out = widths.map((w) => Math.floor(w * scale));
  out[out.length - 1]! += lineWidth - sum(out);
  return out;
}

/** Text inside tables (and the chart's): single-spaced, off the 22-line grid. */
const cellSpacing = { line: TABLE_TEXT.line, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
/** Title lines are 35 pt apart (a 22 pt title does not fit one 28.95 pt grid line and would take two). */
const titleSpacing = { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: LAYOUT.linePitch };
/** Paragraphs written with these spacings are taken off the grid (the docx package cannot write w:snapToGrid). */
const OFF_GRID_XML = [`<w:spacing w:after="0" w:before="0" w:line="${TABLE_TEXT.line}" w:lineRule="exact"/>`, `<w:spacing w:after="${LAYOUT.linePitch}" w:before="0" w:line="700" w:lineRule="exact"/>`];

/** A table of up to this many rows is kept on one page (with its lead-in line); longer ones break between rows. */
const KEEP_TOGETHER_ROWS = 12;

/** The paragraph standing where XML written directly goes until finish() puts it there (a style name no text can hold). */
const XML_MARK = '_gongwei_xml_';
const XML_PLACE = new RegExp(`<w:p><w:pPr><w:pStyle w:val="${XML_MARK}(\\d+)"/></w:pPr></w:p>`, 'g');

/** A table's XML (docx-xml.ts), written directly: built as docx objects, the summary's tables were most of its layout time. */
function table(b: Extract<Block, { type: 'table' }>): string {
  return tableXml({ ...b, widths: columnWidths(b.header, b.rows, b.align), width: LINE_WIDTH, eastAsiaFont: FONTS.body.name, together: b.rows.length <= KEEP_TOGETHER_ROWS });
}

/**
 * The signature (GB/T 9704 §7.3.5): the date right-aligned 4 characters from the margin, the unit centred over the date
 * (each line right-aligned with the indent that centres it on the date's middle). A unit longer than the date by more
 * than the 4 characters ends at the margin and the date is centred under it. Lines before the last are units.
 */
export function signatureIndents(lines: string[]): number[] {
  const half = CHAR / 2;
  const widths = lines.map((l) => textWidth(l) * half);
  const date = widths[widths.length - 1]!;
  let centre = 4 * CHAR + date / 2; // distance of the date's middle from the right margin
  const widest = Math.max(...widths);
  if (centre < widest / 2) centre = widest / 2;
  return widths.map((w) => Math.max(0, Math.round(centre - w / 2)));
}

/** The bookmark that marks the 版记 table, so that finish() can move it into a text box at the foot of the page. */
const IMPRINT_MARK = '_gongwei_imprint';
const IMPRINT_LINE = 440;
const IMPRINT_CELL_PAD = 60;

/** The 版记: 抄送 and 印发机关/印发日期 in 四号, between a thick rule above and below and a thin one between. */
function imprint(b: Extract<Block, { type: 'imprint' }>): Table {
  const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000' };
  const thin = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const spacing = { line: IMPRINT_LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
  const run = (text: string) => new TextRun({ text, font: font(FONTS.body), size: SIZE.imprint });
  const row = (p: Paragraph) => new TableRow({ cantSplit: true, children: [new TableCell({ margins: { left: 0, right: 0, top: IMPRINT_CELL_PAD, bottom: IMPRINT_CELL_PAD }, children: [p] })] });
  const rows: TableRow[] = [];
  // 抄送 one character in from each side; 印发机关 one character from the left, 印发日期 one from the right (a right tab).
  const first = (children: (TextRun | Bookmark)[]) => (rows.length ? children : [new Bookmark({ id: IMPRINT_MARK, children: [] }), ...children]);
  if (b.cc) rows.push(row(new Paragraph({ spacing, indent: { left: 280, right: 280, hanging: 0 }, children: first([run(`抄送：${b.cc}`)]) })));
  rows.push(row(new Paragraph({ spacing, indent: { left: 280, right: 280 }, tabStops: [{ type: TabStopType.RIGHT, position: LINE_WIDTH - 560 }], children: first([run(b.issuer), new TextRun({ children: [new Tab()], font: font(FONTS.body), size: SIZE.imprint }), run(b.date)]) })));
  return new Table({
    width: { size: LINE_WIDTH, type: WidthType.DXA },
    columnWidths: [LINE_WIDTH],
    layout: TableLayoutType.FIXED,
    borders: { top: thick, bottom: thick, left: none, right: none, insideHorizontal: thin, insideVertical: none },
    rows,
  });
}

const EMU_PER_TWIP = 635;

/**
 * GB/T 9704 puts the 版记 at the foot of the last page. The docx package writes it as a plain table (marked by a
 * bookmark); here that table moves into a text box anchored to the bottom of the text block, with the text kept above
 * it (wrapTopAndBottom). Word and LibreOffice both place such a box at the page foot; a floating table anchored to the
 * bottom (w:tblpPr) is laid out by LibreOffice in the flow, after the text. Without a marked table, the XML is unchanged.
 */
export function imprintAtFoot(body: string): string {
  const mark = body.indexOf(`w:name="${IMPRINT_MARK}"`);
  if (mark < 0) return body;
  const start = body.lastIndexOf('<w:tbl>', mark);
  const end = body.indexOf('</w:tbl>', mark) + '</w:tbl>'.length;
  const table = body.slice(start, end);
  const rows = (table.match(/<w:tr[ >]/g) ?? []).length;
  // Each row: one exact line and the cell padding; the rules and a little slack for the borders.
  const height = rows * (IMPRINT_LINE + 2 * IMPRINT_CELL_PAD) + 60;
  const cx = LINE_WIDTH * EMU_PER_TWIP;
  const cy = height * EMU_PER_TWIP;
  const box =
    // The anchoring paragraph is 1 pt high and off the line grid, so that it fits above the box on a full page.
    '<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr><w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:drawing>' +
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">' +
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>' +
    '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>' +
    `<wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>` +
    '<wp:docPr id="9704" name="版记"/><wp:cNvGraphicFramePr/>' +
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">' +
    `<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>` +
    `<wps:txbx><w:txbxContent>${table}<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p></w:txbxContent></wps:txbx>` +
    '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>' +
    '</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>';
  return body.slice(0, start) + box + body.slice(end);
}

/** The docx objects of the blocks, and the XML written directly (text and tables) that placeholders among them stand for. */
function blocks(doc: Doc): { children: (Paragraph | Table)[]; pieces: string[] } {
  const out: (Paragraph | Table)[] = [];
  const pieces: string[] = [];
  // XML in a row shares one placeholder.
  let place: Paragraph | undefined;
  const direct = (xml: string) => {
    if (place && out[out.length - 1] === place) pieces[pieces.length - 1] += xml;
    else out.push((place = new Paragraph({ style: `${XML_MARK}${pieces.push(xml) - 1}` })));
  };
  let previous: Block['type'] | undefined;
  doc.blocks.forEach((b, at) => {
    const after = previous;
    previous = b.type;
    // A lead-in line stays with its table, and the last lines of text with the signature (never a signature alone on a page).
    const keepWithNext = ['table', 'signature', 'chart', 'attachmentNote'].includes(doc.blocks[at + 1]?.type ?? '');
    switch (b.type) {
      case 'title':
        out.push(new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: titleSpacing, children: titleLines(b.text).map((text, i) => new TextRun({ text, break: i ? 1 : undefined, font: font(FONTS.title), size: SIZE.title })) }));
        break;
      case 'heading':
        direct(heading(b));
        break;
      case 'paragraph': {
        // 主送 (the line right after the title, ending in ：) starts at the margin.
        const addressee = after === 'title' && /[：:]$/.test(b.runs.map((r) => r.text).join('').trim());
        direct(bodyParagraph({ keepNext: keepWithNext || undefined, firstLine: addressee ? undefined : 640, align: 'both' }, b.runs));
        break;
      }
      case 'list':
        b.items.forEach((item, i) => direct(bodyParagraph({ keepNext: (keepWithNext && i === b.items.length - 1) || undefined, firstLine: 640, align: 'both' }, [{ text: b.ordered ? `${i + 1}、` : '' }, ...item])));
        break;
      case 'caption':
        out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: bodySpacing, keepNext: true, children: [runOf({ text: b.text, bold: true })] }));
        break;
      case 'attachmentNote':
        // GB/T 9704 §7.3.4: one blank line under the body, 附件： two characters in; the names line up under each other.
        out.push(new Paragraph({ spacing: bodySpacing, keepNext: true, children: [] }));
        b.items.forEach((item, i) =>
          out.push(new Paragraph({ spacing: bodySpacing, keepNext: true, indent: i === 0 ? { left: 5 * CHAR, hanging: 3 * CHAR } : { left: 5 * CHAR }, children: [runOf({ text: i === 0 ? `附件：${item}` : item })] })),
        );
        break;
      case 'attachment':
        // §8: on a new page, 附件N in 黑体 at the top left, the title on the third line.
        out.push(new Paragraph({ pageBreakBefore: true, spacing: bodySpacing, keepNext: true, children: [new TextRun({ text: b.label, font: font(FONTS.h1), size: SIZE.body })] }));
        out.push(new Paragraph({ spacing: bodySpacing, keepNext: true, children: [] }));
        break;
      case 'imprint':
        // No paragraph after it: finish() turns the table into the paragraph that anchors the 版记's text box, and a
        // paragraph after that could be pushed onto a page of its own.
        out.push(imprint(b));
        break;
      case 'table':
        direct(table(b) + bodyParagraph({}, []));
        break;
      case 'signature': {
        out.push(new Paragraph({ spacing: bodySpacing, keepNext: true, children: [] }));
        // The unit and the date stay together on one page (keepNext on every line but the last).
        const indents = signatureIndents(b.lines);
        b.lines.forEach((line, i) => {
          out.push(new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: indents[i] }, spacing: bodySpacing, keepNext: i < b.lines.length - 1, keepLines: true, children: [runOf({ text: line })] }));
        });
        break;
      }
      case 'chart': {
        // A table whose middle column holds one small bar image per indicator: labels stay real text
        // (searchable, any font), the bars are PNG images every reader shows.
        const max = Math.max(100, ...b.items.flatMap((i) => [i.value ?? 0, i.target ?? 0]));
        const unit = b.unit ?? '%';
        if (b.title) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: bodySpacing, keepNext: true, children: [runOf({ text: b.title, bold: true })] }));
        const txt = (text: string, align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT, bold = false) =>
          new TableCell({ verticalAlign: VerticalAlign.CENTER, margins: { left: 60, right: 60, top: 20, bottom: 20 }, children: [new Paragraph({ spacing: cellSpacing, alignment: align, children: [new TextRun({ text, bold, font: font(FONTS.body), size: 21 })] })] });
        const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
        const lineWidth = LAYOUT.page.width - LAYOUT.margin.left - LAYOUT.margin.right;
        out.push(
          new Table({
            width: { size: lineWidth, type: WidthType.DXA },
            columnWidths: [Math.round(lineWidth * 0.34), Math.round(lineWidth * 0.38), Math.round(lineWidth * 0.18), Math.round(lineWidth * 0.1)],
            borders: { top: border, bottom: border, left: none, right: none, insideHorizontal: none, insideVertical: none },
            rows: [
              new TableRow({ tableHeader: true, children: [txt('指标', AlignmentType.LEFT, true), txt(`完成情况（竖线为目标）`, AlignmentType.LEFT, true), txt(`完成 / 目标`, AlignmentType.RIGHT, true), txt('结果', AlignmentType.CENTER, true)] }),
              ...b.items.map(
                (it) =>
                  new TableRow({
                    cantSplit: true,
                    children: [
                      txt(it.label),
                      new TableCell({ verticalAlign: VerticalAlign.CENTER, margins: { left: 60, right: 60, top: 20, bottom: 20 }, children: [new Paragraph({ spacing: cellSpacing, children: [new ImageRun({ type: 'png', data: barPng(it.value, it.target, max, undefined, undefined, it.met), transformation: { width: 220, height: 13 }, altText: { name: it.label, title: it.label, description: `${it.label} ${it.value ?? '无数据'}` } })] })] }),
                      txt(`${it.value === null ? '无数据' : it.value.toFixed(1) + unit}${it.target === null || it.target === undefined ? '' : ` / ${it.target}${unit}`}`, AlignmentType.RIGHT),
                      // In words too: a page printed in black and white loses the green and red.
                      txt(chartResult(it), AlignmentType.CENTER),
                    ],
                  }),
              ),
            ],
          }),
        );
        out.push(new Paragraph({ spacing: bodySpacing, children: [] }));
        break;
      }
      case 'pagebreak':
        out.push(new Paragraph({ children: [new PageBreak()] }));
        break;
    }
  });
  return { children: out, pieces };
}

const pageFooter = (align: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
  new Footer({
    children: [
      new Paragraph({
        alignment: align,
        indent: align === AlignmentType.RIGHT ? { right: 320 } : { left: 320 },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONTS.page), size: SIZE.page })],
      }),
    ],
  });

/**
 * What the docx package cannot write: w:altName fallbacks for the East Asian fonts in word/fontTable.xml (Word, WPS
 * and LibreOffice read it), and w:snapToGrid off for table text (found by its spacing, which only table text uses).
 */
function finish(bytes: Uint8Array, pieces: string[]): Uint8Array {
  const files = unzipSync(bytes);
  const main = 'word/document.xml';
  let body = strFromU8(files[main]!);
  for (const x of OFF_GRID_XML) body = body.replaceAll(x, `<w:snapToGrid w:val="0"/>${x}`);
  let placed = 0;
  body = body.replace(XML_PLACE, (_whole, n: string) => (placed++, pieces[Number(n)]!));
  // Text or a table that did not find its place would be missing from the document with no word said.
  if (placed !== pieces.length) throw new Error(`DOCX: ${pieces.length - placed} of ${pieces.length} parts not placed`);
  body = imprintAtFoot(body);
  files[main] = strToU8(body);
  // No extra space between Chinese and Latin letters or digits (Word's 自动调整中文与西文/数字的间距): keeps the 28-character line.
  const styles = 'word/styles.xml';
  files[styles] = strToU8(strFromU8(files[styles]!).replace('<w:pPrDefault><w:pPr>', '<w:pPrDefault><w:pPr><w:widowControl/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'));
  const entries = Object.values(FONTS)
    .map((f) => `<w:font w:name="${f.name}"><w:altName w:val="${f.alt}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`)
    .join('');
  const name = 'word/fontTable.xml';
  if (files[name]) {
    let xml = strFromU8(files[name]!);
    xml = xml.replace(/<w:font w:name="(仿宋_GB2312|方正小标宋简体|黑体|楷体_GB2312|宋体)">[\s\S]*?<\/w:font>/g, '');
    xml = /<\/w:fonts>\s*$/.test(xml) ? xml.replace(/<\/w:fonts>\s*$/, `${entries}</w:fonts>`) : xml.replace(/\/>\s*$/, `>${entries}</w:fonts>`);
    files[name] = strToU8(xml);
  }
  return zipFiles(files);
}

export async function toDocx(doc: Doc): Promise<Uint8Array> {
  const { children, pieces } = blocks(doc);
  const d = new Document({
    title: doc.title,
    creator: 'gongwei',
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: font(FONTS.body), size: SIZE.body, language: { value: 'en-US', eastAsia: 'zh-CN' } }, paragraph: { spacing: bodySpacing } } } },
    sections: [
      {
        properties: {
          page: { size: LAYOUT.page, margin: LAYOUT.margin },
          // Lines on the grid (22 per page); 16 pt characters fill the 156 mm line with 28 per line by themselves.
          // A character grid (linesAndChars) is spread out unevenly by LibreOffice, so it is not used.
          grid: { type: DocumentGridType.LINES, linePitch: LAYOUT.linePitch },
        },
        footers: { default: pageFooter(AlignmentType.RIGHT), even: pageFooter(AlignmentType.LEFT) },
        children,
      },
    ],
  });
  return finish(await packStored(d), pieces);
}
