// Rejected rows of an import, grouped per spreadsheet row, in the original column layout, for correction and re-sending.
import type { Database } from '../db.js';
import { GongweiError } from '../errors.js';
import { getRegister } from './catalog.js';

export interface RejectedRow {
  row: number;
  /** Header → raw value, in the original column order. */
  raw: Record<string, unknown>;
  reasons: { column?: string; code: string; message: string }[];
}

export interface RejectedSet {
  importId: number;
  file: string;
  sheet: string;
  register: string;
  headers: string[];
  rows: RejectedRow[];
}

/** The rejected rows of an import (default: the latest import that rejected any). Throws REG_NO_REJECTS / REG_IMPORT_NOT_FOUND. */
export function rejectedRows(db: Database, importId?: number): RejectedSet {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='imports'").get();
  if (!hasTable) throw new GongweiError('REG_NO_IMPORTS', '数据库里还没有任何导入记录');
  const imp = (importId === undefined
    ? db.prepare('SELECT id, file, sheet, register FROM imports WHERE rejected > 0 ORDER BY id DESC LIMIT 1').get()
    : db.prepare('SELECT id, file, sheet, register FROM imports WHERE id = ?').get(importId)) as
    | { id: number; file: string; sheet: string; register: string }
    | undefined;
  if (!imp) {
    if (importId !== undefined) throw new GongweiError('REG_IMPORT_NOT_FOUND', `没有编号为 ${importId} 的导入记录`);
    throw new GongweiError('REG_NO_REJECTS', '没有被拒绝的行', { exitCode: 0 });
  }
  const recs = db.prepare('SELECT "row", "column", code, message, raw FROM rejected_rows WHERE import_id = ? ORDER BY "row", id').all(imp.id) as {
    row: number; column: string | null; code: string; message: string; raw: string;
  }[];
  const rows: RejectedRow[] = [];
  const headers: string[] = [];
  const seenHeader = new Set<string>();
  for (const r of recs) {
    let last = rows[rows.length - 1];
    if (!last || last.row !== r.row) {
      const raw = JSON.parse(r.raw) as Record<string, unknown>;
      for (const h of Object.keys(raw)) if (!seenHeader.has(h)) (seenHeader.add(h), headers.push(h));
      last = { row: r.row, raw, reasons: [] };
      rows.push(last);
    }
    last.reasons.push({ column: r.column ?? undefined, code: r.code, message: r.message });
  }
  return { importId: imp.id, file: imp.file, sheet: imp.sheet, register: imp.register, headers, rows };
}

/**
 * An xlsx workbook (Buffer): a title naming the register (so the corrected file is recognised without --register),
 * the original headers + 错误原因, one line per rejected row with the values the file held: a number that had lost
 * its digits (an ID Excel stored as 4.30102E+17) is written back as that number, so the row fails again until a person
 * types the real value.
 */
export async function rejectsWorkbook(set: RejectedSet): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('被拒绝的行');
  const reg = getRegister(set.register);
  ws.addRow([`${reg?.name ?? set.register}（${set.register}）被拒绝的行：按“错误原因”改正后重新导入`]);
  ws.getRow(1).font = { bold: true, size: 12 };
  const headers = [...set.headers, '错误原因'];
  ws.addRow(headers);
  ws.getRow(2).font = { bold: true };
  headers.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.min(40, Math.max(10, h.length * 2 + 2));
    if (i < set.headers.length) col.numFmt = '@';
  });
  ws.getColumn(headers.length).width = 60;
  ws.getCell(2, headers.length).font = { bold: true, color: { argb: 'FFC00000' } };
  for (const r of set.rows) {
    const values = set.headers.map((h) => {
      const v = r.raw[h];
      return v === undefined || v === null ? null : typeof v === 'number' && Math.abs(v) < 1e15 ? String(v) : v;
    });
    values.push(`原第${r.row}行：${r.reasons.map((x) => `[${x.code}] ${x.message}`).join('；')}`);
    const row = ws.addRow(values);
    values.forEach((v, i) => {
      if (typeof v === 'number') row.getCell(i + 1).numFmt = 'General';
    });
  }
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  const info = wb.addWorksheet('说明');
  info.addRow(['来源文件', set.file]);
  info.addRow(['工作表', set.sheet]);
  info.addRow(['登记表', `${reg?.name ?? ''}（${set.register}）`]);
  info.addRow(['导入批次', set.importId]);
  info.addRow(['用法', '按“错误原因”修改后，删除“错误原因”列（也可保留，导入时会忽略），再用 gongwei registers import 重新导入。']);
  info.getColumn(1).width = 12;
  info.getColumn(2).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
