// Tables and plain paragraphs of the document as WordprocessingML text, written directly. It is the XML the docx
// package writes for the same table or paragraph (test/render/docx-xml.test.ts compares the two), at a small part of
// its cost: the summary's village tables and text are most of its paragraphs, and building them as docx objects was
// most of the summary's layout time. Anything rarer (title, images, footers, the 版记) is still built by docx.
import type { Align } from './document.js';

/** Table text: 小四 (12 pt, in half-points), single-spaced and off the 22-line grid (a grid line per table line makes rows twice as tall as needed). */
export const TABLE_TEXT = { size: 24, line: 360 } as const;
/** Cell margins in twips. */
export const TABLE_CELL_MARGINS = { top: 40, left: 80, bottom: 40, right: 80 } as const;

export interface TableXmlOptions {
  header: string[];
  align: Align[];
  rows: string[][];
  /** Column widths in twips, and the table's width (the line). */
  widths: number[];
  width: number;
  /** The East Asian font of the table text (Latin text is Times New Roman). */
  eastAsiaFont: string;
  /** Keep every row with the next one (a short table stays on one page with its lead-in line). */
  together: boolean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
/** Text as the docx package escapes it. */
export const escapeXml = (s: string): string => s.replace(/[&"<>']/g, (c) => ESCAPES[c]!);

const BORDER = 'w:val="single" w:color="000000" w:sz="4"';
const BORDERS = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} ${BORDER}/>`).join('')}</w:tblBorders>`;
const CELL_PROPERTIES =
  `<w:tcPr><w:tcMar>${(['top', 'left', 'bottom', 'right'] as const).map((side) => `<w:${side} w:type="dxa" w:w="${TABLE_CELL_MARGINS[side]}"/>`).join('')}</w:tcMar>` +
  '<w:vAlign w:val="center"/></w:tcPr>';
const SPACING = `<w:snapToGrid w:val="0"/><w:spacing w:after="0" w:before="0" w:line="${TABLE_TEXT.line}" w:lineRule="exact"/>`;

const onOff = (name: string, on: boolean) => (on ? `<w:${name}/>` : `<w:${name} w:val="false"/>`);

/** A run of text in a font (East Asian; Latin text is Times New Roman) and size (half-points); bold and italic as given. */
export function runXml(run: { text: string; bold?: boolean; italic?: boolean }, eastAsiaFont: string, size: number): string {
  const b = run.bold === undefined ? '' : onOff('b', run.bold) + onOff('bCs', run.bold);
  const i = run.italic === undefined ? '' : onOff('i', run.italic) + onOff('iCs', run.italic);
  return (
    `<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="${escapeXml(eastAsiaFont)}" w:hAnsi="Times New Roman" w:hint="eastAsia"/>${b}${i}` +
    `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr><w:t xml:space="preserve">${escapeXml(run.text)}</w:t></w:r>`
  );
}

export interface ParagraphXmlOptions {
  keepNext?: boolean;
  /** Exact line spacing and the space after, in twips. */
  line: number;
  after: number;
  firstLine?: number;
  align?: 'both' | 'center' | 'left' | 'right';
  /** The runs' XML (runXml). */
  runs: string;
}

/** A paragraph on exact line spacing: keep-with-next, first-line indent and alignment as given. */
export function paragraphXml(p: ParagraphXmlOptions): string {
  const keep = p.keepNext === undefined ? '' : onOff('keepNext', p.keepNext);
  const indent = p.firstLine === undefined ? '' : `<w:ind w:firstLine="${p.firstLine}"/>`;
  const align = p.align ? `<w:jc w:val="${p.align}"/>` : '';
  return `<w:p><w:pPr>${keep}<w:spacing w:after="${p.after}" w:before="0" w:line="${p.line}" w:lineRule="exact"/>${indent}${align}</w:pPr>${p.runs}</w:p>`;
}

/** The table's <w:tbl> element: a header row repeated on each page, rows that do not split, bordered, fixed layout. */
export function tableXml(t: TableXmlOptions): string {
  const cell = (text: string, align: Align, header: boolean, keepNext: boolean) =>
    `<w:tc>${CELL_PROPERTIES}<w:p><w:pPr>${onOff('keepNext', keepNext)}${SPACING}<w:jc w:val="${header ? 'center' : (align ?? 'left')}"/></w:pPr>` +
    `${runXml({ text, bold: header }, t.eastAsiaFont, TABLE_TEXT.size)}</w:p></w:tc>`;
  const out = [
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${t.width}"/>${BORDERS}<w:tblLayout w:type="fixed"/></w:tblPr>`,
    `<w:tblGrid>${t.widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`,
    `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>${t.header.map((h, i) => cell(h, t.align[i] ?? null, true, true)).join('')}</w:tr>`,
  ];
  t.rows.forEach((row, r) => {
    const keepNext = t.together && r < t.rows.length - 1;
    out.push(`<w:tr><w:trPr><w:cantSplit/></w:trPr>${t.header.map((_h, i) => cell(row[i] ?? '', t.align[i] ?? null, false, keepNext)).join('')}</w:tr>`);
  });
  out.push('</w:tbl>');
  return out.join('');
}
