// The bundled example registers: generator determinism, valid fictional ID numbers, clean import through the real binary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const examplesDir = path.join(root, 'examples', 'registers');
const generator = path.join(root, 'scripts', 'gen-example-registers.mjs');
const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

function gongwei(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const dataFiles = (dir: string) => readdirSync(dir).filter((f) => /\.(xlsx|csv)$/.test(f)).sort();

async function xlsxValues(file: string): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: unknown[] = [];
  wb.eachSheet((ws) => {
    out.push(ws.name, ws.model.merges);
    ws.eachRow({ includeEmpty: true }, (row, n) => out.push(n, JSON.stringify(row.values), row.cellCount && (row.values as unknown[]).map((_, i) => (i ? row.getCell(i).numFmt : null))));
  });
  return out;
}

/** Reads a CSV example (GB18030 or UTF-8 with/without BOM) into header → value records, skipping a one-cell title line. */
function readCsv(file: string): Record<string, string>[] {
  const buf = readFileSync(file);
  const utf8 = buf.toString('utf8');
  const text = utf8.includes('\ufffd') ? iconv.decode(buf, 'gb18030') : utf8.replace(/^\ufeff/, '');
  const lines = text.split(/\r\n/).filter((l) => l !== '');
  if (!lines[0].includes(',')) lines.shift();
  const headers = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [headers[i], v])));
}

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkDigit = (body: string) => '10X98765432'[[...body].reduce((s, c, i) => s + Number(c) * W[i], 0) % 11];

describe('generator', () => {
  let a = '';
  let b = '';
  beforeAll(() => {
    a = tmp('gw-ex-a-');
    b = tmp('gw-ex-b-');
    for (const dir of [a, b]) {
      const r = spawnSync(process.execPath, [generator, dir], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('writes the same file set as the committed examples', () => {
    expect(dataFiles(a)).toEqual(dataFiles(examplesDir));
    expect(dataFiles(a)).toEqual(dataFiles(b));
    expect(dataFiles(a).length).toBeGreaterThanOrEqual(15);
  });

  it('CSV: two runs and the committed files are byte-identical', () => {
    const csvs = dataFiles(a).filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(0);
    for (const f of csvs) {
      const x = readFileSync(path.join(a, f));
      expect(x.equals(readFileSync(path.join(b, f))), f).toBe(true);
      expect(x.equals(readFileSync(path.join(examplesDir, f))), `${f} is stale: run npm run examples:data`).toBe(true);
    }
    const bad = readdirSync(path.join(a, 'bad'));
    for (const f of bad) expect(readFileSync(path.join(a, 'bad', f)).equals(readFileSync(path.join(examplesDir, 'bad', f))), f).toBe(true);
  });

  it('xlsx: two runs and the committed files have identical cells, formats and merges', async () => {
    const xs = dataFiles(a).filter((f) => f.endsWith('.xlsx'));
    expect(xs.length).toBeGreaterThan(0);
    for (const f of xs) {
      const va = await xlsxValues(path.join(a, f));
      expect(await xlsxValues(path.join(b, f)), f).toEqual(va);
      expect(await xlsxValues(path.join(examplesDir, f)), `${f} is stale: run npm run examples:data`).toEqual(va);
    }
  });
});

describe('example data shapes', () => {
  it('the GB18030 CSVs are not valid UTF-8 and the BOM CSVs start with EF BB BF', () => {
    const csvs = dataFiles(examplesDir).filter((f) => f.endsWith('.csv'));
    const gb = csvs.filter((f) => readFileSync(path.join(examplesDir, f)).toString('utf8').includes('\ufffd'));
    const bom = csvs.filter((f) => readFileSync(path.join(examplesDir, f)).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])));
    expect(gb.length).toBeGreaterThanOrEqual(2);
    expect(bom.length).toBeGreaterThanOrEqual(1);
  });

  it('every 身份证号 has a valid checksum, a 36 area code and the birth date of 出生日期', async () => {
    let checked = 0;
    const check = (id: string, birth: string, where: string) => {
      expect(id, where).toMatch(/^36\d{15}[\dX]$/);
      expect(id[17], `${where} ${id}`).toBe(checkDigit(id.slice(0, 17)));
      expect(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, where).toBe(birth);
      checked++;
    };
    for (const r of readCsv(path.join(examplesDir, '居民健康档案（2025年12月导出）.csv'))) check(r['身份证号码'], r['出生日期'], r['档案编号']);
    for (const r of readCsv(path.join(examplesDir, '严重精神障碍患者管理名册.csv'))) check(r['身份证号'], r['出生日期'], r['档案编号']);
    for (const f of ['儿童花名册（预防接种卡）.xlsx', '高血压患者管理名册.xlsx', '2型糖尿病患者管理名册.xlsx']) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(examplesDir, f));
      const ws = wb.worksheets[0];
      let header = 0;
      ws.eachRow((row, n) => {
        const vals = row.values as unknown[];
        if (!header && vals.includes('身份证号')) header = n;
      });
      expect(header, f).toBeGreaterThan(0);
      const cols = (ws.getRow(header).values as unknown[]).map(String);
      const idCol = cols.indexOf('身份证号');
      const birthCol = cols.indexOf('出生日期');
      ws.eachRow((row, n) => {
        if (n <= header) return;
        const id = row.getCell(idCol).value;
        if (typeof id !== 'string') return; // 合计 / 填表说明 rows
        const birth = row.getCell(birthCol).value;
        expect(birth, `${f} row ${n}`).toBeInstanceOf(Date);
        check(id, (birth as Date).toISOString().slice(0, 10), `${f} row ${n}`);
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('import through the real binary', () => {
  let db = '';
  let files: string[] = [];
  type Summary = { file: string; register: string; rowsRead: number; inserted: number; updated: number; unchanged: number; rejected: number };
  let first: Summary[] = [];

  beforeAll(() => {
    db = path.join(tmp('gw-ex-db-'), 'examples.sqlite');
    files = dataFiles(examplesDir).map((f) => path.join('examples', 'registers', f));
    const r = gongwei(['registers', 'import', ...files, '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    first = JSON.parse(r.stdout);
  });

  it('every file imports with zero rejected rows and the four counts add up', () => {
    expect(first.length).toBe(files.length);
    for (const s of first) {
      expect(s.rejected, s.file).toBe(0);
      expect(s.rowsRead, s.file).toBeGreaterThan(0);
      expect(s.inserted + s.updated + s.unchanged + s.rejected, s.file).toBe(s.rowsRead);
    }
  });

  it('covers every register of the catalogue', () => {
    const catalogue = readdirSync(path.join(root, 'catalog', 'registers')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect([...new Set(first.map((s) => s.register))].sort()).toEqual(catalogue);
  });

  it('re-importing the same files changes nothing', () => {
    const r = gongwei(['registers', 'import', ...files, '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const again: Summary[] = JSON.parse(r.stdout);
    for (const s of again) {
      expect(s.inserted + s.updated + s.rejected, s.file).toBe(0);
      expect(s.unchanged, s.file).toBe(s.rowsRead);
    }
    expect(again.map((s) => s.rowsRead)).toEqual(first.map((s) => s.rowsRead));
  });

  it('the deliberately bad file is rejected row by row, and the good rows still import', () => {
    const bad = readdirSync(path.join(examplesDir, 'bad')).map((f) => path.join('examples', 'registers', 'bad', f));
    const r = gongwei(['registers', 'import', ...bad, '--db', path.join(tmp('gw-ex-bad-'), 'bad.sqlite'), '--format', 'json']);
    expect(r.code).not.toBe(0);
    const [s] = JSON.parse(r.stdout) as (Summary & { warnings: number; issues: { code: string; row: number; severity: string }[] })[];
    expect(s.rejected).toBeGreaterThan(0);
    expect(s.inserted).toBeGreaterThan(0);
    expect(s.inserted + s.updated + s.unchanged + s.rejected).toBe(s.rowsRead);
    const codes = s.issues.map((i) => i.code);
    expect(codes).toContain('REG_BAD_DATE');
    expect(codes).toContain('REG_DATE_FUTURE');
    expect(codes).toContain('REG_ID_CHECKSUM');
    expect(codes).toContain('REG_REQUIRED_MISSING');
    expect(new Set(s.issues.filter((i) => i.severity === 'error').map((i) => i.row)).size).toBe(s.rejected);
    expect(s.warnings).toBeGreaterThan(0);
  });
});
