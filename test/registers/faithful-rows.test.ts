// Rows that used to vanish, double or be replaced silently (issue 9), each on a real file of that shape: counts and stored values.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { importFiles, type ImportSummary } from '../../src/registers/import.js';
import { ZipFile } from '../../src/registers/xlsx/zip.js';
import { openDatabase } from '../../src/db.js';
import { freshDb, tmp, validId, writeCsv, writeXlsx } from './helpers.js';

const TODAY = '2025-12-31';
const BIN = path.resolve('bin/gongwei.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const addsUp = (s: ImportSummary) => expect(s.inserted + s.updated + s.unchanged + s.rejected).toBe(s.rowsRead);
const HTN = ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压'];
const ROOT = process.getuid?.() === 0;

/** A small tmpfs (root only): a real full disk or a real read-only folder. Undefined where it cannot be mounted. */
function mountTmpfs(size: string): { dir: string; remountReadonly(): void; unmount(): void } | undefined {
  if (!ROOT) return undefined;
  const dir = tmp('gw-mnt-');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status !== 0) return undefined;
  return {
    dir,
    remountReadonly: () => expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0),
    unmount: () => void spawnSync('umount', [dir]),
  };
}

describe('3. rows do not vanish uncounted', () => {
  it('below a 合计 row, a row with an error is counted, rejected with its own reasons and exported (10 data rows → 10 read)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const data = Array.from({ length: 8 }, (_, i) => [`000${i}`, '2025-03-01', '门诊', 130 + i, 80]);
    const f = writeCsv(path.join(d, '高血压随访.csv'), [HTN, ...data, ['合计', '8人'], ['0100', '2025-03-02', '门诊', 140, 90], ['0101', '2025-02-30', '门诊', 141, 90]]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 10, inserted: 8, rejected: 2 });
    addsUp(s!);
    expect(db.prepare('SELECT "row", code FROM rejected_rows ORDER BY "row", id').all()).toEqual([
      { row: 11, code: 'REG_ROW_AFTER_END' }, { row: 12, code: 'REG_ROW_AFTER_END' }, { row: 12, code: 'REG_BAD_DATE' },
    ]);
    const x = path.join(d, 'x.xlsx');
    expect(run(['registers', 'rejects', '--db', path.join(d, 'gw.sqlite'), '-o', x]).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(x);
    expect([3, 4].map((r) => wb.worksheets[0]!.getRow(r).getCell(1).value)).toEqual(['0100', '0101']);
  });

  it('topics that merely begin with 说明/合计/备注/注 are data; a marker alone or with a colon, or a note alone in its row, ends it', async () => {
    const d = tmp();
    const db = freshDb(d);
    const topics = ['说明书怎么看——安全用药讲座', '合计划生育政策宣传', '备注栏填写培训', '注射安全知识', '总计量控盐宣传', '小计步运动', '填表人培训与慢病讲座', '高血压防治', '糖尿病饮食', '合理膳食'];
    const f = await writeXlsx(path.join(d, '健康教育活动记录.xlsx'), [{
      name: '活动',
      rows: [
        ['主题', '活动日期', '活动类型', '参与人数'],
        ...topics.map((t, i) => [t, `2025-03-${String(i + 1).padStart(2, '0')}`, '讲座', 20 + i]),
        ['说明：本表由各村卫生室填报'],
        ['说明 本表中的人数为签到人数'],
      ],
    }]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'health_education', rowsRead: 10, inserted: 10, rejected: 0 });
    expect((db.prepare('SELECT topic FROM health_education ORDER BY activity_date').all() as { topic: string }[]).map((r) => r.topic)).toEqual(topics);
    // The same markers on their own end the data (合计 alone, 合计：, 说明：); what follows with values is counted and rejected.
    for (const marker of ['合计', '合 计', '合计：10场', '合计10场', '总计', '说明：', '注1.', '备注：', '说明 本表由各村卫生室每月填报']) {
      const g = writeCsv(path.join(d, 'h.csv'), [['主题', '活动日期', '活动类型'], ['讲座A', '2025-03-01', '讲座'], [marker, '', ''], ['讲座B', '2025-03-02', '讲座']]);
      const [t] = await importFiles(freshDb(d, `${Math.random()}.sqlite`), [g], { today: TODAY });
      expect([marker, t!.rowsRead, t!.inserted, t!.rejected, t!.issues[0]?.code]).toEqual([marker, 2, 1, 1, 'REG_ROW_AFTER_END']);
    }
  });
});

describe('4. merged cells on sheets above 8 MB', () => {
  it('所属村 merged down blocks of a sheet whose XML is over 8 MB compressed: every resident gets the village shown', async () => {
    const d = tmp();
    // A hand-written sheet (as libraries write them): 400 residents, 所属村 merged in blocks of 50, and a 备注 column of
    // random text that keeps the sheet from compressing below 8 MB.
    const villages = ['青石村', '白沙村', '红岩村', '柳溪村', '竹园村', '松林村', '石桥村', '梅岭村'];
    const rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>档案编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>所属村</t></is></c><c r="D1" t="inlineStr"><is><t>备注</t></is></c></row>'];
    for (let i = 0; i < 400; i++) {
      const r = i + 2;
      const village = i % 50 === 0 ? `<c r="C${r}" t="inlineStr"><is><t>${villages[i / 50]}</t></is></c>` : `<c r="C${r}"/>`;
      rows.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${String(i).padStart(6, '0')}</t></is></c><c r="B${r}" t="inlineStr"><is><t>居民${i}</t></is></c>${village}<c r="D${r}" t="inlineStr"><is><t>${randomBytes(22000).toString('base64')}</t></is></c></row>`);
    }
    const merges = villages.map((_, b) => `<mergeCell ref="C${b * 50 + 2}:C${b * 50 + 51}"/>`).join('');
    const xml = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData><mergeCells count="8">${merges}</mergeCells></worksheet>`;
    const f = path.join(d, '居民健康档案.xlsx');
    writeFileSync(f, zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      '_rels/.rels': strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
      'xl/workbook.xml': strToU8('<workbook xmlns:r="r"><sheets><sheet name="档案" sheetId="1" r:id="rId1"/></sheets></workbook>'),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/worksheets/sheet1.xml': strToU8(xml),
    }));
    const zip = await ZipFile.open(f, 1 << 30);
    expect(zip.get('xl/worksheets/sheet1.xml')!.compressedSize).toBeGreaterThan(8 * 1048576);
    const db = freshDb(d);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'residents', rowsRead: 400, inserted: 400, rejected: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM residents WHERE village IS NULL').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT village, count(*) AS n FROM residents GROUP BY village ORDER BY min(record_id)').all()).toEqual(villages.map((v) => ({ village: v, n: 50 })));
  });
});

describe('8. the same key on two sheets of one workbook', () => {
  it('is REG_DUPLICATE_KEY naming the other sheet (the later row wins, as within a sheet); identical is REG_DUPLICATE_ROW', async () => {
    const d = tmp();
    const db = freshDb(d);
    const head = ['档案编号', '姓名', '纳入管理日期', '管理状态'];
    const f = await writeXlsx(path.join(d, '高血压患者管理名册.xlsx'), [
      { name: '青石村', rows: [head, ['P1', '王明', '2020-01-01', '在管'], ['P2', '李华', '2021-01-01', '在管']] },
      { name: '白沙村', rows: [head, ['P1', '王明', '2020-01-01', '迁出'], ['P2', '李华', '2021-01-01', '在管'], ['P3', '张伟', '2022-01-01', '在管']] },
    ]);
    const [a, b] = await importFiles(db, [f], { today: TODAY });
    expect(a).toMatchObject({ sheet: '青石村', rowsRead: 2, inserted: 2 });
    expect(b).toMatchObject({ sheet: '白沙村', rowsRead: 3, inserted: 1, updated: 1, unchanged: 1 });
    addsUp(b!);
    expect(b!.issues.map((i) => [i.row, i.code])).toEqual([[2, 'REG_DUPLICATE_KEY'], [3, 'REG_DUPLICATE_ROW']]);
    expect(b!.issues[0]!.message).toContain('工作表「青石村」第2行');
    expect(db.prepare('SELECT patient_id, status FROM hypertension_patients ORDER BY patient_id').all()).toEqual([
      { patient_id: 'P1', status: '迁出' }, { patient_id: 'P2', status: '在管' }, { patient_id: 'P3', status: '在管' },
    ]);
  });
});

describe('10. re-importing one unchanged file reads it once and records one import', () => {
  it('six imports of a 203-row roster: 203 rows read each time, one import each, its 3 rejected rows stored once', async () => {
    const d = tmp();
    const db = freshDb(d);
    const rows: (string | number)[][] = [['档案编号', '姓名', '性别', '出生日期', '纳入管理日期']];
    for (let i = 0; i < 203; i++) rows.push([`P${i}`, `患者${i}`, i % 2 ? '男' : '女', '1950-01-01', i < 3 ? '2020-02-30' : '2020-01-01']);
    const f = writeCsv(path.join(d, '高血压患者管理名册.csv'), rows);
    const reads: number[] = [];
    for (let k = 0; k < 6; k++) {
      const [s] = await importFiles(db, [f], { today: TODAY });
      reads.push(s!.rowsRead);
      expect(s).toMatchObject({ rejected: 3 });
      addsUp(s!);
    }
    expect(reads).toEqual([203, 203, 203, 203, 203, 203]);
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 6 });
    expect(db.prepare('SELECT import_id, count(*) AS n FROM rejected_rows GROUP BY import_id').all()).toEqual([1, 2, 3, 4, 5, 6].map((i) => ({ import_id: i, n: 3 })));
  });

  it('a workbook of two sheets: each re-import records two imports, not twice as many as the last', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = await writeXlsx(path.join(d, '随访.xlsx'), [
      { name: '一月', rows: [HTN, ['0001', '2025-01-05', '门诊', 130, 80]] },
      { name: '二月', rows: [HTN, ['0001', '2025-02-05', '门诊', 131, 80], ['0002', '2025-02-30', '门诊', 131, 80]] },
    ]);
    for (let k = 0; k < 4; k++) {
      const res = await importFiles(db, [f], { today: TODAY });
      expect(res.map((s) => [s.sheet, s.rowsRead, s.rejected])).toEqual([['一月', 1, 0], ['二月', 2, 1]]);
    }
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 8 });
    expect(db.prepare('SELECT count(*) AS n FROM rejected_rows').get()).toEqual({ n: 4 });
  });
});

describe('11. the rejects round trip', () => {
  it('a roster known by its file name: the export carries its register, and IDs that lost digits keep failing until corrected', async () => {
    const d = tmp();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['档案编号', '姓名', '性别', '身份证号', '纳入管理日期']);
    const ids = Array.from({ length: 30 }, (_, i) => validId('19790305', 550 + i)).filter((id) => !id.endsWith('X')).slice(0, 8);
    ids.forEach((id, i) => ws.addRow([`P${i}`, `患者${i}`, '男', Number(id), '2020-01-01'])); // stored as numbers: digits lost
    ws.addRow(['P8', '患者8', '女', validId('19800101', 12), '2020-01-01']);
    const f = path.join(d, '高血压患者管理名册.xlsx');
    await wb.xlsx.writeFile(f);
    const db = path.join(d, 'db.sqlite');
    const first = JSON.parse(run(['registers', 'import', f, '--db', db, '--format', 'json']).stdout)[0];
    expect(first).toMatchObject({ register: 'hypertension_patients', rowsRead: 9, inserted: 1, rejected: 8 });
    const x = path.join(d, '退回修改.xlsx');
    expect(run(['registers', 'rejects', '--db', db, '-o', x]).status).toBe(0);
    // Unchanged, the export is recognised as the same register and the 8 rows fail again.
    const again = run(['registers', 'import', x, '--db', db, '--format', 'json']);
    expect(again.status).toBe(1);
    const s = JSON.parse(again.stdout).find((r: ImportSummary) => r.register);
    expect(s).toMatchObject({ register: 'hypertension_patients', rowsRead: 8, inserted: 0, rejected: 8 });
    expect(new Set(s.issues.map((i: { code: string }) => i.code))).toEqual(new Set(['REG_ID_PRECISION_LOST']));
    // The export holds what the file held (a number that lost its digits), not a plausible 18-digit text.
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(x);
    const sheet = back.worksheets[0]!;
    expect(typeof sheet.getRow(3).getCell(4).value).toBe('number');
    // As CSV the same numbers are written the way Excel shows them, and fail again too.
    const c = path.join(d, '退回修改.csv');
    expect(run(['registers', 'rejects', '--db', db, '-o', c]).status).toBe(0);
    const csv = readFileSync(c, 'utf8');
    expect(csv).toMatch(/,4\.30102\d*E\+17,/);
    expect(csv).not.toMatch(/43010219\d{10}/);
    // A person types the real numbers: they land exactly.
    ids.forEach((id, i) => (sheet.getRow(3 + i).getCell(4).value = id));
    await back.xlsx.writeFile(x);
    const fixed = JSON.parse(run(['registers', 'import', x, '--db', db, '--format', 'json']).stdout).find((r: ImportSummary) => r.register);
    expect(fixed).toMatchObject({ register: 'hypertension_patients', inserted: 8, rejected: 0 });
    const stored = spawnSync('sqlite3', [db, "SELECT id_number FROM hypertension_patients WHERE patient_id <> 'P8' ORDER BY patient_id"], { encoding: 'utf8' });
    if (stored.status === 0) expect(stored.stdout.trim().split('\n')).toEqual(ids);
  });

  it('a CSV export carries its register too: a GBK row from a UTF-8 file comes back readable and lands without --register', async () => {
    const d = tmp();
    const f = path.join(d, '居民健康档案.csv');
    const { default: iconv } = await import('iconv-lite');
    const utf8 = ['档案编号,姓名,性别,所属村', '0001,王明,男,青石村', '0003,李华,女,青石村', '0004,张伟,男,白沙村', '0005,刘芳,女,白沙村', ''].join('\r\n');
    writeFileSync(f, Buffer.concat([Buffer.from(utf8), iconv.encode('0002,周英,女,青石村\r\n', 'gbk')]));
    const db = path.join(d, 'db.sqlite');
    expect(run(['registers', 'import', f, '--db', db]).status).toBe(1);
    const c = path.join(d, '退回修改.csv');
    expect(run(['registers', 'rejects', '--db', db, '-o', c]).status).toBe(0);
    const lines = readFileSync(c, 'utf8').split('\r\n');
    expect(lines[0]).toBe('\ufeff居民健康档案（residents）被拒绝的行：按“错误原因”改正后重新导入');
    expect(lines[2]).toMatch(/^0002,周英,女,青石村,原第6行：\[REG_MIXED_ENCODING\]/);
    // Headers alone could be three registers (档案编号/姓名/性别/所属村): the title decides.
    const r = run(['registers', 'import', c, '--db', db, '--format', 'json']);
    expect(r.status, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ register: 'residents', inserted: 1, rejected: 0 });
    const stored = spawnSync('sqlite3', [db, 'SELECT record_id, name, sex, village FROM residents ORDER BY record_id'], { encoding: 'utf8' });
    if (stored.status === 0) expect(stored.stdout.trim().split('\n')).toEqual(['0001|王明|男|青石村', '0002|周英|女|青石村', '0003|李华|女|青石村', '0004|张伟|男|白沙村', '0005|刘芳|女|白沙村']);
  });

  it('a sheet imported with --register: its export names the register, so the corrected file needs no option', async () => {
    const d = tmp();
    const f = writeCsv(path.join(d, '名册.csv'), [['档案编号', '姓名', '性别', '出生日期', '纳入管理日期'], ['D1', '王明', '男', '1950-01-01', '2020-02-30'], ['D2', '李华', '女', '1950-01-01', '2020-01-01']]);
    const db = path.join(d, 'db.sqlite');
    expect(run(['registers', 'import', f, '--db', db, '--register', 'diabetes_patients']).status).toBe(1);
    const x = path.join(d, '退回.xlsx');
    expect(run(['registers', 'rejects', '--db', db, '-o', x]).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(x);
    wb.worksheets[0]!.getRow(3).getCell(5).value = '2020-02-28';
    await wb.xlsx.writeFile(x);
    const r = run(['registers', 'import', x, '--db', db, '--format', 'json']);
    expect(r.status, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ register: 'diabetes_patients', inserted: 1, rejected: 0 });
  });

  it('an ambiguous roster\'s hint names every candidate; a header that says 高血压 keeps the diabetes roster out of it', async () => {
    const d = tmp();
    const plain = writeCsv(path.join(d, '名册.csv'), [['档案编号', '姓名', '性别', '出生日期', '纳入管理日期'], ['P1', '王明', '男', '1950-01-01', '2020-01-01']]);
    const [a] = await importFiles(freshDb(d), [plain], { today: TODAY });
    expect(a!.error?.code).toBe('REG_REGISTER_AMBIGUOUS');
    expect(a!.error?.hint).toContain('--register hypertension_patients');
    expect(a!.error?.hint).toContain('--register diabetes_patients');
    const said = writeCsv(path.join(d, '名册2.csv'), [['档案编号', '姓名', '性别', '出生日期', '纳入管理日期', '高血压分级'], ['P1', '王明', '男', '1950-01-01', '2020-01-01', '1级']]);
    const [b] = await importFiles(freshDb(d, 'b.sqlite'), [said], { today: TODAY });
    expect(b!.error?.code).toBe('REG_REGISTER_AMBIGUOUS');
    expect(b!.error?.hint).toContain('--register hypertension_patients');
    expect(b!.error?.hint).not.toContain('diabetes_patients');
  });
});

describe('12. date order', () => {
  it('a roster whose 终止管理日期 is before its 纳入管理日期 (real date cells, through the binary): that row is rejected, the others land as written', async () => {
    const d = tmp();
    const f = path.join(d, '糖尿病患者管理名册.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['糖尿病患者管理名册']);
    ws.addRow(['档案编号', '姓名', '性别', '出生日期', '纳入管理日期', '管理状态', '终止管理日期']);
    const day = (s: string) => new Date(`${s}T00:00:00Z`);
    ws.addRow(['D1', '甲', '男', day('1950-01-01'), day('2023-05-10'), '在管', null]);
    ws.addRow(['D2', '乙', '女', day('1951-02-02'), day('2025-06-01'), '终止', day('2025-05-31')]);
    ws.addRow(['D3', '丙', '男', day('1952-03-03'), day('2024-01-01'), '终止', day('2024-01-01')]);
    for (const c of [4, 5, 7]) ws.getColumn(c).numFmt = 'yyyy-mm-dd';
    await wb.xlsx.writeFile(f);
    const db = path.join(d, 'db.sqlite');
    const r = run(['registers', 'import', f, '--db', db, '--format', 'json']);
    expect(r.status).toBe(1);
    const [s] = JSON.parse(r.stdout) as ImportSummary[];
    expect(s).toMatchObject({ register: 'diabetes_patients', rowsRead: 3, inserted: 2, rejected: 1 });
    expect(s!.issues.map((i) => [i.code, i.row, i.column])).toEqual([['REG_END_BEFORE_START', 4, '终止管理日期']]);
    const stored = openDatabase(db, { readonly: true });
    expect(stored.prepare('SELECT patient_id, enrolled_date, ended_date FROM diabetes_patients ORDER BY patient_id').all()).toEqual([
      { patient_id: 'D1', enrolled_date: '2023-05-10', ended_date: null },
      { patient_id: 'D3', enrolled_date: '2024-01-01', ended_date: '2024-01-01' },
    ]);
    stored.close();
  });
});

describe('13. disk full during an import', () => {
  it('the file that does not fit is rolled back and reported DISK_FULL; those before stay committed; later files are tried', async () => {
    const d = tmp();
    const db = freshDb(d);
    const small = writeCsv(path.join(d, 'a.csv'), [HTN, ['0001', '2025-03-01', '门诊', 130, 80]]);
    const big = writeCsv(path.join(d, 'b.csv'), [HTN, ...Array.from({ length: 20000 }, (_, i) => [`B${i}`, '2025-03-01', '门诊', 130, 80])]);
    const small2 = writeCsv(path.join(d, 'c.csv'), [HTN, ['0003', '2025-03-01', '门诊', 130, 80]]);
    const pages = (db.pragma('page_count', { simple: true }) as number) + 40;
    db.pragma(`max_page_count = ${pages}`); // SQLite's own "database or disk is full", as on a full disk
    const res = await importFiles(db, [small, big, small2], { today: TODAY });
    expect(res.map((s) => s.error?.code ?? s.inserted)).toEqual([1, 'DISK_FULL', 1]);
    expect(res[1]!.error!.message).toContain('磁盘空间不足');
    expect(db.prepare('SELECT patient_id FROM hypertension_followups ORDER BY patient_id').all()).toEqual([{ patient_id: '0001' }, { patient_id: '0003' }]);
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 2 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a database that cannot even take the register tables fails with DISK_FULL, not an internal error', async () => {
    const d = tmp();
    const db = openDatabase(path.join(d, 'full.sqlite'));
    db.pragma('max_page_count = 3');
    const f = writeCsv(path.join(d, 'a.csv'), [HTN, ['0001', '2025-03-01', '门诊', 130, 80]]);
    await expect(importFiles(db, [f], { today: TODAY })).rejects.toMatchObject({ code: 'DISK_FULL' });
    db.close();
  });

  it.skipIf(!ROOT)('on a real full disk (tmpfs) the binary prints the summary of what was committed, 磁盘空间不足, exit 2 (needs root)', async () => {
    const m = mountTmpfs('1m');
    if (!m) return;
    try {
      const d = tmp();
      const small = writeCsv(path.join(d, 'a.csv'), [HTN, ['0001', '2025-03-01', '门诊', 130, 80]]);
      const big = writeCsv(path.join(d, 'b.csv'), [HTN, ...Array.from({ length: 40000 }, (_, i) => [`B${i}`, '2025-03-01', '门诊', 130, 80])]);
      const small2 = writeCsv(path.join(d, 'c.csv'), [HTN, ['0003', '2025-03-01', '门诊', 130, 80]]);
      const db = path.join(m.dir, 'db.sqlite');
      const r = run(['registers', 'import', small, big, small2, '--db', db]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('DISK_FULL');
      expect(r.stderr).toContain('磁盘空间不足');
      expect(r.stderr + r.stdout).not.toContain('INTERNAL');
      expect(r.stdout).toContain('a.csv');
      expect(r.stdout).toContain('c.csv');
      expect(r.stdout).toMatch(/合计：读取 \d+ 行/);
      const check = spawnSync('sqlite3', [db, 'PRAGMA integrity_check; SELECT patient_id FROM hypertension_followups WHERE patient_id = \'0001\';'], { encoding: 'utf8' });
      if (check.status === 0) expect(check.stdout.trim().split('\n')).toEqual(['ok', '0001']);
    } finally {
      m.unmount();
    }
  });
});

describe('15. registers rejects and describe', () => {
  it.skipIf(!ROOT)('rejects reads a database in a read-only folder (needs root for a read-only mount)', async () => {
    const m = mountTmpfs('4m');
    if (!m) return;
    try {
      const d = tmp();
      const f = writeCsv(path.join(d, 'a.csv'), [HTN, ['0001', '2025-02-30', '门诊', 130, 80]]);
      const db = path.join(m.dir, 'db.sqlite');
      expect(run(['registers', 'import', f, '--db', db]).status).toBe(1);
      m.remountReadonly();
      const out = path.join(d, 'r.xlsx');
      const r = run(['registers', 'rejects', '--db', db, '-o', out]);
      expect(r.status, r.stderr).toBe(0);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      expect(wb.worksheets[0]!.getRow(3).getCell(1).value).toBe('0001');
    } finally {
      m.unmount();
    }
  });

  it('describe 高血压 finds both hypertension registers; piped, no alias is cut', () => {
    const r = run(['registers', 'describe', '高血压']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hypertension_patients');
    expect(r.stdout).toContain('hypertension_followups');
    const j = JSON.parse(run(['registers', 'describe', '高血压', '--format', 'json']).stdout) as { id: string }[];
    expect(j.map((x) => x.id).sort()).toEqual(['hypertension_followups', 'hypertension_patients']);
    const cat = readFileSync(path.resolve('catalog/registers/hypertension_patients.yaml'), 'utf8');
    const one = run(['registers', 'describe', 'hypertension_patients']).stdout;
    for (const alias of ['居民健康档案编号', '患者档案编号', '身份证件号码']) {
      expect(cat).toContain(alias);
      expect(one).toContain(alias);
    }
    expect(one).not.toContain('…');
    expect(run(['registers', 'describe', '不存在的表']).status).toBe(2);
  });
});
