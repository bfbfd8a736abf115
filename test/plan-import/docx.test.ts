// Word documents: LibreOffice's .docx of a text plan imports to the same tree and draft as the text; heading styles, Word's numbering and tables are read; .doc goes through LibreOffice.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { AlignmentType, DeletedTextRun, Document, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importPlanFile, planDraftYaml, type ImportResult } from '../../src/plan-import/index.js';
import { findSoffice } from '../../src/plan-import/read-legacy.js';
import { examplePlan, fixtures, seedFile, seedNames } from './helpers.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'gw-import-docx-'));

/** Positions name paragraphs in a Word document and lines in a text: LibreOffice writes one paragraph per line. */
const asLines = (s: string) => s.replace(/第(\d+)(～\d+)?段/g, '第$1$2行').replace(/(第\d+)段/g, '$1行');
/** The import without what only names the source (its file and the unit of its positions): what must be equal between two readings. */
function comparable(r: ImportResult) {
  return JSON.parse(asLines(JSON.stringify(r.plans, (k, v) => (k === 'file' || k === 'unit' ? undefined : v))));
}
const drafts = (r: ImportResult) => r.plans.map((p) => asLines(planDraftYaml(r, p, { source: 'x' })));

describe('a .docx written by LibreOffice from a text plan', () => {
  for (const name of seedNames) {
    it(`imports to the same tree and the same drafts as the text: ${name}`, () => {
      const text = importPlanFile(seedFile(name), { split: true });
      const word = importPlanFile(seedFile(name, 'docx'), { split: true });
      expect(word.format).toBe('docx');
      expect(word.unit).toBe('段');
      expect(comparable(word)).toEqual(comparable(text));
      expect(drafts(word)).toEqual(drafts(text));
    });
  }
  it('the example plan too, and its draft is the one the text gives', () => {
    const text = importPlanFile(examplePlan);
    const word = importPlanFile(path.join(fixtures, 'example-plan.docx'));
    expect(drafts(word)).toEqual(drafts(text));
    expect(word.plans[0]!.meta.单位?.value).toBe('青石镇卫生院');
  });
});

describe('Word structure', () => {
  it('LibreOffice headings (Heading 1/2 styles), its numbered list and a table become chapters, a list and a table', () => {
    const r = importPlanFile(path.join(fixtures, 'headings-libreoffice.docx'));
    const p = r.plans[0]!;
    expect(p.meta.标题?.value).toBe('云溪社区卫生服务中心2026年工作计划');
    expect(p.meta.单位?.value).toBe('云溪社区卫生服务中心');
    const chapters = p.body.filter((n) => n.kind === 'section');
    expect(chapters.map((c) => c.kind === 'section' && c.heading)).toEqual(['指导思想', '重点工作', '保障措施']);
    const main = chapters[1]!;
    if (main.kind !== 'section') throw new Error('not a section');
    const [chronic, education] = main.children;
    expect(chronic).toMatchObject({ kind: 'section', heading: '慢病管理', level: 2 });
    if (chronic?.kind !== 'section' || education?.kind !== 'section') throw new Error('not sections');
    expect(chronic.children[1]).toMatchObject({ kind: 'list', items: [{ marker: '1.', text: '每季度随访一次。' }, { marker: '2.', text: '控制不满意的两周内再随访。' }] });
    expect(education.children[0]).toMatchObject({ kind: 'table', rows: [['活动', '次数'], ['健康知识讲座', '12']] });
    expect(p.targets).toMatchObject([{ name: '高血压患者规范管理率', target: '不低于70%', indicator: { id: 'hypertension-standard-management-rate' } }]);
    // In the draft: the list is 条目, the table 表格.
    const draft = parse(planDraftYaml(r, p));
    expect(draft.正文[1].小节[0].条目).toEqual(['每季度随访一次。', '控制不满意的两周内再随访。']);
    expect(draft.正文[1].小节[1].表格).toEqual({ 表头: ['活动', '次数'], 行: [['健康知识讲座', '12']] });
  });

  it('a .docx written by the docx package: Title style, headings with Word’s Chinese numbering (一、 （一）), decimal lists, tracked deletions left out', async () => {
    const doc = new Document({
      numbering: {
        config: [
          {
            reference: 'cn',
            levels: [
              { level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、', alignment: AlignmentType.LEFT },
              { level: 1, format: LevelFormat.CHINESE_COUNTING, text: '（%2）', alignment: AlignmentType.LEFT },
            ],
          },
          { reference: 'ar', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT }] },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('白沙镇卫生院2026年工作计划')] }),
            new Paragraph({ children: [new TextRun('为做好全年工作，'), new DeletedTextRun({ text: '认真', id: 1, author: '院办', date: '2026-01-05T00:00:00Z' }), new TextRun('制定本计划。')] }),
            new Paragraph({ heading: HeadingLevel.HEADING_1, numbering: { reference: 'cn', level: 0 }, children: [new TextRun('工作目标')] }),
            new Paragraph('高血压患者规范管理率不低于65%，孕产妇系统管理率达到90%。'),
            new Paragraph({ heading: HeadingLevel.HEADING_1, numbering: { reference: 'cn', level: 0 }, children: [new TextRun('重点工作')] }),
            new Paragraph({ heading: HeadingLevel.HEADING_2, numbering: { reference: 'cn', level: 1 }, children: [new TextRun('预防接种')] }),
            new Paragraph({ numbering: { reference: 'ar', level: 0 }, children: [new TextRun('每月开设接种门诊。')] }),
            new Paragraph({ numbering: { reference: 'ar', level: 0 }, children: [new TextRun('每季度搜索流动儿童。')] }),
            new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('月份')] }), new TableCell({ children: [new Paragraph('次数')] })] })] }),
          ],
        },
      ],
    });
    const file = path.join(tmp(), '计划.docx');
    writeFileSync(file, await Packer.toBuffer(doc));
    const r = importPlanFile(file);
    expect(r.notes.map((n) => n.code)).toContain('IMPORT_TRACKED_DELETIONS');
    const p = r.plans[0]!;
    expect(p.meta.标题).toMatchObject({ value: '白沙镇卫生院2026年工作计划', guessed: false });
    expect(p.meta.单位?.value).toBe('白沙镇卫生院');
    expect(p.meta.年度?.value).toBe(2026);
    expect(p.body.map((n) => (n.kind === 'section' ? `${n.marker}${n.heading}` : n.kind))).toEqual(['paragraph', '一、工作目标', '二、重点工作']);
    expect(p.body[0]).toMatchObject({ kind: 'paragraph', text: '为做好全年工作，制定本计划。' });
    const main = p.body[2]!;
    if (main.kind !== 'section') throw new Error('not a section');
    expect(main.children[0]).toMatchObject({ kind: 'section', marker: '（一）', heading: '预防接种', level: 2 });
    const sub = main.children[0]!;
    if (sub.kind !== 'section') throw new Error('not a section');
    expect(sub.children[0]).toMatchObject({ kind: 'list', items: [{ marker: '1.', text: '每月开设接种门诊。' }, { marker: '2.', text: '每季度搜索流动儿童。' }] });
    expect(sub.children[1]).toMatchObject({ kind: 'table', rows: [['月份', '次数']] });
    expect(p.targets.map((t) => [t.name, t.target, t.indicator?.id ?? '自定义'])).toEqual([
      ['高血压患者规范管理率', '不低于65%', 'hypertension-standard-management-rate'],
      ['孕产妇系统管理率', '达到90%', '自定义'],
    ]);
  });

  it('a .docx with only a picture (a scan) is refused with PLAN_IMPORT_NO_TEXT and a hint', async () => {
    // A 1×1 grey PNG, built by hand: signature, IHDR, IDAT, IEND.
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
      chunk('IDAT', deflateSync(Buffer.from([0, 128]))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const doc = new Document({ sections: [{ children: [new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 100, height: 140 } })] })] }] });
    const file = path.join(tmp(), '扫描.docx');
    writeFileSync(file, await Packer.toBuffer(doc));
    expect(() => importPlanFile(file)).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_NO_TEXT', hint: expect.stringContaining('图片转文字') }));
  });
});

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('old Word (.doc) through LibreOffice', () => {
  const soffice = findSoffice();
  it.skipIf(!soffice)('a Word 97 .doc saved by LibreOffice imports to the same draft as its text (converted with a private profile)', () => {
    const text = importPlanFile(examplePlan);
    const doc = importPlanFile(path.join(fixtures, 'example-plan.doc'));
    expect(doc.format).toBe('converted');
    expect(doc.notes.map((n) => n.code)).toContain('IMPORT_CONVERTED');
    expect(drafts(doc)).toEqual(drafts(text));
  }, 180_000);

  it('without LibreOffice: PLAN_IMPORT_NEEDS_LIBREOFFICE, with how to save as .docx (through the real binary: exit 2, one line, no stack)', () => {
    const r = spawnSync(process.execPath, [path.join(fixtures, '../../../bin/gongwei.js'), 'plan', 'import', path.join(fixtures, 'example-plan.doc')], {
      encoding: 'utf8',
      env: { ...process.env, GONGWEI_SOFFICE: '', NO_COLOR: '1' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[PLAN_IMPORT_NEEDS_LIBREOFFICE\]：旧版 Word 文件（\.doc）需要先转换成 \.docx/);
    expect(r.stderr).toContain('另存为');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('WPS-style .docx', () => {
  it('headings whose style ids are numbers ("2", "3") are known by the style name (heading 1) or its outline level, following basedOn', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
    const styles = `<w:styles ${W}>
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 1"/><w:basedOn w:val="1"/></w:style>
      <w:style w:type="paragraph" w:styleId="15"><w:name w:val="二级标题"/><w:basedOn w:val="1"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="16"><w:name w:val="我的二级"/><w:basedOn w:val="15"/></w:style>
    </w:styles>`;
    const p = (style: string | null, text: string) => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
    const doc = `<w:document ${W}><w:body>${p(null, '白沙镇卫生院2026年工作计划')}${p('2', '一、重点工作')}${p('16', '预防接种')}${p('1', '每月开设接种门诊。')}${p('2', '二、保障措施')}${p(null, '加强领导。')}</w:body></w:document>`;
    const file = path.join(tmp(), 'wps.docx');
    writeFileSync(file, zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8(doc), 'word/styles.xml': strToU8(styles) }));
    const body = importPlanFile(file).plans[0]!.body;
    expect(body).toMatchObject([
      { kind: 'section', marker: '一、', heading: '重点工作', level: 1, children: [{ kind: 'section', marker: '', heading: '预防接种', level: 2, children: [{ kind: 'paragraph', text: '每月开设接种门诊。' }] }] },
      { kind: 'section', marker: '二、', heading: '保障措施', level: 1, children: [{ kind: 'paragraph', text: '加强领导。' }] },
    ]);
  });
});
