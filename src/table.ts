// One table writer for every listing the tool prints or saves (indicator results, gap lists, rejected rows):
// a terminal table, JSON, CSV (with a BOM, so Excel opens it as UTF-8) or xlsx — the same columns in each.

/** The formats every listing command offers with -f (and infers from the -o file name). */
export type TableFormat = 'text' | 'json' | 'csv' | 'xlsx';
export const TABLE_FORMATS: readonly TableFormat[] = ['text', 'json', 'csv', 'xlsx'];

export type Row = Record<string, unknown>;

export interface Column {
  key: string;
  header: string;
  /** Character width in xlsx (and the wrap width of a terminal column when set). */
  width?: number;
  /** xlsx number format, for the column or per row ('0.0%', '0"人"' …); '@' keeps the cell as text. */
  numFmt?: string | ((row: Row) => string | undefined);
  /** Wrap long text on the terminal at this many characters. */
  wrap?: number;
}

export interface Sheet {
  /** Worksheet name in xlsx (a heading on the terminal when there are several sheets). */
  name: string;
  /** A line above the header (xlsx: its own row; text: printed before the table; CSV: only with `csvTitle`). */
  title?: string;
  /** Write the title as the CSV's first line too (a rejects export: the title names the register it goes back into). */
  csvTitle?: boolean;
  columns: Column[];
  rows: Row[];
  /** A background colour (ARGB) for a row in xlsx, e.g. unmet targets. */
  fill?: (row: Row) => string | undefined;
  /** Frozen header, and a filter on it in xlsx. */
  filter?: boolean;
}

/** The format -f names, or the one the -o file's extension implies, else `fallback`. */
export function tableFormat(format: string | undefined, output: string | undefined, fallback: TableFormat = 'text'): TableFormat {
  if (format) return format as TableFormat;
  const ext = /\.(csv|json|xlsx)$/i.exec(output ?? '')?.[1]?.toLowerCase();
  return (ext as TableFormat | undefined) ?? fallback;
}

/**
 * A number of 16 digits or more has lost its last digits (a double holds 15): it is written as Excel shows it
 * (4.30102197903054E+17), never as digits that look exact (430102197903053600).
 */
const text = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'number' && Math.abs(v) >= 1e15 ? v.toPrecision(15).replace(/\.?0+e/, 'e').toUpperCase() : String(v);

/** A CSV field: quoted when it holds a comma, a quote or a line break (\r included). */
export function csvField(v: unknown): string {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV of one sheet: a header line, CRLF line ends, a BOM so that Excel reads UTF-8. */
export function csvTable(sheet: Sheet): string {
  const lines = [sheet.columns.map((c) => csvField(c.header)), ...sheet.rows.map((r) => sheet.columns.map((c) => csvField(r[c.key])))];
  if (sheet.csvTitle && sheet.title) lines.unshift([csvField(sheet.title)]);
  return '\ufeff' + lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

/** Rows as JSON objects keyed by column key (the stable machine-readable shape of a listing). */
export function jsonTable(sheets: Sheet[]): string {
  const one = (s: Sheet) => s.rows.map((r) => Object.fromEntries(s.columns.map((c) => [c.key, r[c.key] ?? null])));
  const value = sheets.length === 1 ? one(sheets[0]!) : Object.fromEntries(sheets.map((s) => [s.name, one(s)]));
  return JSON.stringify(value, null, 2) + '\n';
}

/** Terminal tables (cli-table3), one per sheet, each after its title. */
export async function textTable(sheets: Sheet[], opts: { headings?: boolean } = {}): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const out: string[] = [];
  for (const s of sheets) {
    const t = new Table({
      head: s.columns.map((c) => c.header),
      style: { head: [], border: [], compact: true },
      wordWrap: true,
      colWidths: s.columns.map((c) => c.wrap ?? null) as (number | null)[],
    });
    for (const r of s.rows) t.push(s.columns.map((c) => text(r[c.key])));
    if (opts.headings) out.push(`\n【${s.name}】`);
    if (s.title) out.push(s.title);
    out.push(t.toString());
  }
  return out.join('\n') + '\n';
}

/** An xlsx workbook: a sheet each, header bold and frozen, numbers as numbers with their formats. */
export async function xlsxTable(sheets: Sheet[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gongwei';
  const used = new Set<string>();
  for (const s of sheets) {
    let name = s.name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || '表';
    while (used.has(name)) name = `${name.slice(0, 28)}_${used.size}`;
    used.add(name);
    const headerRow = s.title ? 2 : 1;
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRow }] });
    if (s.title) ws.addRow([s.title]).font = { bold: true };
    ws.addRow(s.columns.map((c) => c.header)).font = { bold: true };
    s.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.width ?? Math.min(40, Math.max(10, c.header.length * 2 + 2));
      if (typeof c.numFmt === 'string') col.numFmt = c.numFmt;
    });
    for (const r of s.rows) {
      const row = ws.addRow(s.columns.map((c) => {
        const v = r[c.key];
        return v === undefined ? null : c.numFmt === '@' && typeof v === 'number' && Math.abs(v) < 1e15 ? String(v) : v;
      }));
      s.columns.forEach((c, i) => {
        // A number that lost its digits stays a number in a text column (what the file held), shown as Excel shows it.
        if (c.numFmt === '@' && typeof r[c.key] === 'number') row.getCell(i + 1).numFmt = 'General';
        if (typeof c.numFmt === 'function') {
          const f = c.numFmt(r);
          if (f) row.getCell(i + 1).numFmt = f;
        }
      });
      const fill = s.fill?.(r);
      if (fill) row.eachCell((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } }));
    }
    if (s.filter) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: s.columns.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
