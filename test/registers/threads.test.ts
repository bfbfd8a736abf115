// An xlsx read on a second thread (GONGWEI_THREADS=2) and on this one (GONGWEI_THREADS=1, and the default) give the
// same database — register rows, rejected rows, warnings, import records — and the same summary, through the real binary.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { tmp } from './helpers.js';

const root = path.resolve('.');
const BIN = path.join(root, 'bin/gongwei.js');
const EXAMPLES = path.join(root, 'examples/registers');

/** A hand-kept roster: a notes sheet first (no header), a hidden sheet, 所属村 merged down blocks, dates, 0000 codes, rejects, a 合计 row. */
async function messyWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet('填表说明');
  for (let i = 0; i < 40; i++) notes.addRow([`第${i + 1}条：按要求填写`]);
  const ws = wb.addWorksheet('居民健康档案');
  ws.addRow(['青石镇卫生院居民健康档案']);
  ws.addRow(['档案编号', '姓名', '性别', '出生日期', '所属村', '建档日期', '责任医生']);
  const villages = ['青石村', '东溪村', '南岭村'];
  for (let i = 0; i < 300; i++) {
    const birth = i === 17 ? '1980-13-45' : new Date(Date.UTC(1950 + (i % 50), i % 12, 1 + (i % 28)));
    const row = ws.addRow([i + 1, `王${'明华英'[i % 3]}`, i % 2 ? '男' : '女', birth, i % 10 === 0 ? villages[(i / 10) % 3] : null, new Date(Date.UTC(2025, i % 12, 2)), i === 40 ? { formula: 'A41&"号"' } : '李医生']);
    row.getCell(1).numFmt = '00000';
    row.getCell(4).numFmt = 'yyyy-mm-dd';
    row.getCell(6).numFmt = 'yyyy-mm-dd';
  }
  const again = ws.addRow([5, '王华', '女', new Date(Date.UTC(1960, 1, 1)), '青石村', new Date(Date.UTC(2025, 1, 2)), '李医生']); // a key again, other values
  again.getCell(1).numFmt = '00000';
  again.getCell(4).numFmt = 'yyyy-mm-dd';
  again.getCell(6).numFmt = 'yyyy-mm-dd';
  for (let b = 0; b < 30; b++) ws.mergeCells(3 + b * 10, 5, 12 + b * 10, 5);
  ws.addRow(['合计', 301]);
  ws.addRow([999, '赵六', '男', new Date(Date.UTC(1970, 0, 1)), '青石村', new Date(Date.UTC(2025, 0, 1)), '李医生']);
  const hidden = wb.addWorksheet('旧表', { state: 'hidden' });
  hidden.addRow(['档案编号', '姓名']);
  hidden.addRow(['1', '张三']);
  await wb.xlsx.writeFile(file);
}

function importAll(db: string, files: string[], env: Record<string, string>): { status: number | null; summary: unknown } {
  const r = spawnSync(process.execPath, [BIN, 'registers', 'import', ...files, '--db', db, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).not.toMatch(/INTERNAL|at .*\.js:\d+/);
  // Timings differ from run to run; everything else must not.
  const summary = JSON.parse(r.stdout, (k, v) => (k === 'durationMs' || k === 'rowsPerSecond' ? undefined : v));
  return { status: r.status, summary };
}

function contents(file: string): Record<string, unknown[]> {
  const db = new Sqlite(file, { readonly: true });
  const out: Record<string, unknown[]> = {};
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
    const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Record<string, unknown>[];
    out[name] = rows.map((r) => (name === 'imports' ? { ...r, started_at: undefined, finished_at: undefined } : r));
  }
  db.close();
  return out;
}

describe('one thread and the reader thread give identical imports', () => {
  it('every example xlsx and a messy roster: same tables, rejects, warnings, imports and summary; the thread is really used', async () => {
    expect(existsSync(path.join(root, 'dist/registers/source-worker.js')), 'npm run build first').toBe(true);
    const d = tmp();
    const messy = path.join(d, '居民健康档案（手工）.xlsx');
    await messyWorkbook(messy);
    const files = [messy, ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).map((f) => path.join(EXAMPLES, f))];
    const one = importAll(path.join(d, 'one.sqlite'), files, { GONGWEI_THREADS: '1' });
    // Every file on the reader thread, however small.
    const two = importAll(path.join(d, 'two.sqlite'), files, { GONGWEI_THREADS: '2', GONGWEI_THREAD_MIN_BYTES: '0' });
    expect(two.status).toBe(one.status);
    expect(two.summary).toEqual(one.summary);
    const a = contents(path.join(d, 'one.sqlite'));
    const b = contents(path.join(d, 'two.sqlite'));
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t]);
    // Not a comparison of empty databases: rows, rejects and warnings were written, from the messy roster too.
    expect(a.residents!.length).toBeGreaterThan(250);
    expect(a.rejected_rows!.length).toBeGreaterThan(2);
    expect((a.rejected_rows as { code: string }[]).map((r) => r.code)).toEqual(expect.arrayContaining(['REG_BAD_DATE', 'REG_ROW_AFTER_END', 'REG_FORMULA_NO_VALUE']));
    expect((a.row_warnings as { code: string }[]).map((r) => r.code)).toContain('REG_DUPLICATE_KEY');
    expect(a.imports!.length).toBe(files.length);

    // The reader thread is what the second run used (the built library, with the same setting).
    process.env.GONGWEI_THREAD_MIN_BYTES = '0';
    process.env.GONGWEI_THREADS = '2';
    const { openImportSource } = (await import(path.join(root, 'dist/registers/source-thread.js'))) as typeof import('../../src/registers/source-thread.js');
    const source = await openImportSource(messy);
    expect(source.close).toBeTypeOf('function');
    expect(source.sheets.map((s) => [s.name, s.hidden])).toEqual([['填表说明', false], ['居民健康档案', false], ['旧表', true]]);
    source.close!();
  }, 120000);
});
