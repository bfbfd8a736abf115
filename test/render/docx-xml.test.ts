// The tables and plain paragraphs of the DOCX writer are written as XML text (docx-xml.ts) instead of being built as
// docx objects. Here the same tables and paragraphs are built with the docx package as the writer used to build them,
// packed by docx itself, and each <w:tbl> and <w:p> must be the same text: escaping, empty and missing cells, each
// alignment, header and body rows, short tables kept together and long ones not, bold and italic runs, indents and
// keep-with-next; and a rendered document has each in its place.
import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Align, Block } from '../../src/render/document.js';
import { columnWidths, FONTS, toDocx } from '../../src/render/docx.js';
import { escapeXml, paragraphXml, runXml, tableXml } from '../../src/render/docx-xml.js';

type TableBlock = Extract<Block, { type: 'table' }>;
const LINE = 8845;
const font = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: FONTS.body.name, cs: 'Times New Roman', hint: 'eastAsia' };
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const spacing = { line: 360, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
const jc = (a: Align) => (a === 'right' ? AlignmentType.RIGHT : a === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT);

/** The table as the writer built it with docx objects (before the tables were written as text). */
function docxTable(b: TableBlock): Table {
  const together = b.rows.length <= 12;
  const cell = (text: string, align: Align, header: boolean, keepNext: boolean) =>
    new TableCell({
      verticalAlign: VerticalAlign.CENTER,
      margins: { left: 80, right: 80, top: 40, bottom: 40 },
      children: [new Paragraph({ spacing, keepNext, alignment: header ? AlignmentType.CENTER : jc(align), children: [new TextRun({ text, bold: header, font, size: 24 })] })],
    });
  return new Table({
    width: { size: LINE, type: WidthType.DXA },
    columnWidths: columnWidths(b.header, b.rows, b.align),
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: b.header.map((h, i) => cell(h, b.align[i] ?? null, true, true)) }),
      ...b.rows.map((row, r) => new TableRow({ cantSplit: true, children: b.header.map((_h, i) => cell(row[i] ?? '', b.align[i] ?? null, false, together && r < b.rows.length - 1)) })),
    ],
  });
}

/** Each <w:tbl> of document.xml. */
const tablesOf = (xml: string) => [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
async function documentXml(bytes: Uint8Array | Buffer): Promise<string> {
  return strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
}

const tables: TableBlock[] = [
  { type: 'table', header: ['项目', '数值'], align: ['left', 'right'], rows: [['辖区人口（计划所载）', '1890人'], ['行政村', '5个（青石村、东溪村）']] },
  { type: 'table', header: ['A & B', '<c>', '"d"', "e'f"], align: [null, 'center', 'right', 'left'], rows: [['1 < 2 & 3 > 2', '', ' 前后空格 ', 'Tom\'s "书"'], ['only one']] },
  { type: 'table', header: ['序号', '村', '建档率'], align: ['center', null, 'right'], rows: Array.from({ length: 13 }, (_v, i) => [String(i + 1), `村${i}`, `${(90 + i / 10).toFixed(1)}%`]) },
  { type: 'table', header: ['序号', '村', '建档率'], align: ['center', null, 'right'], rows: Array.from({ length: 12 }, (_v, i) => [String(i + 1), `村${i}`, `${i}%`]) },
  { type: 'table', header: ['空表'], align: [null], rows: [] },
  { type: 'table', header: ['很长的说明文字'.repeat(6), '指标'], align: [null, null], rows: [['多行\n文本\t制表', '&amp; 已转义的样子']] },
];

/** Body paragraphs as the writer built them with docx objects: options, and runs with their font. */
type Para = { keepNext?: boolean; firstLine?: number; align?: 'both' | 'center'; runs: { text: string; bold?: boolean; italic?: boolean }[]; font: string };
const paragraphs: Para[] = [
  { keepNext: true, firstLine: 640, runs: [{ text: '一、基本情况', bold: false }], font: '黑体' },
  { keepNext: true, firstLine: 640, runs: [{ text: '1.重点人群', bold: true }], font: FONTS.body.name },
  { firstLine: 640, align: 'both', runs: [{ text: '正文 & <标记> "引号" \'单引号\'' }, { text: '加粗', bold: true }, { text: '斜体', italic: true }, { text: '粗斜', bold: true, italic: true }], font: FONTS.body.name },
  { keepNext: true, align: 'both', runs: [{ text: '各村卫生室：' }], font: FONTS.body.name },
  { keepNext: false, firstLine: 640, align: 'both', runs: [{ text: '' }, { text: ' 前后空格 ' }], font: FONTS.body.name },
  { runs: [], font: FONTS.body.name },
];
const docxParagraph = (p: Para) =>
  new Paragraph({
    spacing: { line: 579, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    keepNext: p.keepNext,
    indent: p.firstLine === undefined ? undefined : { firstLine: p.firstLine },
    alignment: p.align === 'both' ? AlignmentType.BOTH : p.align === 'center' ? AlignmentType.CENTER : undefined,
    children: p.runs.map((r) => new TextRun({ text: r.text, bold: r.bold, italics: r.italic, font: { ...font, eastAsia: p.font }, size: 32 })),
  });

describe('paragraphs written as XML text', () => {
  it('each paragraph is the <w:p> docx writes for it', async () => {
    const xml = await documentXml(await Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map(docxParagraph) }] })));
    const expected = [...xml.slice(xml.indexOf('<w:body>')).matchAll(/<w:p>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    expect(expected).toHaveLength(paragraphs.length);
    paragraphs.forEach((p, i) => {
      expect(paragraphXml({ ...p, line: 579, after: 0, runs: p.runs.map((r) => runXml(r, p.font, 32)).join('') }), `paragraph ${i}`).toBe(expected[i]);
    });
  });
});

describe('tables written as XML text', () => {
  it('each table is the <w:tbl> docx writes for it (with table text off the line grid, as finish() marks it)', async () => {
    const d = new Document({ sections: [{ children: tables.flatMap((b) => [docxTable(b), new Paragraph({ children: [] })]) }] });
    const offGrid = '<w:spacing w:after="0" w:before="0" w:line="360" w:lineRule="exact"/>';
    const expected = tablesOf((await documentXml(await Packer.toBuffer(d))).replaceAll(offGrid, `<w:snapToGrid w:val="0"/>${offGrid}`));
    expect(expected).toHaveLength(tables.length);
    tables.forEach((b, i) => {
      const xml = tableXml({ ...b, widths: columnWidths(b.header, b.rows, b.align), width: LINE, eastAsiaFont: FONTS.body.name, together: b.rows.length <= 12 });
      expect(xml, `table ${i}`).toBe(expected[i]);
    });
  });

  it('a rendered document has each table where it stands, between the text around it', async () => {
    const doc = { title: '表格', blocks: [{ type: 'paragraph', runs: [{ text: '表前' }] }, tables[0]!, { type: 'paragraph', runs: [{ text: '两表之间' }] }, tables[1]!, tables[2]!] as Block[] };
    const xml = await documentXml(await toDocx(doc));
    expect(xml).not.toContain('_gongwei_');
    const found = tablesOf(xml);
    expect(found).toHaveLength(3);
    expect(found[1]).toContain('<w:t xml:space="preserve">1 &lt; 2 &amp; 3 &gt; 2</w:t>');
    expect(xml.indexOf('表前')).toBeLessThan(xml.indexOf(found[0]!));
    expect(xml.indexOf(found[0]!)).toBeLessThan(xml.indexOf('两表之间'));
    expect(xml.indexOf('两表之间')).toBeLessThan(xml.indexOf(found[1]!));
  });

  it('escapes as docx does', () => {
    expect(escapeXml(`a&b<c>d"e'f 公卫`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f 公卫');
  });
});
