// registers template (round trip), rejects export (original layout + 错误原因, re-import after correction), list, describe.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { importFiles } from '../../src/registers/import.js';
import { freshDb, HTN_HEADER, tmp, validId, writeCsv } from './helpers.js';

const BIN = path.resolve('bin/gongwei.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const TODAY = '2025-12-31';

async function readBook(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe('registers template', () => {
  it('has canonical headers, formats, drop-downs and a 填表说明 sheet; a filled template imports cleanly', async () => {
    const d = tmp();
    const file = path.join(d, 'htn.xlsx');
    const r = run(['registers', 'template', 'hypertension_patients', '-o', file]);
    expect(r.status).toBe(0);
    const wb = await readBook(file);
    const ws = wb.worksheets[0]!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(['档案编号', '姓名', '性别', '出生日期', '身份证号', '所属村', '确诊日期', '纳入管理日期', '管理状态', '终止管理日期', '责任医生']);
    expect(wb.getWorksheet('填表说明')).toBeDefined();
    expect(ws.getColumn(4).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getColumn(5).numFmt).toBe('@');
    const dv = (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model;
    const sexRule = Object.entries(dv).find(([addr]) => addr.startsWith('C2'))?.[1];
    expect(sexRule?.type).toBe('list');
    const statusRule = Object.entries(dv).find(([addr]) => addr.startsWith('I2'))?.[1];
    expect(statusRule?.type).toBe('list');
    // Fill it in like a clinic would: typed text, real dates, an ID as text.
    for (let i = 0; i < 5; i++) {
      ws.addRow([`00${i}`, `王${i}明`, i % 2 ? '女' : '男', new Date(Date.UTC(1950, 0, 1 + i)), validId(`195001${String(1 + i).padStart(2, '0')}`, i), '青石村', new Date(Date.UTC(2020, 5, 1)), '2021-01-01', '在管', null, '李医生']);
    }
    await wb.xlsx.writeFile(file);
    const db = freshDb(d);
    const res = await importFiles(db, [file], { today: TODAY });
    const main = res.find((s) => s.register)!;
    expect(main).toMatchObject({ register: 'hypertension_patients', rowsRead: 5, inserted: 5, rejected: 0, warnings: 0 });
    expect(res.filter((s) => s.skipped).map((s) => s.skipped!.code).sort()).toEqual(['REG_NO_HEADER', 'REG_SHEET_HIDDEN']);
    expect(db.prepare('SELECT patient_id, birth_date, diagnosed_date FROM hypertension_patients ORDER BY rowid LIMIT 1').get()).toEqual({
      patient_id: '000', birth_date: '1950-01-01', diagnosed_date: '2020-06-01',
    });
  });

  it('has a vaccine drop-down from the schedule; unknown register is an error', async () => {
    const d = tmp();
    const file = path.join(d, 'vac.xlsx');
    expect(run(['registers', 'template', '预防接种记录', '-o', file]).status).toBe(0);
    const wb = await readBook(file);
    const lists = wb.getWorksheet('取值')!;
    const names = (lists.getColumn(1).values as unknown[]).slice(2);
    expect(names).toContain('乙肝疫苗');
    const bad = run(['registers', 'template', '不存在', '-o', path.join(d, 'x.xlsx')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('REG_REGISTER_NOT_FOUND');
  });
});

describe('registers rejects', () => {
  it('exports rejected rows in the original layout plus 错误原因; corrected, they import', async () => {
    const d = tmp();
    const dbFile = path.join(d, 'db.sqlite');
    const db = freshDb(d, 'db.sqlite');
    const f = writeCsv(path.join(d, 'bad.csv'), [
      ['高血压随访'], HTN_HEADER,
      ['0001', '2025-03-01', '门诊', 130, 80, '李'],
      ['0002', '2025-02-30', '门诊', 130, 80, '李'],
      ['0003', '2025-03-02', '微信', 130, 80, '李'],
    ]);
    await importFiles(db, [f], { today: TODAY });
    db.close();
    const out = path.join(d, 'rej.xlsx');
    const r = run(['registers', 'rejects', '--db', dbFile, '-o', out]);
    expect(r.status).toBe(0);
    const wb = await readBook(out);
    const ws = wb.worksheets[0]!;
    // A title naming the register, then the original headers.
    expect(String(ws.getRow(1).getCell(1).value)).toContain('hypertension_followups');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['档案编号', '随访日期', '随访方式', '收缩压(mmHg)', '舒张压（mmHg）', '随访医生', '错误原因']);
    expect(ws.rowCount).toBe(4);
    expect((ws.getRow(3).values as unknown[]).slice(1, 3)).toEqual(['0002', '2025-02-30']);
    expect(String(ws.getRow(3).getCell(7).value)).toContain('REG_BAD_DATE');
    expect(String(ws.getRow(4).getCell(7).value)).toContain('REG_BAD_ENUM');
    // Correct and re-send.
    ws.getRow(3).getCell(2).value = '2025-02-28';
    ws.getRow(4).getCell(3).value = '电话';
    await wb.xlsx.writeFile(out);
    const db2 = freshDb(d, 'db.sqlite');
    const res = await importFiles(db2, [out], { today: TODAY });
    expect(res.find((s) => s.register)).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 });
    db2.close();
    const none = run(['registers', 'rejects', '--db', path.join(d, 'none.sqlite'), '-o', path.join(d, 'n.xlsx')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('DB_NOT_FOUND');
  });
});

describe('registers list / describe', () => {
  it('lists every register as text and JSON', () => {
    const t = run(['registers', 'list']);
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('hypertension_followups');
    const j = JSON.parse(run(['registers', 'list', '--format', 'json']).stdout);
    expect(j.map((r: { id: string }) => r.id)).toContain('mental_followups');
    expect(j.length).toBe(15);
  });
  it('describes a register by Chinese name, and refuses an unknown one', () => {
    const j = JSON.parse(run(['registers', 'describe', '高血压患者随访记录', '--format', 'json']).stdout);
    expect(j.id).toBe('hypertension_followups');
    expect(j.naturalKey).toEqual(['patient_id', 'followup_date']);
    const t = run(['registers', 'describe', 'vaccinations']);
    expect(t.stdout).toContain('疫苗名称');
    const bad = run(['registers', 'describe', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('REG_REGISTER_NOT_FOUND');
  });
});
