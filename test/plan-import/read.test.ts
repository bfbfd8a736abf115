// Reading by content, not by name: encodings, Markdown, and every kind of file that is not a plan, each with its code.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { importPlanFile } from '../../src/plan-import/index.js';
import { readSource } from '../../src/plan-import/read.js';
import { examplePlan, fixtures } from './helpers.js';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'gw-import-read-'));
const put = (name: string, data: string | Uint8Array) => {
  const f = path.join(dir(), name);
  writeFileSync(f, data);
  return f;
};
const plain = (r: ReturnType<typeof importPlanFile>) => JSON.stringify(r.plans, (k, v) => (k === 'file' ? undefined : v));

describe('text encodings', () => {
  const text = readFileSync(examplePlan, 'utf8');
  const utf8 = importPlanFile(examplePlan);
  it.each([
    ['GB18030 (GBK)', () => iconv.encode(text, 'gb18030'), 'gb18030'],
    ['UTF-8 with BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ['UTF-16 (记事本“Unicode”)', () => iconv.encode(text, 'utf16-le', { addBOM: true }), 'utf-16le'],
    ['Windows line ends', () => Buffer.from(text.replace(/\n/g, '\r\n')), 'utf-8'],
  ])('%s reads to the same plan as UTF-8', (_, bytes, encoding) => {
    const r = importPlanFile(put('计划.txt', bytes()));
    expect(r.encoding).toBe(encoding);
    expect(plain(r)).toBe(plain(utf8));
  });
  it('bytes that are neither UTF-8 nor GB18030: PLAN_IMPORT_ENCODING', () => {
    expect(() => importPlanFile(put('x.txt', Buffer.from([0xe4, 0xb8, 0x80, 0x81, 0x30, 0xff, 0xff, 0x0a])))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_ENCODING' }));
  });
});

describe('Markdown', () => {
  it('# is the title, ## chapters, ### sections, | tables |, **bold** without its marks', () => {
    const md = ['# 青石镇卫生院2026年工作计划', '', '## 一、指导思想', '', '以**人民健康**为中心。', '', '## 二、重点工作', '', '### 预防接种', '', '- 每月开设接种门诊。', '- 每季度搜索流动儿童。', '', '| 月份 | 次数 |', '|---|---|', '| 1月 | 4 |'].join('\n');
    const p = importPlanFile(put('计划.md', md)).plans[0]!;
    expect(p.meta.标题).toMatchObject({ value: '青石镇卫生院2026年工作计划', guessed: false });
    expect(p.body).toMatchObject([
      { kind: 'section', heading: '指导思想', marker: '一、', children: [{ kind: 'paragraph', text: '以人民健康为中心。' }] },
      {
        kind: 'section',
        heading: '重点工作',
        children: [{ kind: 'section', heading: '预防接种', level: 2, children: [{ kind: 'list', items: [{ marker: '', text: '每月开设接种门诊。' }, { marker: '', text: '每季度搜索流动儿童。' }] }, { kind: 'table', rows: [['月份', '次数'], ['1月', '4']] }] }],
      },
    ]);
  });
});

describe('what is not a plan gets a Chinese error with a stable code', () => {
  it('an empty file, and a file of spaces', () => {
    expect(() => importPlanFile(put('空.docx', ''))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_EMPTY', exitCode: 2 }));
    expect(() => importPlanFile(put('空.txt', ' \n\u3000\n\t\n'))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_EMPTY' }));
  });
  it('an image-only PDF named .docx (a scan): PLAN_IMPORT_PDF, saying it is a PDF despite its name', () => {
    expect(() => importPlanFile(path.join(fixtures, '扫描件.docx'))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_PDF', message: expect.stringContaining('扩展名是 .docx') }));
  });
  it('a spreadsheet written by exceljs, as .xlsx and renamed .docx: PLAN_IMPORT_SPREADSHEET pointing to registers import', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('随访').addRow(['姓名', '随访日期']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    for (const name of ['登记表.xlsx', '登记表.docx']) {
      expect(() => importPlanFile(put(name, buf))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_SPREADSHEET', hint: expect.stringContaining('registers import') }));
    }
    expect(() => importPlanFile(put('登记表.csv', '姓名,随访日期\n张三,2025-01-02\n'))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_SPREADSHEET' }));
  });
  it('a password-encrypted Word file: PLAN_IMPORT_ENCRYPTED with how to remove the password', () => {
    expect(() => importPlanFile(path.join(fixtures, 'password-123.docx'))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_ENCRYPTED', hint: expect.stringContaining('密码') }));
  });
  it('a picture, a zip that holds no document, a broken zip, other binary data', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(() => importPlanFile(put('照片.docx', png))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_IMAGE' }));
    expect(() => importPlanFile(put('资料.docx', zipSync({ 'readme.txt': Buffer.from('hello') })))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_NOT_DOCX' }));
    const docx = readFileSync(path.join(fixtures, 'example-plan.docx'));
    expect(() => importPlanFile(put('半个.docx', docx.subarray(0, docx.length / 2)))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_BAD_DOCX' }));
    expect(() => importPlanFile(put('x.bin', Buffer.from([1, 2, 0, 0, 3, 4, 0, 5])))).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_UNSUPPORTED' }));
  });
  it('a Word file whose document XML is broken: PLAN_IMPORT_BAD_DOCX', () => {
    const f = put('坏.docx', zipSync({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': Buffer.from('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>') }));
    expect(() => importPlanFile(f)).toThrow(expect.objectContaining({ code: 'PLAN_IMPORT_BAD_DOCX' }));
  });
  it('a missing file and a directory', () => {
    expect(() => readSource(path.join(dir(), 'nope.docx'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
    expect(() => readSource(dir())).toThrow(expect.objectContaining({ code: 'FILE_IS_DIRECTORY' }));
  });
  it('a text file named .docx is read as text, with a note', () => {
    const r = importPlanFile(put('计划.docx', readFileSync(examplePlan)));
    expect(r.format).toBe('text');
    expect(r.notes.map((n) => n.code)).toContain('IMPORT_PLAIN_TEXT');
  });
});
