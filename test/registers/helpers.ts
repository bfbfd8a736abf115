// Test helpers: temporary files (CSV in UTF-8/GB18030, xlsx via exceljs), databases, valid ID numbers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { idCheckChar } from '../../src/registers/id-number.js';
import { openDatabase, type Database } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';

const made: string[] = [];
// Temporary directories of a test file are removed after it (some hold large generated files).
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tmp(prefix = 'gw-reg-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function csvText(rows: (string | number | null)[][]): string {
  return rows
    .map((r) => r.map((c) => (c === null ? '' : /[",\n\r]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(','))
    .join('\r\n');
}

export function writeCsv(file: string, rows: (string | number | null)[][], enc: 'utf8' | 'utf8bom' | 'gb18030' = 'utf8'): string {
  const text = csvText(rows) + '\r\n';
  if (enc === 'gb18030') writeFileSync(file, iconv.encode(text, 'gb18030'));
  else writeFileSync(file, (enc === 'utf8bom' ? '\ufeff' : '') + text, 'utf8');
  return file;
}

export async function writeXlsx(
  file: string,
  sheets: { name: string; rows: unknown[][]; hidden?: boolean; dateFormatCols?: number[] }[],
  opts: { date1904?: boolean } = {},
): Promise<string> {
  const wb = new ExcelJS.Workbook();
  if (opts.date1904) wb.properties.date1904 = true;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { state: s.hidden ? 'hidden' : 'visible' });
    for (const r of s.rows) ws.addRow(r);
    for (const c of s.dateFormatCols ?? []) ws.getColumn(c + 1).numFmt = 'yyyy-mm-dd';
  }
  await wb.xlsx.writeFile(file);
  return file;
}

/** A valid 18-digit ID for a birth date (YYYYMMDD) and a sequence number. */
export function validId(birth: string, seq: number, area = '430102'): string {
  const first17 = `${area}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export function freshDb(dir: string, name = 'gw.sqlite'): Database {
  const db = openDatabase(path.join(dir, name));
  ensureRegisterTables(db);
  return db;
}

/** Everything in a register table, for before/after comparisons. */
export function dump(db: Database, table: string): unknown[] {
  return db.prepare(`SELECT rowid, * FROM "${table}" ORDER BY rowid`).all();
}

export const HTN_HEADER = ['档案编号', '随访日期', '随访方式', '收缩压\n(mmHg)', '舒张压（mmHg）', '随访医生'];
