// One sheet of a file: find the header, identify the register, map the columns, then hand every row to the row writer.
import path from 'node:path';
import type { Database } from '../db.js';
import { GongweiError } from '../errors.js';
import { version as toolVersionDefault } from '../version.js';
import { getRegister } from '../catalog/registers.js';
import { findHeaderRow, headerIndex, lookupHeader, isEmptyRow, mapColumns, namedBy, pickRegister, rankRegisters, registerNamedIn } from './headers.js';
import { emptySummary, type ImportSummary, type SheetContext } from './import-summary.js';
import { RowWriter } from './row-writer.js';
import type { Cell, SourceRow } from './source.js';

const HEADER_SCAN_ROWS = 30;

function cellText(c: Cell): string {
  return c === null || c === undefined ? '' : String(c);
}

export async function importSheet(db: Database, file: string, sheetName: string, rows: AsyncIterable<SourceRow[]>, progress: () => number, o: SheetContext): Promise<ImportSummary> {
  const started = Date.now();
  const summary: ImportSummary = { ...emptySummary(file), sheet: sheetName, encoding: o.encoding };
  const idx = headerIndex(o.catalog);
  const it = rows[Symbol.asyncIterator]();
  // 1. Buffer the first rows and find the header.
  const head: SourceRow[] = [];
  let rest: SourceRow[] = [];
  while (head.length < HEADER_SCAN_ROWS) {
    const n = await it.next();
    if (n.done) break;
    const b = n.value;
    let i = 0;
    for (; i < b.length && head.length < HEADER_SCAN_ROWS; i++) if (!isEmptyRow(b[i]!.cells)) head.push({ ...b[i]!, cells: b[i]!.cells.slice() });
    if (i < b.length) rest = b.slice(i);
  }
  const found = findHeaderRow(idx, head.map((r) => r.cells), o.forced?.id);
  const where = o.single ? file : `${file} 工作表「${sheetName}」`;
  if (!found) {
    const message = head.length === 0 ? `${where} 是空的，没有表头和数据` : `${where} 找不到表头（前 ${head.length} 行没有可识别的列名）`;
    if (!o.single && !o.sheet) {
      summary.skipped = { code: 'REG_NO_HEADER', message };
      return summary;
    }
    const csvNote = o.encoding && head.length ? `（已按 ${o.encoding} 编码、${o.delimiter === '\t' ? '制表符' : o.delimiter === ';' ? '分号（;）' : '逗号'}分隔读取；编码不对时用 --encoding gbk 或 --encoding utf-8 指定；分隔符按前 50 行中最多的逗号、制表符或分号（;）判断）` : '';
    throw new GongweiError(head.length === 0 ? 'REG_SHEET_EMPTY' : 'REG_NO_HEADER', message, {
      hint: `表头应包含登记表的列名，例如 档案编号、姓名、随访日期；用 gongwei registers describe <登记表> 查看可用列名。${csvNote}`,
    });
  }
  summary.headerRow = head[found.at]!.row;
  const context = [...head.slice(0, found.at).flatMap((r) => r.cells.map(cellText)), sheetName, path.basename(file)].join(' ');
  // 2. Which register.
  let reg = o.forced ?? registerNamedIn(context, o.catalog);
  // A sheet that cannot be identified fails the file when it is the only one (or the one asked for with --sheet);
  // in a workbook of several sheets it is skipped with its error, and the other sheets are imported.
  const refuse = (code: string, message: string, hint?: string): ImportSummary => {
    if (o.single || o.sheet) throw new GongweiError(code, message, { hint });
    summary.skipped = { code, message, hint, error: true };
    return summary;
  };
  if (!reg) {
    const ranked = rankRegisters(idx, o.catalog, found.cells, context);
    const unknown = found.cells.filter((c) => c !== null && cellText(c).trim() !== '' && lookupHeader(idx, c).length === 0).map(cellText);
    const pick = pickRegister(ranked, o.catalog);
    if (!pick) {
      const best = ranked.slice(0, 3).map((c) => `${c.id}（${c.name}，缺少 ${c.missingKeys.join('、')}）`).join('；');
      return refuse('REG_UNKNOWN_REGISTER', `${where} 的表头对应不上任何登记表`,
        `${best ? `最接近：${best}。` : ''}${unknown.length ? `不认识的列：${unknown.slice(0, 12).join('、')}。` : ''}可用 --register 指定登记表。`);
    }
    if ('tied' in pick) {
      return refuse('REG_REGISTER_AMBIGUOUS', `${where} 可能是多个登记表之一：${pick.tied.map((c) => `${c.id}（${c.name}）`).join('、')}`,
        `请用 --register 指定：${namedBy(pick.tied, o.catalog, found.cells.map(cellText).join(' ')).map((c) => `--register ${c.id}（${c.name}）`).join(' 或 ')}；或在标题行写明登记表名称。`);
    }
    reg = getRegister(pick.id, o.catalog)!;
  }
  const mapping = mapColumns(idx, reg, found.cells);
  const missingKeys = reg.naturalKey.filter((k) => {
    const i = reg!.columns.findIndex((c) => c.name === k);
    return mapping.sourceIndex[i] === -1 && !mapping.combined.some((cb) => cb.into.includes(i));
  });
  if (missingKeys.length) {
    const headers = missingKeys.map((k) => reg!.columns.find((c) => c.name === k)!.header);
    return refuse('REG_KEY_COLUMNS_MISSING', `${where} 缺少登记表「${reg.name}」的关键列：${headers.join('、')}`,
      `用 gongwei registers describe ${reg.id} 查看这些列可用的表头写法。`);
  }
  summary.register = reg.id;
  summary.registerName = reg.name;
  summary.ignoredColumns = mapping.ignored;
  // 3. Provenance row first (inside the transaction), then the rows.
  const options = JSON.stringify({ register: o.register ?? null, sheet: o.sheet ?? null, encoding: o.encoding ?? null, date1904: o.date1904 });
  const importId = Number(
    db.prepare('INSERT INTO imports (file, sha256, size, register, sheet, options, started_at, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(path.resolve(file), o.digest.sha256, o.digest.size, reg.id, sheetName, options, new Date(started).toISOString(), o.toolVersion ?? toolVersionDefault).lastInsertRowid,
  );
  summary.importId = importId;
  const writer = new RowWriter(db, reg, mapping, importId, file, sheetName, o, summary);
  const dataStart = found.at + found.span;
  let lastProgress = 0;
  const report = (): void => {
    if (o.onProgress && summary.rowsRead - lastProgress >= 5000) {
      lastProgress = summary.rowsRead;
      o.onProgress({ file, sheet: sheetName, rows: summary.rowsRead, fraction: progress() });
    }
  };
  if (o.prepare) {
    // Every row after the header is prepared on the other thread; this one stops reading and only writes.
    await it.return?.();
    for await (const b of o.prepare(writer.settings, head.slice(0, dataStart))) {
      writer.putBatch(b);
      report();
    }
  } else {
    for (let i = dataStart; i < head.length; i++) writer.row(head[i]!);
    for (let i = 0; i < rest.length; i++) writer.row(rest[i]!);
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      const b = r.value;
      for (let i = 0; i < b.length; i++) writer.row(b[i]!);
      report();
    }
  }
  summary.durationMs = Date.now() - started;
  summary.rowsPerSecond = summary.durationMs > 0 ? Math.round((summary.rowsRead * 1000) / summary.durationMs) : summary.rowsRead;
  db.prepare('UPDATE imports SET rows_read=?, inserted=?, updated=?, unchanged=?, rejected=?, warnings=?, finished_at=? WHERE id=?')
    .run(summary.rowsRead, summary.inserted, summary.updated, summary.unchanged, summary.rejected, summary.warnings, new Date().toISOString(), importId);
  return summary;
}
