// Shared strings read on demand (xlsx/shared-strings.ts): every string and every row exactly as reading the whole part
// at once gives them (the eager reading, below), in memory and spilled to a temporary file, which never stays behind.
import { describe, expect, it, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import { openWorkbook, type XlsxRow } from '../../src/registers/xlsx-reader.js';
import { ZipFile } from '../../src/registers/xlsx/zip.js';
import { sheetRows } from '../../src/registers/xlsx/sheet-rows.js';
import { readSharedStrings, sharedStringsOf, type SharedStrings } from '../../src/registers/xlsx/shared-strings.js';
import { runsText } from '../../src/registers/xlsx/xml.js';
import { GongweiError } from '../../src/errors.js';
import { tmp } from './helpers.js';

const BIN = path.resolve('bin/gongwei.js');
const SOFFICE = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
const SST_PATH = 'xl/sharedStrings.xml';

/** The eager reading: the whole part as one string, every <si> by one expression (what the reader did before). */
function eager(part: Uint8Array): { list: string[]; bad: boolean } {
  const t = Buffer.from(part).toString('utf8');
  const list: string[] = [];
  for (const m of t.matchAll(/<(?:[\w.-]+:)?si\b(?:[^>]*?\/>|[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?si>)/g)) list.push(m[1] ? runsText(m[1]) : '');
  return { list, bad: list.some((x) => x.indexOf('\uFFFD') >= 0) };
}

/** Where the part's bytes are kept: all in memory (the default for these sizes), all in a temporary file, or split. */
const spill = (on: boolean | number) => {
  if (on === false) delete process.env.GONGWEI_SST_MEMORY_BYTES;
  else process.env.GONGWEI_SST_MEMORY_BYTES = String(on === true ? 0 : on);
};
afterEach(() => spill(false));

function handXlsx(file: string, sstPart: Uint8Array, sheetXml: string, level: 0 | 6 = 6): string {
  writeFileSync(
    file,
    zipSync(
      {
        '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        '_rels/.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        'xl/workbook.xml': strToU8('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        'xl/_rels/workbook.xml.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        [SST_PATH]: sstPart,
        'xl/worksheets/sheet1.xml': strToU8(sheetXml),
      },
      { level },
    ),
  );
  return file;
}

/** Deterministic pseudo-random numbers. */
function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const HAN = '青石镇卫生院高血压患者随访门诊家庭电话控制满意不满意李王张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';

/** Many <si> of every shape the readers meet (raw bytes where a test needs them), in a deterministic order. */
function manyStrings(n: number, extra: Buffer[] = []): Buffer {
  const r = rng(11);
  const text = (len: number) => Array.from({ length: len }, () => HAN[Math.floor(r() * HAN.length)]).join('');
  const shapes: ((i: number) => string)[] = [
    (i) => `<si><t>${text(1 + (i % 9))}</t></si>`,
    (i) => `<si><t xml:space="preserve"> ${text(3)} ${i} </t></si>`,
    () => `<si><r><t>富</t></r><r><rPr><b/><sz val="11"/></rPr><t>${text(4)}</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh><phoneticPr fontId="1"/></si>`,
    () => `<si><t>&#x4E00;&#20108;_x000D_&amp;&lt;&gt;&quot;&apos;_x005F_x0041_</t></si>`,
    () => '<si/>',
    () => '<si></si>',
    () => '<si><t/></si>',
    () => `<x:si><x:t>前缀${text(2)}</x:t></x:si>`,
    () => `<si><t>第一行\r\n第二行\r第三行</t></si>`,
    (i) => `<si>\n  <t>H${String(i).padStart(9, '0')}</t>\n</si>`,
    (i) => (i % 997 === 0 ? `<si><t>${text(40000)}</t></si>` : `<si><t>${i}</t></si>`),
  ];
  const parts: Buffer[] = [Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${n}">`)];
  for (let i = 0; i < n; i++) {
    parts.push(Buffer.from(shapes[Math.floor(r() * shapes.length)]!(i)));
    if (extra.length && i % Math.ceil(n / extra.length) === 7) parts.push(extra[Math.floor(i / Math.ceil(n / extra.length))]!);
  }
  parts.push(Buffer.from('</sst>\n'));
  return Buffer.concat(parts);
}

async function lazyOf(file: string): Promise<SharedStrings> {
  const zip = await ZipFile.open(file, 2 ** 32, undefined);
  return readSharedStrings(zip, zip.get(SST_PATH)!, file);
}

async function expectSame(file: string, part: Uint8Array): Promise<void> {
  const want = eager(part);
  expect(want.list.length).toBeGreaterThan(0);
  const got = await lazyOf(file);
  try {
    expect(got.count).toBe(want.list.length);
    expect(got.bad).toBe(want.bad);
    // In order, then in an order that keeps evicting the cached groups.
    expect(Array.from({ length: got.count }, (_, i) => got.get(i))).toEqual(want.list);
    const r = rng(5);
    for (let k = 0; k < 20000; k++) {
      const i = Math.floor(r() * got.count);
      if (got.get(i) !== want.list[i]) expect(got.get(i)).toBe(want.list[i]);
    }
    for (const i of [-1, got.count, got.count + 1, 1.5, NaN, Infinity]) expect(got.get(i)).toBe(want.list[i]);
  } finally {
    got.close();
  }
}

/** File descriptors of this process open on a spilled shared strings part. */
const spilledFds = () => readdirSync('/proc/self/fd').filter((fd) => {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`).includes('gongwei-sst-');
  } catch {
    return false;
  }
});

describe('shared strings read on demand give what the eager reading gives', () => {
  const variants: [string, Buffer[]][] = [
    ['plain', []],
    ['a U+FFFD entity (bad)', [Buffer.from('<si><t>坏&#xFFFD;字</t></si>')]],
    ['bytes that are not UTF-8 (bad)', [Buffer.concat([Buffer.from('<si><t>坏'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('字</t></si>')])]],
    ['an _xFFFD_ escape (bad)', [Buffer.from('<si><t>坏_xfffd_字</t></si>')]],
    ['U+FFFD only in a phonetic run, numeric entities elsewhere (not bad)', [Buffer.from('<si><r><t>好</t></r><rPh><t>\uFFFD</t></rPh></si>'), Buffer.from('<si><t>&#20108;</t></si>')]],
  ];
  for (const [name, extra] of variants) {
    for (const level of [0, 6] as const) {
      it(`${name}, ${level ? 'deflated' : 'stored'}: every string, in memory, in a temporary file, and split between them`, async () => {
        const part = manyStrings(6000, extra);
        expect(part.length).toBeGreaterThan(300000); // many inflate chunks, strings across their boundaries
        const file = handXlsx(path.join(tmp(), 'many.xlsx'), part, '<worksheet><sheetData/></worksheet>', level);
        for (const where of [false, true, 100001] as const) {
          spill(where);
          await expectSame(file, part);
        }
        expect(spilledFds()).toEqual([]);
      });
    }
  }

  it('rows of an exceljs workbook (rich text, many strings) are cell for cell those of the eager reading, and of LibreOffice\'s copy (needs soffice for the copy)', async () => {
    const d = tmp();
    const file = path.join(d, '随访.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const ws = wb.addWorksheet('随访');
    ws.addRow(['档案编号', '姓名', '随访方式', '备注']).commit();
    const r = rng(3);
    for (let i = 0; i < 30000; i++) {
      const note = i % 50 === 0 ? { richText: [{ text: '血压' }, { font: { bold: true }, text: `控制满意 ${i}` }] } : i % 7 === 0 ? '' : `第${i % 300}次 & <随访> "好"`;
      ws.addRow([`H${String(i).padStart(9, '0')}`, HAN.slice(Math.floor(r() * 100), Math.floor(r() * 100) + 3), ['门诊', '家庭', '电话'][i % 3], note]).commit();
    }
    ws.commit();
    await wb.commit();
    const files = [file];
    if (SOFFICE) {
      const out = path.join(d, 'lo');
      const c = spawnSync(SOFFICE, ['--headless', `-env:UserInstallation=file://${d}/profile`, '--convert-to', 'xlsx', '--outdir', out, file], { encoding: 'utf8', timeout: 180000 });
      expect(c.status, c.stderr).toBe(0);
      files.push(path.join(out, '随访.xlsx'));
    }
    for (const f of files) {
      const part = unzipSync(readFileSync(f), { filter: (x) => x.name === SST_PATH })[SST_PATH]!;
      expect(eager(part).list.length).toBeGreaterThan(30000);
      const want = await rowsWith(f, sharedStringsOf(eager(part).list));
      expect(want.length).toBe(30001);
      expect(want.some((row) => row.cells.includes('血压控制满意 0'))).toBe(true); // rich text (exceljs's streaming writer stores these as one shared string)
      for (const on of [false, true, 50001]) {
        spill(on);
        const wbk = await openWorkbook(f);
        const got: XlsxRow[] = [];
        for await (const row of wbk.rows('随访')) got.push(row);
        await wbk.close();
        expect(got.map((x) => [x.row, x.cells, x.unreadable])).toEqual(want.map((x) => [x.row, x.cells, x.unreadable]));
      }
    }
  }, 300000);

  it('an index out of range, negative, fractional or empty reads as it did: no value', async () => {
    const part = Buffer.from('<sst><si><t>甲</t></si><si><t>乙</t></si></sst>');
    const sheet = '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>-1</v></c><c r="D1" t="s"><v>0.5</v></c><c r="E1" t="s"><v></v></c><c r="F1" t="s"><v>99999999999</v></c><c r="G1" t="s"><v>0</v></c></row></sheetData></worksheet>';
    const file = handXlsx(path.join(tmp(), 'range.xlsx'), part, sheet);
    const want = await rowsWith(file, sharedStringsOf(eager(part).list));
    expect(want[0]!.cells).toEqual(['乙', null, null, null, '甲', null, '甲']);
    for (const on of [false, true]) {
      spill(on);
      const wb = await openWorkbook(file);
      const got: XlsxRow[] = [];
      for await (const row of wb.rows('Sheet1')) got.push(row);
      await wb.close();
      expect(got).toEqual(want);
    }
  });
});

/** A sheet's rows with the given shared strings (the eager reading's list): cells and unreadable cells as the reader gives them. */
async function rowsWith(file: string, sst: SharedStrings): Promise<XlsxRow[]> {
  const wb = await openWorkbook(file);
  const name = wb.sheets[0]!.name;
  await wb.close();
  const zip = await ZipFile.open(file, 2 ** 32, undefined);
  const entry = [...zip.entries.values()].find((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.name))!;
  const out: XlsxRow[] = [];
  for await (const row of sheetRows(zip, entry, { file, sst, dateStyle: [], padStyle: [], date1904: false })) out.push(row);
  expect(name).toBeTruthy();
  return out;
}

describe('a damaged shared strings part, and the temporary file', () => {
  const part = manyStrings(3000);
  const cuts: [string, Buffer][] = [
    ['cut inside a string', part.subarray(0, part.lastIndexOf('</si>') - 3)],
    ['cut after the last string', part.subarray(0, part.lastIndexOf('</si>') + 5)],
    ['cut inside a start tag', Buffer.concat([part.subarray(0, part.lastIndexOf('</si>') + 5), Buffer.from('<si')])],
  ];
  for (const [name, cut] of cuts) {
    it(`${name}: REG_XLSX_CORRUPT in Chinese, from the library and the real binary; nothing left in the temporary directory`, async () => {
      const d = tmp();
      const file = handXlsx(path.join(d, '随访.xlsx'), cut, '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>');
      for (const on of [false, true]) {
        spill(on);
        const e = await openWorkbook(file).then(() => undefined, (x: unknown) => x);
        expect(e).toBeInstanceOf(GongweiError);
        expect((e as GongweiError).code).toBe('REG_XLSX_CORRUPT');
        expect((e as GongweiError).message).toContain('共享字符串表');
        expect(spilledFds()).toEqual([]);
      }
      const tmpDir = path.join(d, 'tmp');
      mkdirSync(tmpDir);
      const r = spawnSync(process.execPath, [BIN, 'registers', 'import', file, '--db', path.join(d, 'gw.sqlite')], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmpDir, GONGWEI_SST_MEMORY_BYTES: '0' } });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('REG_XLSX_CORRUPT');
      expect(r.stderr).toContain('共享字符串表（sharedStrings.xml）不完整');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(tmpDir)).toEqual([]);
    });
  }

  it('a temporary folder that cannot be written: the failure in Chinese with its code and the folder, from the library and the real binary', async () => {
    const d = tmp();
    const file = handXlsx(path.join(d, '居民健康档案.xlsx'), manyStrings(300), '<worksheet><sheetData/></worksheet>');
    const missing = path.join(d, '没有这个文件夹');
    process.env.TMPDIR = missing;
    try {
      spill(true);
      const e = await openWorkbook(file).then(() => undefined, (x: unknown) => x);
      expect((e as GongweiError).code).toBe('FILE_NOT_FOUND');
      expect((e as GongweiError).message).toContain(`共享字符串的临时文件（临时文件夹 ${missing}）`);
    } finally {
      delete process.env.TMPDIR;
    }
    const r = spawnSync(process.execPath, [BIN, 'registers', 'import', file, '--db', path.join(d, 'gw.sqlite')], { encoding: 'utf8', env: { ...process.env, TMPDIR: missing, GONGWEI_SST_MEMORY_BYTES: '0' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('FILE_NOT_FOUND');
    expect(r.stderr).toContain('临时文件夹');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('spilled: the file is open (already removed from the directory) while the workbook is, and closed with it; the real binary leaves nothing and stores the same rows, one thread or two', async () => {
    const d = tmp();
    const part = manyStrings(3000);
    const names = eager(part).list;
    const rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>档案编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>所属村</t></is></c></row>'];
    for (let i = 0; i < 3000; i++) rows.push(`<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>R${String(i).padStart(9, '0')}</t></is></c><c r="B${i + 2}" t="s"><v>${i}</v></c><c r="C${i + 2}" t="inlineStr"><is><t>青石村</t></is></c></row>`);
    const file = handXlsx(path.join(d, '居民健康档案.xlsx'), part, `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`);
    const tmpDir = path.join(d, 'tmp');
    mkdirSync(tmpDir);
    process.env.TMPDIR = tmpDir;
    try {
      spill(true);
      const wb = await openWorkbook(file);
      expect(spilledFds().length).toBe(1);
      expect(readdirSync(tmpDir)).toEqual([]);
      await wb.close();
      expect(spilledFds()).toEqual([]);
    } finally {
      delete process.env.TMPDIR;
    }
    const stored: string[] = [];
    for (const threads of ['1', '2']) {
      const db = path.join(d, `gw${threads}.sqlite`);
      const r = spawnSync(process.execPath, [BIN, 'registers', 'import', file, '--db', db, '--format', 'json'], {
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: tmpDir, GONGWEI_SST_MEMORY_BYTES: '20000', GONGWEI_THREADS: threads, GONGWEI_THREAD_MIN_BYTES: '0' },
      });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(JSON.parse(r.stdout)[0]).toMatchObject({ register: 'residents', rowsRead: 3000 });
      expect(readdirSync(tmpDir)).toEqual([]);
      stored.push(spawnSync('sqlite3', ['-json', db, 'SELECT record_id, name FROM residents ORDER BY record_id'], { encoding: 'utf8' }).stdout);
    }
    expect(stored[1]).toBe(stored[0]);
    // The names as the part means them (the plain ones: text columns are trimmed, and empty ones stored as nothing).
    const byId = new Map((JSON.parse(stored[0]!) as { record_id: string; name: string | null }[]).map((r) => [r.record_id, r.name]));
    expect(byId.size).toBe(3000);
    let plain = 0;
    for (let i = 0; i < 3000; i++) {
      if (names[i] !== names[i]!.trim() || names[i] === '' || /\s/.test(names[i]!)) continue;
      plain++;
      expect(byId.get(`R${String(i).padStart(9, '0')}`)).toBe(names[i]);
    }
    expect(plain).toBeGreaterThan(1000);
  });
});
