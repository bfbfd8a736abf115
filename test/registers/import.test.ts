// Import guarantees and messy input through the library: counts, idempotence, upsert, provenance, rejects, detection.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importFiles, type ImportSummary } from '../../src/registers/import.js';
import { csvText, dump, freshDb, HTN_HEADER, tmp, validId, writeCsv, writeXlsx } from './helpers.js';

const TODAY = '2025-12-31';
const addsUp = (s: ImportSummary) => expect(s.inserted + s.updated + s.unchanged + s.rejected).toBe(s.rowsRead);

function htnRows(n: number, month = 3, changed = new Set<number>()): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push([`${String(i).padStart(6, '0')}`, `2025-${String(month).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`, '门诊', changed.has(i) ? 150 : 120 + (i % 30), 80, '李医生']);
  }
  return rows;
}

describe('registers import (library)', () => {
  it('reads a title, a two-line title, the header, data, and stops at 合计 (a record below it is rejected, not dropped unseen)', async () => {
    const d = tmp();
    const f = writeCsv(path.join(d, 'htn.csv'), [
      ['青石镇卫生院高血压患者随访登记表'], ['填报单位：青石镇卫生院', '', '日期：2025年4月1日'], [], HTN_HEADER,
      ...htnRows(3), [], ['合计', '3'], ['000009', '2025-03-01', '门诊', 120, 80, '李'],
    ]);
    const db = freshDb(d);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'hypertension_followups', headerRow: 4, rowsRead: 4, inserted: 3, rejected: 1 });
    expect(db.prepare('SELECT "row", code FROM rejected_rows').all()).toEqual([{ row: 10, code: 'REG_ROW_AFTER_END' }]);
    expect(db.prepare('SELECT sha256 FROM imports').get()).toEqual({ sha256: createHash('sha256').update(readFileSync(f)).digest('hex') });
    expect(db.prepare('SELECT patient_id, followup_date, sbp, dbp FROM hypertension_followups ORDER BY rowid').all()[0]).toEqual({
      patient_id: '000000', followup_date: '2025-03-01', sbp: 120, dbp: 80,
    });
  });

  it('same file twice changes nothing; next month updates changed rows and adds new ones', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f1 = writeCsv(path.join(d, 'm3.csv'), [HTN_HEADER, ...htnRows(50)]);
    const [a] = await importFiles(db, [f1], { today: TODAY });
    expect(a).toMatchObject({ rowsRead: 50, inserted: 50, updated: 0, unchanged: 0, rejected: 0 });
    const before = dump(db, 'hypertension_followups');
    const [b] = await importFiles(db, [f1], { today: TODAY });
    expect(b).toMatchObject({ rowsRead: 50, inserted: 0, updated: 0, unchanged: 50, rejected: 0 });
    expect(dump(db, 'hypertension_followups')).toEqual(before);
    // April's cumulative export: March again with 5 rows changed, plus 20 April rows.
    const f2 = writeCsv(path.join(d, 'm4.csv'), [HTN_HEADER, ...htnRows(50, 3, new Set([1, 2, 3, 4, 5])), ...htnRows(20, 4)]);
    const [c] = await importFiles(db, [f2], { today: TODAY });
    expect(c).toMatchObject({ rowsRead: 70, inserted: 20, updated: 5, unchanged: 45, rejected: 0 });
    addsUp(c!);
    const after = dump(db, 'hypertension_followups') as { rowid: number; sbp: number; _import_id: number }[];
    expect(after.length).toBe(70);
    // Updates keep the rowid; the changed rows carry the new import id.
    expect(after[1]).toMatchObject({ rowid: 2, sbp: 150, _import_id: c!.importId });
    expect(after[0]).toMatchObject({ rowid: 1, _import_id: a!.importId });
    // The same rows, written differently (dates as 2025/3/1), are unchanged.
    const f3 = writeCsv(path.join(d, 'm3b.csv'), [HTN_HEADER, ...htnRows(50).slice(0, 10).map((r) => [r[0]!, String(r[1]).replace(/-0?/g, '/'), ...r.slice(2)])]);
    const [e] = await importFiles(db, [f3], { today: TODAY });
    expect(e).toMatchObject({ rowsRead: 10, unchanged: 5, updated: 5 }); // rows 1-5 go back from 150
  });

  it('stores rejected rows with position, column, code and raw values; counts add up', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'bad.csv'), [
      ['高血压随访'], HTN_HEADER,
      ['000001', '2025-03-01', '门诊', 130, 80, '李'],
      ['000002', '2025-02-30', '门诊', 130, 80, '李'], // bad date
      ['', '2025-03-02', '门诊', 130, 80, '李'], // key missing
      ['000003', '2099-01-01', '微信', 130, 80, '李'], // future + bad enum
      ['000004', '2025-03-04', '门诊', 500, 80, '李'], // impossible
      ['000005', '2025-03-05', '门诊', 260, 80, '李'], // unlikely: warning
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 6, inserted: 2, rejected: 4, warnings: 1 });
    addsUp(s!);
    const rej = db.prepare('SELECT "row", "column", code, raw FROM rejected_rows ORDER BY "row", code').all() as { row: number; column: string; code: string; raw: string }[];
    expect(rej.map((r) => [r.row, r.column, r.code])).toEqual([
      [4, '随访日期', 'REG_BAD_DATE'],
      [5, '档案编号', 'REG_REQUIRED_MISSING'],
      [6, '随访方式', 'REG_BAD_ENUM'],
      [6, '随访日期', 'REG_DATE_FUTURE'],
      [7, '收缩压(mmHg)', 'REG_VALUE_IMPOSSIBLE'],
    ]);
    expect(Object.keys(JSON.parse(rej[0]!.raw))).toEqual(['档案编号', '随访日期', '随访方式', '收缩压(mmHg)', '舒张压（mmHg）', '随访医生']);
    expect(JSON.parse(rej[0]!.raw)['随访日期']).toBe('2025-02-30');
    const w = db.prepare('SELECT "row", code, natural_key FROM row_warnings').all();
    expect(w).toEqual([{ row: 8, code: 'REG_VALUE_UNLIKELY', natural_key: '{"patient_id":"000005","followup_date":"2025-03-05"}' }]);
  });

  it('records provenance', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'p.csv'), [HTN_HEADER, ...htnRows(4)], 'gb18030');
    const t0 = new Date().toISOString();
    const [s] = await importFiles(db, [f], { today: TODAY, register: 'hypertension_followups' });
    const row = db.prepare('SELECT * FROM imports WHERE id = ?').get(s!.importId) as Record<string, unknown>;
    expect(row).toMatchObject({
      file: path.resolve(f), sha256: createHash('sha256').update(readFileSync(f)).digest('hex'), size: statSync(f).size,
      register: 'hypertension_followups', rows_read: 4, inserted: 4, updated: 0, unchanged: 0, rejected: 0, warnings: 0,
      tool_version: JSON.parse(readFileSync('package.json', 'utf8')).version,
    });
    expect(JSON.parse(row.options as string)).toMatchObject({ register: 'hypertension_followups', encoding: 'gb18030' });
    expect(String(row.started_at) >= t0.slice(0, 19)).toBe(true);
    expect(String(row.finished_at) >= String(row.started_at)).toBe(true);
  });

  it('duplicated natural keys: identical → unchanged with a warning; different → the later row replaces the earlier one (updated, warning)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'dup.csv'), [
      HTN_HEADER,
      ['000001', '2025-03-01', '门诊', 130, 80, '李'],
      ['000001', '2025-03-01', '门诊', 130, 80, '李'],
      ['000001', '2025/3/1', '门诊', 140, 90, '李'],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 3, inserted: 1, unchanged: 1, updated: 1, rejected: 0, warnings: 2 });
    expect(db.prepare('SELECT sbp, dbp FROM hypertension_followups').all()).toEqual([{ sbp: 140, dbp: 90 }]);
    expect(db.prepare('SELECT "row", code FROM rejected_rows').all()).toEqual([]);
    expect(db.prepare('SELECT "row", code, message FROM row_warnings ORDER BY "row"').all()).toEqual([
      { row: 3, code: 'REG_DUPLICATE_ROW', message: expect.stringContaining('第2行') },
      { row: 4, code: 'REG_DUPLICATE_KEY', message: expect.stringMatching(/与第2行.*以后出现的本行为准/) },
    ]);
    // Re-importing the same file changes nothing.
    const [t] = await importFiles(db, [f], { today: TODAY });
    expect(t).toMatchObject({ rowsRead: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect(db.prepare('SELECT sbp, dbp FROM hypertension_followups').all()).toEqual([{ sbp: 140, dbp: 90 }]);
  });

  it('a column of dates written in four formats (and serials)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'dates.csv'), [
      HTN_HEADER,
      ['a1', '2025-03-05', '门诊', 130, 80, ''], ['a2', '2025/3/6', '门诊', 130, 80, ''], ['a3', '2025.03.07', '门诊', 130, 80, ''],
      ['a4', '20250308', '门诊', 130, 80, ''], ['a5', '2025年3月9日', '门诊', 130, 80, ''], ['a6', '45726', '门诊', 130, 80, ''],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ inserted: 6, rejected: 0 });
    expect(db.prepare('SELECT followup_date AS d FROM hypertension_followups ORDER BY rowid').all().map((r) => (r as { d: string }).d)).toEqual([
      '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08', '2025-03-09', '2025-03-10',
    ]);
  });

  it('residents: ID numbers (x, full-width X, lost digits), birth date from the ID, sex codes, booleans, leading zeros', async () => {
    const d = tmp();
    const db = freshDb(d);
    const id1 = validId('19500612', 123);
    let idX = '';
    for (let i = 0; i < 1000 && !idX; i++) if (validId('19600101', i).endsWith('X')) idX = validId('19600101', i);
    const f = writeCsv(path.join(d, 'res.csv'), [
      ['档案编号', '姓名', '性别', '出生日期', '身份证号码', '所属村', '建档日期', '是否电子档案', '档案状态', '责任医生'],
      ['0012', '王小明', '1', '', id1, '青石村', '2020-01-02', '√', '正常', '李'],
      ['0013', '李四', 'F', '1960-01-01', idX.toLowerCase(), '东溪村', '2020-01-02', '×', '正常', '李'],
      ['0014', '张三', '男', '1960-01-01', idX.slice(0, 17) + 'Ｘ', '东溪村', '2020-01-02', '否', '正常', '李'],
      ['0015', '赵六', '男', '', '4.30102E+17', '南岭村', '2020-01-02', '是', '正常', '李'],
      ['0016', '钱七', '男', '1951-01-01', id1.slice(0, 17) + (id1[17] === '1' ? '2' : '1'), '南岭村', '2020-01-02', '是', '正常', '李'],
      ['0017', '孙八', '男', '1950-06-12', '', '南岭村', '1949-01-01', '是', '正常', '李'],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'residents', rowsRead: 6, inserted: 4, rejected: 2 });
    const rows = db.prepare('SELECT record_id, sex, birth_date, id_number, is_electronic FROM residents ORDER BY rowid').all();
    expect(rows).toEqual([
      { record_id: '0012', sex: '男', birth_date: '1950-06-12', id_number: id1, is_electronic: 1 },
      { record_id: '0013', sex: '女', birth_date: '1960-01-01', id_number: idX, is_electronic: 0 },
      { record_id: '0014', sex: '男', birth_date: '1960-01-01', id_number: idX, is_electronic: 0 },
      { record_id: '0016', sex: '男', birth_date: '1951-01-01', id_number: expect.any(String), is_electronic: 1 },
    ]);
    expect(db.prepare('SELECT "row", code FROM rejected_rows ORDER BY "row"').all()).toEqual([
      { row: 5, code: 'REG_ID_PRECISION_LOST' },
      { row: 7, code: 'REG_DATE_BEFORE_BIRTH' },
    ]);
    const w = db.prepare('SELECT "row", code FROM row_warnings ORDER BY "row", code').all();
    expect(w).toEqual([{ row: 6, code: 'REG_ID_BIRTH_MISMATCH' }, { row: 6, code: 'REG_ID_CHECKSUM' }]);
    // Personal data never in messages.
    for (const i of s!.issues) expect(i.message).not.toMatch(/王小明|\d{17}/);
  });

  it('a patient who ends before being enrolled is rejected with its position; blood pressure checks are the catalogue\'s', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'patients.csv'), [
      ['档案编号', '姓名', '纳入管理日期', '管理状态', '终止管理日期', '所属村'],
      ['P1', '甲', '2024-03-01', '在管', '', '青石村'],
      ['P2', '乙', '2025-06-01', '终止', '2025-03-01', '青石村'],
      ['P3', '丙', '2025-06-01', '终止', '2025-06-01', '青石村'],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY, register: 'hypertension_patients' });
    expect(s).toMatchObject({ register: 'hypertension_patients', rowsRead: 3, inserted: 2, rejected: 1 });
    expect(s!.issues.map((i) => [i.code, i.row, i.column, i.severity])).toEqual([['REG_END_BEFORE_START', 3, '终止管理日期', 'error']]);
    expect(s!.issues[0]!.message).toContain('2025-03-01');
    expect(db.prepare('SELECT patient_id FROM hypertension_patients ORDER BY rowid').all()).toEqual([{ patient_id: 'P1' }, { patient_id: 'P3' }]);
    const g = writeCsv(path.join(d, 'bp.csv'), [
      ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压'],
      ['P1', '2025-03-01', '门诊', '85', '135'],
      ['P1', '2025-04-01', '门诊', '140', ''],
    ]);
    const [b] = await importFiles(db, [g], { today: TODAY, register: 'hypertension_followups' });
    expect(b!.issues.map((i) => [i.code, i.row, i.column, i.severity])).toEqual([
      ['REG_BP_INVERTED', 2, '收缩压', 'warning'],
      ['REG_BP_INCOMPLETE', 3, '舒张压', 'warning'],
    ]);
  });

  it('vaccinations: names mapped to codes, raw name kept, dose from the name when 剂次 is missing', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'vac.csv'), [
      ['儿童编号', '疫苗名称', '剂次', '接种日期', '接种单位', '疫苗批号'],
      ['C001', '乙肝疫苗', 1, '2025-01-02', '青石镇卫生院', '0012'],
      ['C001', '乙肝疫苗第2剂', '', '2025-02-02', '青石镇卫生院', '0013'],
      ['C001', '神奇疫苗', 1, '2025-02-02', '青石镇卫生院', ''],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'vaccinations', inserted: 3, warnings: 1 });
    expect(db.prepare('SELECT vaccine, dose, vaccine_name, batch FROM vaccinations ORDER BY rowid').all()).toEqual([
      { vaccine: 'HepB', dose: 1, vaccine_name: '乙肝疫苗', batch: '0012' },
      { vaccine: 'HepB', dose: 2, vaccine_name: '乙肝疫苗第2剂', batch: '0013' },
      { vaccine: '神奇疫苗', dose: 1, vaccine_name: '神奇疫苗', batch: null },
    ]);
  });

  it('blood pressure in one cell; infectious report datetimes', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'bp.csv'), [
      ['档案编号', '随访日期', '随访方式', '血压(mmHg)'],
      ['1', '2025-03-01', '门诊', '135/85'], ['2', '2025-03-01', '门诊', '高'],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'hypertension_followups', inserted: 1, rejected: 1 });
    expect(db.prepare('SELECT sbp, dbp FROM hypertension_followups').get()).toEqual({ sbp: 135, dbp: 85 });
    const g = writeCsv(path.join(d, 'inf.csv'), [
      ['卡片编号', '疾病名称', '传染病类别', '诊断时间', '报告时间', '是否网络直报'],
      ['K1', '肺结核', '乙类', '2025-03-05 14:20', '2025/3/5 16:00:30', '是'],
    ]);
    await importFiles(db, [g], { today: TODAY });
    expect(db.prepare('SELECT diagnosed_at, reported_at, reported_online FROM infectious_reports').get()).toEqual({
      diagnosed_at: '2025-03-05 14:20', reported_at: '2025-03-05 16:00:30', reported_online: 1,
    });
  });

  it('xlsx: serial dates (1900 and 1904), several sheets, hidden and note sheets skipped', async () => {
    const d = tmp();
    const db = freshDb(d);
    const rows = [['青石镇卫生院高血压患者随访登记表'], HTN_HEADER, ['X1', new Date(Date.UTC(2025, 2, 5)), '门诊', 130, 80, '李'], ['合计', 1]];
    const f = await writeXlsx(path.join(d, 'a.xlsx'), [
      { name: '随访', rows, dateFormatCols: [1] },
      { name: '填表说明', rows: [['1. 日期写成 2025-03-05'], ['2. 血压写整数']] },
      { name: '隐藏', rows, hidden: true },
    ]);
    const res = await importFiles(db, [f], { today: TODAY });
    expect(res.map((r) => [r.sheet, r.register ?? r.skipped?.code])).toEqual([
      ['随访', 'hypertension_followups'], ['填表说明', 'REG_NO_HEADER'], ['隐藏', 'REG_SHEET_HIDDEN'],
    ]);
    expect(db.prepare('SELECT followup_date FROM hypertension_followups').all()).toEqual([{ followup_date: '2025-03-05' }]);
    const g = await writeXlsx(path.join(d, 'b.xlsx'), [{ name: 'S', rows: [HTN_HEADER, ['X2', new Date(Date.UTC(2025, 2, 6)), '门诊', 130, 80, '李']], dateFormatCols: [1] }], { date1904: true });
    await importFiles(db, [g], { today: TODAY });
    expect(db.prepare("SELECT followup_date FROM hypertension_followups WHERE patient_id='X2'").all()).toEqual([{ followup_date: '2025-03-06' }]);
  });

  it('register detection: ambiguous, unknown, --register, title keywords', async () => {
    const d = tmp();
    const db = freshDb(d);
    const header = ['档案编号', '姓名', '性别', '出生日期', '所属村', '纳入管理日期', '管理状态'];
    const data = ['P1', '王五', '男', '1950-01-01', '青石村', '2020-01-01', '在管'];
    const amb = writeCsv(path.join(d, 'patients.csv'), [header, data]);
    const [a] = await importFiles(db, [amb], { today: TODAY });
    expect(a!.error?.code).toBe('REG_REGISTER_AMBIGUOUS');
    expect(a!.error?.message).toContain('hypertension_patients');
    const [b] = await importFiles(db, [amb], { today: TODAY, register: '糖尿病患者管理' });
    expect(b).toMatchObject({ register: 'diabetes_patients', inserted: 1 });
    const titled = writeCsv(path.join(d, 'x.csv'), [['青石镇卫生院高血压患者管理名册'], header, data]);
    const [c] = await importFiles(db, [titled], { today: TODAY });
    expect(c).toMatchObject({ register: 'hypertension_patients', inserted: 1 });
    const unknown = writeCsv(path.join(d, 'u.csv'), [['编号', '品名', '规格', '数量'], ['1', '口罩', '个', '3']]);
    const [u] = await importFiles(db, [unknown], { today: TODAY });
    expect(u!.error?.code).toBe('REG_NO_HEADER');
    const partial = writeCsv(path.join(d, 'v.csv'), [['姓名', '性别', '品名', '规格'], ['王', '男', '口罩', '个']]);
    const [v] = await importFiles(db, [partial], { today: TODAY });
    expect(v!.error?.code).toBe('REG_UNKNOWN_REGISTER');
    expect(v!.error?.hint).toContain('品名');
    const [w] = await importFiles(db, [amb], { today: TODAY, register: 'no_such' });
    expect(w!.error?.code).toBe('REG_REGISTER_NOT_FOUND');
    const [x] = await importFiles(db, [partial], { today: TODAY, register: 'hypertension_patients' });
    expect(x!.error?.code).toBe('REG_KEY_COLUMNS_MISSING');
  });

  it('bad files: 0 bytes, only a title, a directory, a corrupt xlsx, a truncated xlsx; the database is untouched', async () => {
    const d = tmp();
    const db = freshDb(d);
    writeFileSync(path.join(d, 'zero.csv'), '');
    writeCsv(path.join(d, 'title.csv'), [['青石镇卫生院高血压患者随访登记表'], ['填报单位：青石镇卫生院']]);
    mkdirSync(path.join(d, 'dir.xlsx'));
    writeFileSync(path.join(d, 'corrupt.xlsx'), Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
    const good = await writeXlsx(path.join(d, 'good.xlsx'), [{ name: 'S', rows: [HTN_HEADER, ...htnRows(200)] }]);
    const buf = readFileSync(good);
    writeFileSync(path.join(d, 'trunc.xlsx'), buf.subarray(0, Math.floor(buf.length / 2)));
    const names = ['zero.csv', 'title.csv', 'dir.xlsx', 'corrupt.xlsx', 'trunc.xlsx', 'missing.csv'];
    const res = await importFiles(db, names.map((n) => path.join(d, n)), { today: TODAY });
    const codes = res.map((r) => r.error?.code);
    expect(codes.slice(0, 3)).toEqual(['REG_FILE_EMPTY', 'REG_NO_HEADER', 'FILE_IS_DIRECTORY']);
    expect(codes[3]).toMatch(/XLSX|CORRUPT|ZIP/);
    expect(codes[4]).toMatch(/XLSX|CORRUPT|ZIP|TRUNC/);
    expect(codes[5]).toBe('FILE_NOT_FOUND');
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM hypertension_followups').get()).toEqual({ n: 0 });
  });

  it('ragged rows, embedded newlines and quotes in a real file', async () => {
    const d = tmp();
    const db = freshDb(d);
    const text = csvText([
      ['卡片编号', '疾病名称', '传染病类别', '诊断时间', '报告时间'],
      ['K1', '肺结核\n（复治）', '乙类', '2025-03-05 14:20'], // short row; the disease keeps its full-width brackets (free text is stored as written)
      ['K2', '手足口病 "重症"', '丙类', '2025-03-05', '2025-03-06', '多余的值'], // long row
    ]);
    writeFileSync(path.join(d, 'r.csv'), text);
    const [s] = await importFiles(db, [path.join(d, 'r.csv')], { today: TODAY });
    expect(s).toMatchObject({ rowsRead: 2, inserted: 2, warnings: 1 });
    expect(db.prepare('SELECT "row", "column", code FROM row_warnings').all()).toEqual([{ row: 3, column: '列6', code: 'REG_EXTRA_CELLS' }]);
    expect(db.prepare('SELECT card_id, disease, reported_at FROM infectious_reports ORDER BY rowid').all()).toEqual([
      { card_id: 'K1', disease: '肺结核 （复治）', reported_at: null },
      { card_id: 'K2', disease: '手足口病 "重症"', reported_at: '2025-03-06 00:00' },
    ]);
  });
});

describe('registers import (headers)', () => {
  it('two-line header: 血压 over 收缩压 | 舒张压, a merged title, headers with units and full-width brackets', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'two.csv'), [
      ['2025年 高血压患者随访登记表', '', '', '', ''],
      ['档案编号', '随访日期', '血压', '', '随访医生'],
      ['', '', '收缩压\n（mmHg）', '舒张压（mmHg）', ''],
      ['A1', '2025-03-01', 131, 81, '李'],
    ]);
    const [s] = await importFiles(db, [f], { today: TODAY });
    expect(s).toMatchObject({ register: 'hypertension_followups', headerRow: 2, rowsRead: 1, inserted: 1 });
    expect(db.prepare('SELECT sbp, dbp FROM hypertension_followups').get()).toEqual({ sbp: 131, dbp: 81 });
  });

  it('--encoding overrides detection (a GB18030 file read as UTF-8 does not find its headers)', async () => {
    const d = tmp();
    const db = freshDb(d);
    const f = writeCsv(path.join(d, 'g.csv'), [HTN_HEADER, ...htnRows(2)], 'gb18030');
    const [a] = await importFiles(db, [f], { today: TODAY, encoding: 'utf-8' });
    expect(a!.error?.code).toBe('REG_NO_HEADER');
    const [b] = await importFiles(db, [f], { today: TODAY, encoding: 'GBK' });
    expect(b).toMatchObject({ inserted: 2, encoding: 'gb18030' });
  });
});
