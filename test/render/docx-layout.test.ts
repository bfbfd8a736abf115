// DOCX layout details found by looking at the LibreOffice pages: tables, titles, keeping lines together, Chinese text settings.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cellWidth, textWidth, titleLines } from '../../src/render/document.js';
import { columnWidths, LAYOUT, toDocx } from '../../src/render/docx.js';
import { markdownToDocument } from '../../src/render/from-markdown.js';

const LINE = LAYOUT.page.width - LAYOUT.margin.left - LAYOUT.margin.right;

async function docx(md: string) {
  const files = unzipSync(await toDocx(markdownToDocument(md)));
  return { document: strFromU8(files['word/document.xml']!), styles: strFromU8(files['word/styles.xml']!) };
}

/** The paragraphs (w:p) of the body in order, as XML strings. */
const paragraphs = (xml: string) => xml.match(/<w:p>[\s\S]*?<\/w:p>|<w:p\/>/g) ?? [];
const textOf = (p: string) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

const SCHEME_TABLE = `| 序号 | 考核项目 | 目标 | 分值 | 评分办法 |
|---:|:---|:---|---:|:---|
${Array.from({ length: 12 }, (_v, i) => `| ${i + 1} | 严重精神障碍患者规范管理率 | 不低于90% | 10 | 达标得满分，未达标按完成比例得分 |`).join('\n')}
`;

describe('table columns', () => {
  it('short columns keep one line (序号, 分值, 不低于90%, a date); only long text wraps; the table is one line wide', () => {
    const doc = markdownToDocument(SCHEME_TABLE);
    const t = doc.blocks.find((b) => b.type === 'table') as Extract<(typeof doc.blocks)[number], { type: 'table' }>;
    const w = columnWidths(t.header, t.rows, t.align);
    expect(w.reduce((a, b) => a + b, 0)).toBe(LINE);
    // 12 pt text: a half-width unit is 120 twips, plus 160 twips of cell margins.
    const fits = (text: string, width: number) => width >= textWidth(text) * 120 + 160 + (text.match(/%/g)?.length ?? 0) * 120;
    expect(fits('序号', w[0]!)).toBe(true);
    expect(fits('不低于90%', w[2]!)).toBe(true);
    expect(fits('分值', w[3]!)).toBe(true);
    // The long columns are the ones that gave way.
    expect(fits('严重精神障碍患者规范管理率', w[1]!)).toBe(false);
    const dates = columnWidths(['序号', '工作任务', '完成时限', '责任科室'], [['1', '完成冷链设备检查和春季查漏补种', '2025年3月31日', '预防接种门诊']], ['right', 'left', 'left', 'left']);
    expect(fits('2025年3月31日', dates[2]!)).toBe(true);
    // LibreOffice adds a little space at each Chinese/digit change (5 in a date): the column allows for it.
    expect(cellWidth('2025年3月31日')).toBe(textWidth('2025年3月31日') + 2.5);
    expect(dates[2]!).toBeGreaterThanOrEqual(cellWidth('2025年3月31日') * 120 + 160);
    expect(fits('预防接种门诊', dates[3]!)).toBe(true);
  });

  it('table text is single-spaced off the 22-line grid, so a row is not a full body line tall', async () => {
    const { document } = await docx(SCHEME_TABLE);
    const cell = /<w:tc>[\s\S]*?<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(document)![1]!;
    expect(cell).toContain('<w:snapToGrid w:val="0"/><w:spacing w:after="0" w:before="0" w:line="360" w:lineRule="exact"/>');
    expect(document).toContain('<w:tblLayout w:type="fixed"/>');
  });
});

describe('keeping things together', () => {
  it('a short table stays on one page with its lead-in line; a long one may break between rows', async () => {
    const short = await docx(`主要指标目标如下：\n\n| 序号 | 指标 |\n|---:|:---|\n| 1 | 建证率 |\n| 2 | 建档率 |\n| 3 | 访视率 |\n`);
    const ps = paragraphs(short.document);
    const lead = ps.find((p) => textOf(p) === '主要指标目标如下：')!;
    expect(lead).toContain('<w:keepNext/>');
    const rows = short.document.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!;
    expect(rows).toHaveLength(4);
    expect(rows.slice(0, 3).every((r) => r.includes('<w:keepNext/>'))).toBe(true);
    expect(rows[3]).not.toContain('<w:keepNext/>');

    const long = await docx(`| 序号 | 指标 |\n|---:|:---|\n${Array.from({ length: 30 }, (_v, i) => `| ${i + 1} | 指标${i} |`).join('\n')}\n`);
    const bodyRows = long.document.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!.slice(1);
    expect(bodyRows.some((r) => r.includes('<w:keepNext/>'))).toBe(false);
    expect(long.document.match(/<w:tblHeader\/>/g)).toHaveLength(1);
  });

  it('the last paragraph goes with the signature, so the unit and date never stand alone on a page', async () => {
    const { document } = await docx(`正文第一段。\n\n本方案自发布之日起执行。\n\n::: signature\n青石镇卫生院\n2025年2月20日\n:::\n`);
    const ps = paragraphs(document);
    expect(ps.find((p) => textOf(p) === '本方案自发布之日起执行。')).toContain('<w:keepNext/>');
    expect(ps.find((p) => textOf(p) === '正文第一段。')).not.toContain('<w:keepNext/>');
  });
});

describe('long titles', () => {
  it('break at a natural place into lines of similar length, never leaving two characters alone', () => {
    expect(titleLines('云栖社区卫生服务中心2025年公共卫生工作计划')).toEqual(['云栖社区卫生服务中心', '2025年公共卫生工作计划']);
    expect(titleLines('青石镇卫生院2025年基本公共卫生服务绩效考核方案')).toEqual(['青石镇卫生院2025年基本公共卫生服务', '绩效考核方案']);
    expect(titleLines('青石镇卫生院2025年工作总结')).toEqual(['青石镇卫生院2025年工作总结']);
    const long = titleLines('青石镇卫生院关于进一步加强和规范基本公共卫生服务项目管理全面提升群众获得感幸福感安全感的2025年度工作计划');
    expect(long).toHaveLength(3);
    for (const l of long) expect(textWidth(l)).toBeLessThanOrEqual(40);
    expect(long.join('')).toBe('青石镇卫生院关于进一步加强和规范基本公共卫生服务项目管理全面提升群众获得感幸福感安全感的2025年度工作计划');
    // A number is never split.
    for (const l of titleLines('某某市某某区某某街道社区卫生服务中心2025年度基本公共卫生服务项目工作总结')) expect(l).not.toMatch(/^\d{1,3}年|\d$/);
  });

  it('the DOCX title carries the line breaks, 35 pt apart and off the grid (a 22 pt line would take two grid lines)', async () => {
    const { document } = await docx('# 云栖社区卫生服务中心2025年公共卫生工作计划\n\n正文。\n');
    const title = paragraphs(document)[0]!;
    expect(textOf(title)).toBe('云栖社区卫生服务中心2025年公共卫生工作计划');
    expect(title.match(/<w:br\/>/g)).toHaveLength(1);
    expect(title).toMatch(/<w:snapToGrid w:val="0"\/><w:spacing w:after="579" w:before="0" w:line="700" w:lineRule="exact"\/>/);
  });
});

describe('Chinese text settings', () => {
  it('East Asian language zh-CN, quotes and dashes in the East Asian font (w:hint), no extra space around digits, widow control', async () => {
    const { document, styles } = await docx('正文“三基三严”——“4·25”。\n');
    expect(styles).toMatch(/<w:rPrDefault><w:rPr>[\s\S]*?<w:lang w:val="en-US" w:eastAsia="zh-CN"\/>/);
    expect(styles).toMatch(/<w:pPrDefault><w:pPr><w:widowControl\/><w:autoSpaceDE w:val="0"\/><w:autoSpaceDN w:val="0"\/>/);
    expect(document).toMatch(/<w:rFonts [^>]*w:eastAsia="仿宋_GB2312"[^>]*w:hint="eastAsia"\/>[\s\S]*?“三基三严”/);
  });
});
