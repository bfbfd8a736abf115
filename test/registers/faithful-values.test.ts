// Values that used to land wrong with exit 0 (issue 9), each on a real file of that shape: the stored values are asserted.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { importFiles, type ImportSummary } from '../../src/registers/import.js';
import { freshDb, tmp, validId, writeCsv } from './helpers.js';

const TODAY = '2025-12-31';
const BIN = path.resolve('bin/gongwei.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const SOFFICE = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
const addsUp = (s: ImportSummary) => expect(s.inserted + s.updated + s.unchanged + s.rejected).toBe(s.rowsRead);
const SERIAL = (y: number, m: number, d: number) => (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000;

/** LibreOffice converts files (one call for all of them); undefined without soffice. */
function soffice(dir: string, to: string, files: string[], infilter?: string): string {
  const out = path.join(dir, `lo-${to.replace(/\W/g, '')}`);
  const args = ['--headless', `-env:UserInstallation=file://${dir}/profile`, ...(infilter ? [`--infilter=${infilter}`] : []), '--convert-to', to, '--outdir', out, ...files];
  const r = spawnSync(SOFFICE, args, { encoding: 'utf8', timeout: 180000 });
  expect(r.status, r.stderr).toBe(0);
  return out;
}

/** A minimal xlsx written by hand, the way openpyxl and other libraries write one: the sheet XML as given. */
function handXlsx(file: string, sheetXml: string, opts: { level?: 0 | 6; sst?: string[] } = {}): string {
  const sst = opts.sst ?? [];
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    'xl/workbook.xml': strToU8('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'),
    'xl/styles.xml': strToU8('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'),
    'xl/sharedStrings.xml': strToU8(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sst.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`),
    'xl/worksheets/sheet1.xml': strToU8(sheetXml),
  };
  writeFileSync(file, zipSync(files, { level: opts.level ?? 6 }));
  return file;
}

const inline = (ref: string, s: string) => `<c r="${ref}" t="inlineStr"><is><t>${s}</t></is></c>`;
const sheet = (rows: string[]) => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;

function rejects(db: ReturnType<typeof freshDb>, importId?: number): { row: number; column: string | null; code: string }[] {
  return db.prepare(`SELECT "row", "column", code FROM rejected_rows ${importId ? 'WHERE import_id = ?' : ''} ORDER BY "row", id`).all(...(importId ? [importId] : [])) as never;
}

describe('1. codes and IDs that Excel turned into scientific notation are never keys', () => {
  it('a follow-up CSV saved by Excel (档案编号 4.30102E+16): 400 rows rejected, none collapsed into one key', async () => {
    const d = tmp();
    const db = freshDb(d);
    const rows: (string | number)[][] = [['档案编号', '随访日期', '随访方式', '收缩压', '舒张压']];
    for (let p = 0; p < 100; p++) for (let k = 0; k < 4; k++) rows.push(['4.30102E+16', `2025-0${k + 1}-1${p % 10}`, '门诊', 130, 80]);
    const f = writeCsv(path.join(d, '高血压随访.csv'), rows, 'gb18030');
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 400, inserted: 0, updated: 0, rejected: 400 });
    addsUp(s!);
    expect(db.prepare('SELECT count(*) AS n FROM hypertension_followups').get()).toEqual({ n: 0 });
    const codes = db.prepare('SELECT DISTINCT "column", code FROM rejected_rows').all();
    expect(codes).toEqual([{ column: '档案编号', code: 'REG_CODE_PRECISION_LOST' }]);
    expect(s!.issues[0]!.message).toContain('文本');
  });

  it('residents: three people written 4.30102E+16 stay three problems, not one record; a real code lands as written', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, '居民健康档案.csv'), [
      ['档案编号', '姓名', '性别', '身份证号', '所属村'],
      ['4.30102E+16', '王明', '男', '', '青石村'], ['4.30102E+16', '李红', '女', '', '青石村'], ['4.30102E+16', '张强', '男', '', '青石村'],
      ['430102000000000004', '赵六', '男', '', '青石村'],
      ['0005', '钱七', '女', '430102197903053000', '青石村'], // an ID saved with the number format 0: its last digits are zeros
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 5, inserted: 1, rejected: 4 });
    expect(db.prepare('SELECT record_id, name FROM residents').all()).toEqual([{ record_id: '430102000000000004', name: '赵六' }]);
    expect(rejects(db).map((r) => [r.row, r.column, r.code])).toEqual([
      [2, '档案编号', 'REG_CODE_PRECISION_LOST'], [3, '档案编号', 'REG_CODE_PRECISION_LOST'], [4, '档案编号', 'REG_CODE_PRECISION_LOST'],
      [6, '身份证号', 'REG_ID_PRECISION_LOST'],
    ]);
  });

  it.skipIf(!SOFFICE)('the same from a CSV written by LibreOffice (4.30102197903054E+016) (needs soffice)', async () => {
    const d = tmp();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('随访');
    ws.addRow(['档案编号', '随访日期', '随访方式', '收缩压', '舒张压']);
    ws.addRow([43010219790305355, '2025-03-01', '门诊', 130, 80]);
    ws.addRow([43010219790305356, '2025-03-01', '门诊', 131, 80]);
    ws.addRow(['000123', '2025-03-01', '门诊', 132, 80]);
    await wb.xlsx.writeFile(path.join(d, 'fu.xlsx'));
    const out = soffice(d, 'csv:Text - txt - csv (StarCalc):44,34,76', [path.join(d, 'fu.xlsx')]);
    const csv = path.join(out, 'fu.csv');
    expect(readFileSync(csv, 'utf8')).toMatch(/4\.30102197903054E\+0?16/);
    const db = freshDb(d);
    const [s] = await importFiles(db, [csv], { today: TODAY });
    expect(s).toMatchObject({ register: 'hypertension_followups', rowsRead: 3, inserted: 1, rejected: 2 });
    expect(db.prepare('SELECT patient_id FROM hypertension_followups').all()).toEqual([{ patient_id: '000123' }]);
  });
});

describe('2. the date Excel shows, never a day late', () => {
  const end = (serial: number, secs: number) => serial + secs / 86400;

  async function datesBook(file: string): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('档案');
    ws.addRow(['档案编号', '姓名', '建档日期', '最近服务日期']);
    const cases: [number, string][] = [
      [end(SERIAL(2025, 3, 5), 86399.5), 'yyyy-mm-dd'],
      [end(SERIAL(2025, 3, 5), 86399.999), 'yyyy/m/d'],
      [end(SERIAL(2025, 12, 31), 86399.7), 'yyyy"年"m"月"d"日"'],
      [end(SERIAL(2025, 2, 28), 86399.9), 'yyyy-mm-dd'],
      [SERIAL(2025, 3, 5) + (14 * 3600 + 20 * 60) / 86400 - 1e-11, 'yyyy-mm-dd'],
    ];
    cases.forEach(([v, fmt], i) => {
      const r = ws.addRow([`000${i + 1}`, `居民${i + 1}`, v, v]);
      r.getCell(3).numFmt = fmt;
      r.getCell(4).numFmt = fmt;
    });
    await wb.xlsx.writeFile(file);
    return file;
  }
  const expected = ['2025-03-05', '2025-03-05', '2025-12-31', '2025-02-28', '2025-03-05'];

  it('23:59:59.5–.999 under a date-only format is stored as that day (exceljs xlsx)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = await datesBook(path.join(d, '居民健康档案.xlsx'));
    const [s] = await importFiles(db, [f], { today: '2026-06-30' });
    expect(s).toMatchObject({ register: 'residents', inserted: 5, rejected: 0 });
    const got = db.prepare('SELECT created_date, last_service_date FROM residents ORDER BY record_id').all() as { created_date: string; last_service_date: string }[];
    expect(got.map((r) => r.created_date)).toEqual(expected);
    expect(got.map((r) => r.last_service_date)).toEqual(expected);
  });

  it.skipIf(!SOFFICE)('the same workbook saved by LibreOffice stores the same dates (needs soffice)', async () => {
    const d = tmp();
    const f = await datesBook(path.join(d, 'in.xlsx'));
    const out = soffice(d, 'xlsx', [f]);
    const db = freshDb(d);
    const [s] = await importFiles(db, [path.join(out, 'in.xlsx')], { today: '2026-06-30', register: 'residents' });
    expect(s).toMatchObject({ inserted: 5, rejected: 0 });
    expect((db.prepare('SELECT created_date FROM residents ORDER BY record_id').all() as { created_date: string }[]).map((r) => r.created_date)).toEqual(expected);
  });

  it('a datetime keeps its day and minute: 23:59:59.7 → 23:59:59, 14:19:59.99999 (floating point) → 14:20', async () => {
    const d = tmp();
    const db = freshDb(d);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('报告卡');
    ws.addRow(['卡片编号', '疾病名称', '诊断时间', '报告时间']);
    const a = ws.addRow(['C1', '流行性感冒', end(SERIAL(2025, 12, 31), 86399.7), SERIAL(2025, 3, 5) + (14 * 3600 + 20 * 60) / 86400 - 1e-11]);
    a.getCell(3).numFmt = 'yyyy-mm-dd hh:mm:ss';
    a.getCell(4).numFmt = 'yyyy-mm-dd hh:mm';
    await wb.xlsx.writeFile(path.join(d, '传染病报告卡.xlsx'));
    const [s] = await importFiles(db, [path.join(d, '传染病报告卡.xlsx')], { today: '2026-06-30' });
    expect(s).toMatchObject({ register: 'infectious_reports', inserted: 1 });
    expect(db.prepare('SELECT diagnosed_at, reported_at FROM infectious_reports').get()).toEqual({ diagnosed_at: '2025-12-31 23:59:59', reported_at: '2025-03-05 14:20' });
  });

  it('an ISO timestamp with a zone is the date and time in China (2025-03-04T16:00:00.000Z is 2025-03-05)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, '传染病报告卡.csv'), [
      ['卡片编号', '疾病名称', '诊断时间', '报告时间', '所属村'],
      ['C1', '流行性感冒', '2025-03-04T16:00:00.000Z', '2025-03-05T08:30:00+08:00', '青石村'],
      ['C2', '流行性感冒', '2025-03-04 23:10', '2025-03-04T23:59:00-05:00', '青石村'],
    ]);
    await importFiles(db, [f], { today: TODAY });
    expect(db.prepare('SELECT card_id, diagnosed_at, reported_at FROM infectious_reports ORDER BY card_id').all()).toEqual([
      { card_id: 'C1', diagnosed_at: '2025-03-05 00:00:00', reported_at: '2025-03-05 08:30:00' },
      { card_id: 'C2', diagnosed_at: '2025-03-04 23:10', reported_at: '2025-03-05 12:59:00' },
    ]);
    const g = writeCsv(path.join(d, '居民健康档案.csv'), [['档案编号', '姓名', '建档日期'], ['0001', '王明', '2025-03-04T16:00:00.000Z']]);
    await importFiles(db, [g], { today: TODAY });
    expect(db.prepare('SELECT created_date FROM residents').get()).toEqual({ created_date: '2025-03-05' });
  });
});

describe('full-width characters: codes, numbers and dates are normalised, free text keeps what a person sees', () => {
  const people = [
    ['档案编号', '姓名', '性别', '出生日期', '所属村', '责任医生', '建档日期'],
    ['０００１', '阿卜杜·热合曼（小）', '男', '１９７９－０３－０５', '青石村３组', '李Ａ', '２０２５/３/１'],
    ['0002', '王 英', '女', '1980-01-02', '青石村（东）', 'Dr．王', '2025-03-02'],
  ];
  const stored = [
    { record_id: '0001', name: '阿卜杜·热合曼（小）', sex: '男', birth_date: '1979-03-05', village: '青石村３组', doctor: '李Ａ', created_date: '2025-03-01' },
    { record_id: '0002', name: '王 英', sex: '女', birth_date: '1980-01-02', village: '青石村（东）', doctor: 'Dr．王', created_date: '2025-03-02' },
  ];
  const select = 'SELECT record_id, name, sex, birth_date, village, doctor, created_date FROM residents ORDER BY record_id';

  it('a GB18030 CSV and an exceljs xlsx store the same values', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, '居民健康档案.csv'), people, 'gb18030');
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 });
    expect(db.prepare(select).all()).toEqual(stored);
    const x = path.join(d, '居民健康档案.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('档案');
    for (const r of people) ws.addRow(r);
    await wb.xlsx.writeFile(x);
    const db2 = freshDb(d, 'x.sqlite');
    const [t] = await importFiles(db2, [x], { today: TODAY });
    expect(t).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 });
    expect(db2.prepare(select).all()).toEqual(stored);
  });

  it('full-width codes in a follow-up file find the same patient; numbers and the visit method are read', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, '高血压随访.csv'), [['档案编号', '随访日期', '随访方式', '收缩压', '舒张压', '随访医生'], ['Ｇ１', '２０２５－０３－０５', '门诊', '１３０', '８０', '张Ｂ'], ['G1', '2025-03-05', '门诊', '130', '80', '张Ｂ']]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 2, inserted: 1, unchanged: 1 });
    expect(db.prepare('SELECT patient_id, followup_date, method, sbp, dbp, doctor FROM hypertension_followups').all()).toEqual([
      { patient_id: 'G1', followup_date: '2025-03-05', method: '门诊', sbp: 130, dbp: 80, doctor: '张Ｂ' },
    ]);
  });
});

describe('5. bytes that do not decode are reported per row and column, never stored as �', () => {
  it('a GBK CSV with a few invalid bytes: those rows are rejected (REG_BAD_BYTES, column 姓名), the others land exactly', async () => {
    const d = tmp();
    const db = freshDb(d);
    const text = '档案编号,姓名,性别,所属村\r\n0001,王英,女,青石村\r\n0002,李华,男,青石村\r\n0003,张伟,男,青石村\r\n';
    const bytes = iconv.encode(text, 'gbk');
    const wang = iconv.encode('王', 'gbk');
    const at = bytes.indexOf(wang);
    bytes[at] = 0xff; // a lead byte GB18030 does not have
    const f = path.join(d, '居民健康档案.csv');
    writeFileSync(f, bytes);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ encoding: 'gb18030', rowsRead: 3, inserted: 2, rejected: 1 });
    expect(rejects(db)).toEqual([{ row: 2, column: '姓名', code: 'REG_BAD_BYTES' }]);
    expect(db.prepare('SELECT record_id, name FROM residents ORDER BY record_id').all()).toEqual([{ record_id: '0002', name: '李华' }, { record_id: '0003', name: '张伟' }]);
  });

  it('a UTF-8 export with one GBK row near the start and one past the first 64 KB: read as UTF-8, both rows rejected as GBK (REG_MIXED_ENCODING)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const parts: Buffer[] = [Buffer.from('档案编号,姓名,性别,所属村\r\n')];
    for (let i = 1; i <= 3000; i++) {
      const line = `${String(i).padStart(5, '0')},${i === 2 || i === 2900 ? '周英' : '王明'},男,青石村\r\n`;
      parts.push(i === 2 || i === 2900 ? iconv.encode(line, 'gbk') : Buffer.from(line));
    }
    const f = path.join(d, '居民健康档案.csv');
    writeFileSync(f, Buffer.concat(parts));
    expect(Buffer.concat(parts).indexOf(iconv.encode('周英', 'gbk'), 70000)).toBeGreaterThan(65536);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ encoding: 'utf-8', rowsRead: 3000, inserted: 2998, rejected: 2 });
    // Every column of those rows with Chinese text is flagged, and said to be GBK.
    expect(rejects(db).map((r) => [r.row, r.column, r.code])).toEqual([3, 2901].flatMap((row) => ['姓名', '性别', '所属村'].map((c) => [row, c, 'REG_MIXED_ENCODING'])));
    const msg = (db.prepare("SELECT message FROM rejected_rows WHERE \"column\" = '姓名' LIMIT 1").get() as { message: string }).message;
    expect(msg).toContain('GBK/GB18030');
    expect(msg).not.toContain('周英');
    // The rejected row keeps what the person typed (read as GBK), so the rejects export can be checked and re-imported.
    expect(JSON.parse((db.prepare('SELECT raw FROM rejected_rows WHERE "row" = 3 LIMIT 1').get() as { raw: string }).raw)).toEqual({ 档案编号: '00002', 姓名: '周英', 性别: '男', 所属村: '青石村' });
    expect(db.prepare("SELECT count(*) AS n FROM residents WHERE name = '王明'").get()).toEqual({ n: 2998 });
    expect(db.prepare("SELECT count(*) AS n FROM residents WHERE name LIKE '%\uFFFD%' OR record_id IN ('00002', '02900')").get()).toEqual({ n: 0 });
  });

  it('a GBK row cut by the 256 KB read boundary is still recognised as GBK; garbage bytes in UTF-8 stay REG_BAD_BYTES', async () => {
    const d = tmp();
    const db = freshDb(d);
    const head = Buffer.from('档案编号,姓名,性别,所属村\r\n');
    const parts: Buffer[] = [head];
    let len = head.length;
    let i = 0;
    // UTF-8 rows up to just before 256 KB (the last one padded with spaces), then a GBK row whose name straddles the boundary.
    for (;;) {
      const line = Buffer.from(`${String(++i).padStart(5, '0')},王明,男,青石村\r\n`);
      if (len + 2 * line.length > (1 << 18) - 10) {
        const pad = (1 << 18) - 10 - len - line.length;
        parts.push(Buffer.from(`${String(i).padStart(5, '0')},王明,男,青石村${' '.repeat(pad)}\r\n`));
        break;
      }
      parts.push(line);
      len += line.length;
    }
    const gbRow = iconv.encode(`${String(++i).padStart(5, '0')},欧阳娜娜,女,青石村\r\n`, 'gbk');
    parts.push(gbRow);
    const gbNo = i;
    // A byte that is neither UTF-8 nor Chinese GBK (a Latin-1 é before a comma) in another row.
    parts.push(Buffer.concat([Buffer.from(`${String(++i).padStart(5, '0')},Ren`), Buffer.from([0xe9]), Buffer.from(',男,青石村\r\n')]));
    const badNo = i;
    const f = path.join(d, '居民健康档案.csv');
    const bytes = Buffer.concat(parts);
    writeFileSync(f, bytes);
    expect(bytes.indexOf(gbRow)).toBe((1 << 18) - 10); // the name's bytes are 262140–262147
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ encoding: 'utf-8', rowsRead: i, inserted: i - 2, rejected: 2 });
    expect(rejects(db).map((r) => [r.row, r.column, r.code])).toEqual([
      ...['姓名', '性别', '所属村'].map((c) => [gbNo + 1, c, 'REG_MIXED_ENCODING']),
      [badNo + 1, '姓名', 'REG_BAD_BYTES'],
    ]);
    expect(JSON.parse((db.prepare('SELECT raw FROM rejected_rows WHERE "row" = ? LIMIT 1').get(badNo + 1) as { raw: string }).raw).姓名).toBe('Ren\uFFFD');
    expect(JSON.parse((db.prepare('SELECT raw FROM rejected_rows WHERE "row" = ? LIMIT 1').get(gbNo + 1) as { raw: string }).raw).姓名).toBe('欧阳娜娜');
    expect(db.prepare("SELECT count(*) AS n FROM residents WHERE name <> '王明'").get()).toEqual({ n: 0 });
  });

  it('a GBK CSV with one pasted UTF-8 row (past a quoted line break and a 256 KB read boundary): that row is read as UTF-8, stored, and warned about (REG_MIXED_ENCODING_UTF8)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const gb = (t: string) => iconv.encode(t, 'gb18030');
    const parts: Buffer[] = [gb('档案编号,姓名,性别,所属村,责任医生\r\n'), gb('00001,王明,男,青石村,"王建华\r\n李秀英"\r\n')];
    let i = 1;
    // GBK rows (女 is C5 AE in GBK, valid UTF-8 Ů: such a row stays GBK) until past 256 KB, then the UTF-8 row, then GBK again.
    let len = parts[0]!.length + parts[1]!.length;
    while (len < (1 << 18) + 100) {
      const b = gb(`${String(++i).padStart(5, '0')},李华,${i % 2 ? '男' : '女'},青石村,刘芳\r\n`);
      parts.push(b);
      len += b.length;
    }
    const utf8No = ++i;
    parts.push(Buffer.from(`${String(utf8No).padStart(5, '0')},欧阳娜娜,女,南岭村,张志强\r\n`, 'utf8'));
    parts.push(gb(`${String(++i).padStart(5, '0')},周英,女,青石村,陈伟\r\n`));
    const f = path.join(d, '居民健康档案.csv');
    writeFileSync(f, Buffer.concat(parts));
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ encoding: 'gb18030', rowsRead: i, inserted: i, rejected: 0, warnings: 1 });
    // The file's row 1 is the header and row 2 spans two lines: the UTF-8 row is the file's line utf8No + 2, its row utf8No + 1.
    expect(db.prepare('SELECT "row", code FROM row_warnings').all()).toEqual([{ row: utf8No + 1, code: 'REG_MIXED_ENCODING_UTF8' }]);
    expect(s.issues).toEqual([expect.objectContaining({ row: utf8No + 1, severity: 'warning', code: 'REG_MIXED_ENCODING_UTF8' })]);
    const byId = db.prepare('SELECT name, sex, village, doctor FROM residents WHERE record_id = ?');
    expect(byId.get(String(utf8No).padStart(5, '0'))).toEqual({ name: '欧阳娜娜', sex: '女', village: '南岭村', doctor: '张志强' });
    expect(byId.get(String(i).padStart(5, '0'))).toEqual({ name: '周英', sex: '女', village: '青石村', doctor: '陈伟' });
    expect(byId.get('00002')).toEqual({ name: '李华', sex: '女', village: '青石村', doctor: '刘芳' });
    expect(byId.get('00001')).toEqual({ name: '王明', sex: '男', village: '青石村', doctor: '王建华 李秀英' });
    expect(db.prepare("SELECT count(*) AS n FROM residents WHERE name NOT IN ('王明', '李华', '欧阳娜娜', '周英')").get()).toEqual({ n: 0 });
  });

  it('an xlsx whose sheet XML holds bytes that are not UTF-8 (a GBK name written by a broken exporter): that cell is REG_BAD_BYTES', async () => {
    const d = tmp();
    const db = freshDb(d);
    const xml = sheet([
      `<row r="1">${inline('A1', '档案编号')}${inline('B1', '姓名')}${inline('C1', '所属村')}</row>`,
      `<row r="2">${inline('A2', '0001')}${inline('B2', 'NAME')}${inline('C2', '青石村')}</row>`,
      `<row r="3">${inline('A3', '0002')}${inline('B3', '李华')}${inline('C3', '青石村')}</row>`,
    ]);
    const f = handXlsx(path.join(d, '居民健康档案.xlsx'), xml);
    // Re-zip with the name's bytes in GBK inside the otherwise UTF-8 XML.
    const raw = Buffer.from(strToU8(xml));
    const at = raw.indexOf(Buffer.from('NAME'));
    const bytes = Buffer.concat([raw.subarray(0, at), iconv.encode('周英', 'gbk'), raw.subarray(at + 4)]);
    const { unzipSync } = await import('fflate');
    const parts = unzipSync(readFileSync(f));
    parts['xl/worksheets/sheet1.xml'] = new Uint8Array(bytes);
    writeFileSync(f, zipSync(parts));
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'residents', rowsRead: 2, inserted: 1, rejected: 1 });
    expect(rejects(db)).toEqual([{ row: 2, column: '姓名', code: 'REG_BAD_BYTES' }]);
    expect(db.prepare('SELECT name FROM residents').all()).toEqual([{ name: '李华' }]);
  });

  it('one NUL byte is a bad byte of its row, not a reason to refuse the whole CSV', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = path.join(d, '居民健康档案.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('档案编号,姓名,性别\r\n0001,王'), Buffer.from([0]), Buffer.from('明,男\r\n0002,李华,女\r\n')]));
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 2, inserted: 1, rejected: 1 });
    expect(rejects(db)).toEqual([{ row: 2, column: '姓名', code: 'REG_BAD_BYTES' }]);
    expect(db.prepare('SELECT name FROM residents').all()).toEqual([{ name: '李华' }]);
  });
});

describe('6–7. formulas without a stored value and Excel error cells are not data', () => {
  const header = `<row r="1">${['档案编号', '姓名', '出生日期', '所属村', '建档日期', '档案状态', '责任医生'].map((h, i) => inline(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`;

  it('a workbook written by a library (openpyxl-like XML): formulas without values reject the row, once per column', async () => {
    const d = tmp();
    const db = freshDb(d);
    const rows = [header];
    for (let r = 2; r <= 4; r++) {
      rows.push(`<row r="${r}">${inline(`A${r}`, `000${r}`)}<c r="B${r}"><f>"王"&amp;"明"</f></c><c r="C${r}" s="1"><f>DATE(1950,1,${r})</f></c>` +
        `<c r="D${r}" t="str"><f>VLOOKUP(A${r},村!A:B,2,0)</f></c><c r="E${r}" s="1"><f>TODAY()</f></c><c r="F${r}" t="str"><f>IF(1,"正常","")</f></c><c r="G${r}" t="str"><f>"李医生"</f></c></row>`);
    }
    rows.push(`<row r="5">${inline('A5', '0005')}${inline('B5', '赵六')}${inline('D5', '青石村')}</row>`);
    const f = handXlsx(path.join(d, '居民健康档案.xlsx'), sheet(rows));
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'residents', rowsRead: 4, inserted: 1, rejected: 3 });
    const byRow = rejects(db).filter((r) => r.row === 2);
    expect(byRow.map((r) => [r.column, r.code])).toEqual(['姓名', '出生日期', '所属村', '建档日期', '档案状态', '责任医生'].map((c) => [c, 'REG_FORMULA_NO_VALUE']));
    expect(s!.issues[0]!.message).toMatch(/Excel 或 WPS 打开/);
    expect(db.prepare('SELECT record_id, name, village FROM residents').all()).toEqual([{ record_id: '0005', name: '赵六', village: '青石村' }]);
  });

  it.skipIf(!SOFFICE)('exceljs formulas without results are rejected; saved by LibreOffice (which stores the results) they land with their values (needs soffice)', async () => {
    const d = tmp();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('档案');
    ws.addRow(['档案编号', '姓名', '所属村', '建档日期']);
    ws.addRow(['0001', { formula: '"王"&"明"' }, { formula: '"青石"&"村"' }, { formula: 'DATE(2025,3,5)' }]);
    ws.getCell('D2').numFmt = 'yyyy-mm-dd';
    const f = path.join(d, '居民健康档案.xlsx');
    await wb.xlsx.writeFile(f);
    const db = freshDb(d);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 1, rejected: 1 });
    expect(rejects(db).map((r) => r.code)).toEqual(['REG_FORMULA_NO_VALUE', 'REG_FORMULA_NO_VALUE', 'REG_FORMULA_NO_VALUE']);
    const out = soffice(d, 'xlsx', [f]);
    const [t] = await importFiles(db, [path.join(out, '居民健康档案.xlsx')], { today: TODAY });
    expect(t).toMatchObject({ rowsRead: 1, inserted: 1, rejected: 0 });
    expect(db.prepare('SELECT name, village, created_date FROM residents').get()).toEqual({ name: '王明', village: '青石村', created_date: '2025-03-05' });
  });

  it('error cells (#N/A, #VALUE!, #REF!, #DIV/0!, #NAME?) in an exceljs xlsx and as text in a CSV reject their rows', async () => {
    const d = tmp();
    const db = freshDb(d);
    const errors = ['#N/A', '#VALUE!', '#REF!', '#DIV/0!', '#NAME?'];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('档案');
    ws.addRow(['档案编号', '姓名', '所属村', '参与人数']);
    errors.forEach((e, i) => ws.addRow([`000${i + 1}`, '王明', { error: e }]));
    ws.addRow(['0009', '李华', '青石村']);
    const x = path.join(d, '居民健康档案.xlsx');
    await wb.xlsx.writeFile(x);
    expect(readFileSync(x).length).toBeGreaterThan(0);
    const [s] = await importFiles(db, [x], { today: TODAY });
    expect(s).toMatchObject({ register: 'residents', rowsRead: 6, inserted: 1, rejected: 5 });
    expect(rejects(db).map((r) => [r.column, r.code])).toEqual(errors.map(() => ['所属村', 'REG_CELL_ERROR']));
    const c = writeCsv(path.join(d, '居民健康档案.csv'), [['档案编号', '姓名', '所属村'], ...errors.map((e, i) => [`100${i}`, '王明', e]), ['1009', '李华', ' 青石村 ']]);
    const [t] = await importFiles(db, [c], { today: TODAY });
    expect(t).toMatchObject({ rowsRead: 6, inserted: 1, rejected: 5 });
    expect(db.prepare("SELECT count(*) AS n FROM residents WHERE village LIKE '#%'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT village FROM residents WHERE record_id = '1009'").get()).toEqual({ village: '青石村' });
  });
});

describe('9. a corrupted xlsx is refused (CRC-32 of every entry read)', () => {
  const xml = sheet([
    `<row r="1">${['档案编号', '随访日期', '随访方式', '收缩压', '舒张压'].map((h, i) => inline(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`,
    `<row r="2">${inline('A2', '0001')}${inline('B2', '2025-03-01')}${inline('C2', '门诊')}<c r="D2"><v>135</v></c><c r="E2"><v>85</v></c></row>`,
  ]);

  it('stored (uncompressed) entries with one flipped digit: REG_XLSX_CORRUPT, nothing stored (Python\'s zipfile agrees)', async () => {
    const d = tmp();
    const good = handXlsx(path.join(d, 'good.xlsx'), xml, { level: 0 });
    const bytes = readFileSync(good);
    const at = bytes.indexOf(Buffer.from('<v>135</v>'));
    expect(at).toBeGreaterThan(0);
    const bad = Buffer.from(bytes);
    bad[at + 4] = '8'.charCodeAt(0); // 135 → 185
    writeFileSync(path.join(d, 'bad.xlsx'), bad);
    const py = spawnSync('python3', ['-c', 'import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).testzip())', path.join(d, 'bad.xlsx')], { encoding: 'utf8' });
    if (py.status === 0) expect(py.stdout.trim()).toBe('xl/worksheets/sheet1.xml');
    const db = freshDb(d);
    const [s] = await importFiles(db, [path.join(d, 'bad.xlsx')], { today: TODAY });
    expect(s!.error?.code).toBe('REG_XLSX_CORRUPT');
    expect(s!.error?.message).toContain('CRC');
    expect(db.prepare('SELECT count(*) AS n FROM hypertension_followups').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
    const [g] = await importFiles(db, [good], { today: TODAY });
    expect(g).toMatchObject({ inserted: 1 });
    expect(db.prepare('SELECT sbp FROM hypertension_followups').get()).toEqual({ sbp: 135 });
  });

  it('a flipped byte in the shared strings is caught too', async () => {
    const d = tmp();
    const good = handXlsx(path.join(d, 'good.xlsx'), xml.replace(inline('C2', '门诊'), '<c r="C2" t="s"><v>0</v></c>'), { level: 0, sst: ['门诊'] });
    const bytes = Buffer.from(readFileSync(good));
    const at = bytes.indexOf(Buffer.from('<si><t>门诊'));
    bytes[at + 7] ^= 0x01;
    writeFileSync(path.join(d, 'bad.xlsx'), bytes);
    const [s] = await importFiles(freshDb(d), [path.join(d, 'bad.xlsx')], { today: TODAY });
    expect(s!.error?.code).toBe('REG_XLSX_CORRUPT');
  });
});

describe('14. no message prints a full name, phone or ID number, even from shifted columns', () => {
  it('a name in 疫苗名称, a phone after 合计, an ID in 收缩压: masked in the summary, the JSON and the database messages', async () => {
    const d = tmp();
    const vac = writeCsv(path.join(d, '预防接种记录.csv'), [
      ['儿童编号', '疫苗名称', '剂次', '接种日期'],
      ['C001', '欧阳娜娜', 1, '2025-03-01'],
      ['C002', '乙肝疫苗', 1, '2025-03-01'],
    ]);
    const fu = writeCsv(path.join(d, '高血压随访.csv'), [
      ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压'],
      ['0001', '2025-03-01', '门诊', validId('19790305', 55), 80],
      ['0002', '2025-03-01', '门诊', 13812345678, 80],
      ['联系电话：13812345678'],
      ['0003', '2025-03-02', '门诊', 130, 80],
    ]);
    const db = path.join(d, 'db.sqlite');
    const text = run(['registers', 'import', vac, fu, '--db', db]);
    const json = run(['registers', 'import', vac, fu, '--db', path.join(d, 'db2.sqlite'), '--format', 'json']);
    for (const out of [text.stdout + text.stderr, json.stdout + json.stderr]) {
      expect(out).not.toContain('欧阳娜娜');
      expect(out).not.toContain('1381234');
      expect(out).not.toContain(validId('19790305', 55));
      expect(out).not.toContain('19790305');
    }
    expect(text.stdout).toContain('欧**娜');
    expect(text.stdout).toContain('REG_VACCINE_UNKNOWN');
    expect(text.stdout).toContain('REG_ROW_AFTER_END');
    expect(text.stdout).toContain('「联系电话」');
    const msgs = spawnSync('sqlite3', [db, 'SELECT message FROM rejected_rows UNION ALL SELECT message FROM row_warnings'], { encoding: 'utf8' });
    if (msgs.status === 0) {
      expect(msgs.stdout).not.toContain('1381234');
      expect(msgs.stdout).not.toContain('欧阳娜娜');
      expect(msgs.stdout).toContain('138****5678');
    }
  });
});

describe('15. smaller cases', () => {
  it('an .ods file is named as what it is, with how to convert it', () => {
    const d = tmp();
    const files: Record<string, [Uint8Array, { level: 0 }]> = {
      mimetype: [strToU8('application/vnd.oasis.opendocument.spreadsheet'), { level: 0 }],
      'content.xml': [strToU8('<office:document-content/>'), { level: 0 }],
    };
    const f = path.join(d, '名册.ods');
    writeFileSync(f, zipSync(files));
    const r = run(['registers', 'import', f, '--db', path.join(d, 'db.sqlite'), '--format', 'json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)[0].error.code).toBe('REG_ODS_UNSUPPORTED');
    expect(r.stderr).toContain('soffice --headless --convert-to xlsx');
  });

  it.skipIf(!SOFFICE)('an .ods saved by LibreOffice is REG_ODS_UNSUPPORTED, also under an .xlsx name (needs soffice)', async () => {
    const d = tmp();
    const src = writeCsv(path.join(d, 'r.csv'), [['档案编号', '姓名'], ['0001', '王明']]);
    const out = soffice(d, 'ods', [src], 'CSV:44,34,76,1');
    const renamed = path.join(d, 'r.xlsx');
    writeFileSync(renamed, readFileSync(path.join(out, 'r.ods')));
    const res = await importFiles(freshDb(d), [path.join(out, 'r.ods'), renamed], { today: TODAY });
    expect(res.map((s) => s.error?.code)).toEqual(['REG_ODS_UNSUPPORTED', 'REG_ODS_UNSUPPORTED']);
  });

  it('a ;-separated CSV is read with its separator; one that cannot be read names the ; in its hint', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = path.join(d, '随访.csv');
    writeFileSync(f, '档案编号;随访日期;随访方式;收缩压;舒张压\r\n0001;2025-03-01;门诊;135;85\r\n0002;2025-03-02;电话;128;80\r\n');
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'hypertension_followups', inserted: 2 });
    expect(db.prepare('SELECT patient_id, method, sbp FROM hypertension_followups ORDER BY patient_id').all()).toEqual([
      { patient_id: '0001', method: '门诊', sbp: 135 }, { patient_id: '0002', method: '电话', sbp: 128 },
    ]);
    const g = path.join(d, 'x.csv');
    writeFileSync(g, '名称;数量;备注\r\n1;2;3\r\n');
    const [t] = await importFiles(db, [g], { today: TODAY });
    expect(t!.error?.code).toBe('REG_NO_HEADER');
    expect(t!.error?.hint).toContain('分号（;）');
  });

  it('a code written with the apostrophe that keeps Excel from turning it into a number is stored without it (GB18030 CSV)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, '随访.csv'), [
      ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压'],
      ["'430102000123", '2025-03-01', '门诊', 135, 85],
      ['‘0007', '2025-03-02', '门诊', 128, 80],
      ["O'Neil-1", '2025-03-03', '门诊', 120, 80],
    ], 'gb18030');
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'hypertension_followups', inserted: 3, rejected: 0 });
    expect(db.prepare('SELECT patient_id FROM hypertension_followups ORDER BY followup_date').all()).toEqual([
      { patient_id: '430102000123' }, { patient_id: '0007' }, { patient_id: "O'Neil-1" },
    ]);
  });
});
