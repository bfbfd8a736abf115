// Rows of an xlsx or CSV prepared on a second thread (large files, when a core is free; always with GONGWEI_THREADS=2)
// and on this one (GONGWEI_THREADS=1) give the same database — register rows, rejected rows, warnings, import records —
// and the same summary, through the real binary.
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { csvText, tmp, validId } from './helpers.js';

const root = path.resolve('.');
const BIN = path.join(root, 'bin/gongwei.js');
const EXAMPLES = path.join(root, 'examples/registers');
const SOFFICE = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();

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

/** The workbooks as LibreOffice saves them again (its own writer: shared strings, its styles), in `dir`. */
function savedByLibreOffice(files: string[], dir: string): string[] {
  const r = spawnSync(SOFFICE, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'xlsx', '--outdir', path.join(dir, 'lo'), ...files], { timeout: 300000 });
  const out = files.map((f) => path.join(dir, 'lo', path.basename(f)));
  for (const f of out) expect(existsSync(f), `${f}: ${r.stderr}`).toBe(true);
  return out;
}

/** The resident list of messyRows as a workbook: a blank row under the title, the list split over two sheets (its first record on both). */
async function residentsWorkbook(file: string, n: number, changed = false): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const rows = messyRows(n, changed);
  const half = Math.floor(rows.length / 2);
  for (const [name, part] of [['上半年', rows.slice(0, half)], ['下半年', [rows[1]!, rows[2]!, ...rows.slice(half)]]] as const) {
    const ws = wb.addWorksheet(name);
    if (name === '上半年') {
      ws.addRow(part[0]!);
      ws.addRow(['']);
      for (const r of part.slice(1)) ws.addRow(r);
    } else for (const r of part) ws.addRow(r);
  }
  await wb.xlsx.writeFile(file);
}

describe('one thread and the preparing thread give identical xlsx imports', () => {
  it('a messy roster and a two-sheet list (exceljs, and saved again by LibreOffice), every example xlsx, and a re-import of an edited workbook: same tables, rejects, warnings, imports and summary; the thread is really used', async () => {
    expect(existsSync(path.join(root, 'dist/registers/prepare-worker.js')), 'npm run build first').toBe(true);
    const d = tmp();
    const messy = path.join(d, '居民健康档案（手工）.xlsx');
    await messyWorkbook(messy);
    const list = path.join(d, '居民健康档案（两个工作表）.xlsx');
    await residentsWorkbook(list, 6000);
    const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).map((f) => path.join(EXAMPLES, f));
    const files = [messy, list, ...(SOFFICE ? savedByLibreOffice([messy, list], d) : []), ...examples];
    const one = importAll(path.join(d, 'one.sqlite'), files, { GONGWEI_THREADS: '1' });
    // Every file prepared on the second thread, however small.
    const two = importAll(path.join(d, 'two.sqlite'), files, { GONGWEI_THREADS: '2', GONGWEI_THREAD_MIN_BYTES: '0' });
    expect(two.status).toBe(one.status);
    expect(two.summary).toEqual(one.summary);
    // A month later: edited rows are updated, the others found unchanged by their raw hash.
    await residentsWorkbook(list, 6000, true);
    const again1 = importAll(path.join(d, 'one.sqlite'), [list], { GONGWEI_THREADS: '1' });
    const again2 = importAll(path.join(d, 'two.sqlite'), [list], { GONGWEI_THREADS: '2', GONGWEI_THREAD_MIN_BYTES: '0' });
    expect(again2.summary).toEqual(again1.summary);
    const sheets = again1.summary as { updated: number; unchanged: number }[];
    expect(sheets.reduce((n, s) => n + s.updated, 0)).toBeGreaterThanOrEqual(Math.floor(6000 / 7) - 2); // every 7th doctor edited
    expect(sheets.reduce((n, s) => n + s.unchanged, 0)).toBeGreaterThan(4000);
    const a = contents(path.join(d, 'one.sqlite'));
    const b = contents(path.join(d, 'two.sqlite'));
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t]);
    // Not a comparison of empty databases: rows, rejects and warnings were written, from the messy roster too.
    expect(a.residents!.length).toBeGreaterThan(6000);
    expect((a.rejected_rows as { code: string }[]).map((r) => r.code)).toEqual(expect.arrayContaining(['REG_BAD_DATE', 'REG_ROW_AFTER_END', 'REG_FORMULA_NO_VALUE']));
    const warned = (a.row_warnings as { code: string; message: string }[]);
    expect(warned.map((r) => r.code)).toEqual(expect.arrayContaining(['REG_DUPLICATE_KEY', 'REG_DUPLICATE_ROW', 'REG_EXTRA_CELLS']));
    expect(warned.some((w) => w.message.includes('工作表「上半年」'))).toBe(true); // a key of the first sheet again on the second
    // The merged 所属村 is the village of every row of the messy roster (its codes are 00001…), both ways.
    const roster = (a.residents as { record_id: string; village: string | null }[]).filter((r) => r.record_id.length === 5);
    expect(roster.length).toBeGreaterThan(250);
    expect(roster.filter((r) => r.village === null)).toEqual([]);
    expect((a.imports as unknown[]).length).toBe(files.length + 2 + 2); // the two-sheet list: two imports a file

    // The preparing thread is what the second run used (the built library, with the same setting).
    process.env.GONGWEI_THREAD_MIN_BYTES = '0';
    process.env.GONGWEI_THREADS = '2';
    const { openImportSource } = (await import(path.join(root, 'dist/registers/prepare-thread.js'))) as typeof import('../../src/registers/prepare-thread.js');
    const source = await openImportSource(messy);
    expect(source.prepare).toBeTypeOf('function');
    expect(source.sheets.map((s) => [s.name, s.hidden])).toEqual([['填表说明', false], ['居民健康档案', false], ['旧表', true]]);
    source.close!();
    // A workbook with more than 2 MB of shared strings has its rows prepared there too (each thread reads them on demand).
    const many = path.join(d, '高血压患者随访记录（共享字符串多）.xlsx');
    const big = new ExcelJS.Workbook();
    const ws = big.addWorksheet('随访');
    ws.addRow(['档案编号', '随访日期', '随访方式', '收缩压', '舒张压', '随访医生', '备注']);
    for (let i = 0; i < 40000; i++) ws.addRow([`H${String(i).padStart(9, '0')}`, '2025-03-01', '门诊', 130, 80, '李医生', `第${i}次随访，血压控制满意，继续服药`]);
    await big.xlsx.writeFile(many);
    const shared = await openImportSource(many);
    expect(shared.sharedStringsBytes).toBeGreaterThan(2 * 2 ** 20);
    expect(shared.prepare).toBeTypeOf('function');
    shared.close?.();
    // Above 24 MB of them (here lowered to 1 MB) it stays on this thread: each thread keeps its own index and cache.
    process.env.GONGWEI_THREAD_MAX_SHARED_BYTES = String(2 ** 20);
    const tooMany = await openImportSource(many);
    delete process.env.GONGWEI_THREAD_MAX_SHARED_BYTES;
    expect(tooMany.prepare).toBeUndefined();
    tooMany.close?.();
    process.env.GONGWEI_THREADS = '1';
    const single = await openImportSource(messy);
    expect(single.prepare).toBeUndefined();
    single.close?.();
  }, 400000);
});

/**
 * A hand-kept resident list: a title line, rejects (bad dates, a birth date before the ID's), the same key twice
 * (same and other content), a quoted line break, a cell without header, a 合计 row with a row and a signature below
 * it; `n` rows, so that the file spans many 256 KB reads. `changed`: the same list a month later (some rows edited).
 */
function messyRows(n: number, changed = false): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [['青石镇卫生院居民健康档案（导出）'], ['档案编号', '姓名', '性别', '出生日期', '身份证号码', '所属村', '建档日期', '责任医生']];
  for (let i = 1; i <= n; i++) {
    const birth = `19${50 + (i % 49)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
    const date = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
    const doctor = changed && i % 7 === 0 ? '陈伟' : i === 5 ? '王建华\n李秀英' : '王建华';
    rows.push([String(i).padStart(6, '0'), `李${'明华英'[i % 3]}`, i % 2 ? '男' : '女', i % 997 === 0 ? '1980-13-45' : date, validId(birth, i), '青石村', '2025-03-02', doctor]);
    if (i === 300) rows.push(['000010', '李华', '女', '1955-11-11', null, '东溪村', '2025-03-02', '刘芳']); // key again, other content
    if (i === 301) rows.push(rows[rows.length - 2]!.slice()); // key again, same content
    if (i === 400) rows.push(['000400x', '赵六', '男', '1970-01-01', null, '青石村', '2025-03-02', '刘芳', '多出的值']);
  }
  rows.push(['合计', n]);
  rows.push(['999999', '赵六', '男', '1970-01-01', null, '青石村', '2025-01-01', '李医生']);
  rows.push(['填表人：张三', '日期：2025-12-01']);
  return rows;
}

/** messyRows as CSV, with a blank line under the title (the rows up to the header that the second thread compares). */
function messyResidents(n: number, changed = false): string {
  const rows = messyRows(n, changed);
  return csvText([rows[0]!, [], ...rows.slice(1)]) + '\r\n';
}

describe('one thread and the preparing thread give identical CSV imports', () => {
  it('UTF-8 and GB18030 (with a pasted UTF-8 line), every example CSV, and a re-import of edited files: same tables, rejects, warnings, imports and summary', async () => {
    expect(existsSync(path.join(root, 'dist/registers/prepare-worker.js')), 'npm run build first').toBe(true);
    const d = tmp();
    const utf8 = path.join(d, '居民健康档案.csv');
    writeFileSync(utf8, messyResidents(12000));
    // GB18030, with one line pasted from a UTF-8 file far into it.
    const gbText = messyResidents(9000).replace(/李/g, '周').split('\r\n');
    const gbParts = gbText.map((line, i) => (i === 5000 ? Buffer.from(`${line}\r\n`, 'utf8') : iconv.encode(`${line}\r\n`, 'gb18030')));
    const gb = path.join(d, '居民健康档案（GBK）.csv');
    writeFileSync(gb, Buffer.concat(gbParts.slice(0, -1)));
    const examples = [EXAMPLES, path.join(EXAMPLES, 'bad')].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f)));
    const first = [utf8, gb, ...examples];
    const one = importAll(path.join(d, 'one.sqlite'), first, { GONGWEI_THREADS: '1' });
    const two = importAll(path.join(d, 'two.sqlite'), first, { GONGWEI_THREADS: '2', GONGWEI_THREAD_MIN_BYTES: '0' });
    expect(two.status).toBe(one.status);
    expect(two.summary).toEqual(one.summary);
    // A month later: edited rows are updated, the others found unchanged by their raw hash, in a table that is not empty.
    writeFileSync(utf8, messyResidents(12000, true));
    const again1 = importAll(path.join(d, 'one.sqlite'), [utf8], { GONGWEI_THREADS: '1' });
    const again2 = importAll(path.join(d, 'two.sqlite'), [utf8], { GONGWEI_THREADS: '2', GONGWEI_THREAD_MIN_BYTES: '0' });
    expect(again2.summary).toEqual(again1.summary);
    const s1 = (again1.summary as { updated: number; unchanged: number; rejected: number }[])[0]!;
    expect(s1.updated).toBeGreaterThanOrEqual(Math.floor(12000 / 7)); // every 7th doctor edited
    expect(s1.unchanged).toBeGreaterThan(2000); // the rows 9001–12000 the GBK file did not replace
    expect(s1.rejected).toBeGreaterThan(0);
    const a = contents(path.join(d, 'one.sqlite'));
    const b = contents(path.join(d, 'two.sqlite'));
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t]);
    // Not a comparison of empty databases.
    expect(a.residents!.length).toBeGreaterThan(12000);
    const codes = (t: string) => new Set((a[t] as { code: string }[]).map((r) => r.code));
    expect([...codes('rejected_rows')]).toEqual(expect.arrayContaining(['REG_BAD_DATE', 'REG_ROW_AFTER_END']));
    expect([...codes('row_warnings')]).toEqual(expect.arrayContaining(['REG_DUPLICATE_KEY', 'REG_DUPLICATE_ROW', 'REG_EXTRA_CELLS', 'REG_MIXED_ENCODING_UTF8']));

    // The preparing thread is what the second run used (the built library, with the same setting).
    process.env.GONGWEI_THREAD_MIN_BYTES = '0';
    process.env.GONGWEI_THREADS = '2';
    const { openImportSource } = (await import(path.join(root, 'dist/registers/prepare-thread.js'))) as typeof import('../../src/registers/prepare-thread.js');
    const source = await openImportSource(utf8);
    expect(source.prepare).toBeTypeOf('function');
    source.close!();
    process.env.GONGWEI_THREADS = '1';
    const single = await openImportSource(utf8);
    expect(single.prepare).toBeUndefined();
    single.close?.();
  }, 180000);
});

describe('whether a core is free for the preparing thread (it decides only the speed: the tests above show both ways store the same)', () => {
  it('reads the runnable tasks of a /proc/loadavg; a missing, unreadable or other file counts as free, silently', async () => {
    const { coreToSpare } = await import('../../src/threads.js');
    const cores = os.availableParallelism();
    const d = tmp();
    const file = (name: string, text: string) => {
      const f = path.join(d, name);
      writeFileSync(f, text);
      return f;
    };
    const quiet = file('quiet', `0.10 0.20 0.30 1/${cores * 50} 4242\n`);
    const busy = file('busy', `7.60 6.90 6.80 ${cores}/${cores * 50} 4242\n`);
    const other = file('other', 'kein loadavg\n');
    const stderr = vi.spyOn(process.stderr, 'write');
    const warn = vi.spyOn(console, 'warn');
    if (cores < 2) {
      for (const f of [quiet, busy, other, path.join(d, 'missing')]) expect(coreToSpare(f)).toBe(false);
    } else {
      expect(coreToSpare(quiet)).toBe(true);
      expect(coreToSpare(busy)).toBe(false);
      expect(coreToSpare(other)).toBe(true);
      expect(coreToSpare(path.join(d, 'missing'))).toBe(true); // macOS, Windows, a container without /proc
      expect(coreToSpare(d)).toBe(true); // not a readable file (EISDIR)
    }
    expect(stderr).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    stderr.mockRestore();
    warn.mockRestore();
  });
});
