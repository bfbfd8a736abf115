// A table of the document as WordprocessingML text, written directly. It is the XML the docx package writes for the
// same table (test/render/docx-table.test.ts compares the two), at a small part of its cost: the summary's village
// tables are most of its paragraphs, and building them as docx objects was most of the summary's layout time.
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

/** The table's <w:tbl> element: a header row repeated on each page, rows that do not split, bordered, fixed layout. */
export function tableXml(t: TableXmlOptions): string {
  const fonts = `<w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="${escapeXml(t.eastAsiaFont)}" w:hAnsi="Times New Roman" w:hint="eastAsia"/>`;
  const size = `<w:sz w:val="${TABLE_TEXT.size}"/><w:szCs w:val="${TABLE_TEXT.size}"/>`;
  const cell = (text: string, align: Align, header: boolean, keepNext: boolean) =>
    `<w:tc>${CELL_PROPERTIES}<w:p><w:pPr>${keepNext ? '<w:keepNext/>' : '<w:keepNext w:val="false"/>'}${SPACING}<w:jc w:val="${header ? 'center' : (align ?? 'left')}"/></w:pPr>` +
    `<w:r><w:rPr>${fonts}${header ? '<w:b/><w:bCs/>' : '<w:b w:val="false"/><w:bCs w:val="false"/>'}${size}</w:rPr><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p></w:tc>`;
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
