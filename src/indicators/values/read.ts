// A values file a person fills in (人工填报): YAML, xlsx or csv, one row per indicator, period (and village), read
// into plain cells with the position of each, so that every later message names file and row.
import fs from 'node:fs';
import path from 'node:path';
import { GongweiError } from '../../errors.js';
import { assertRegularFile, readBoundedText } from '../../files.js';
import type { Issue, Position } from '../../issues.js';
import { normalizeHeader } from '../../normalize.js';
import { csvRows } from '../../registers/csv-reader.js';
import { parseYaml, positionAt } from '../../yaml-source.js';

/** The columns of a values file, in the order the template writes them. */
export const VALUE_COLUMNS = ['指标', '期间', '村', '数值', '分子', '分母', '数据来源', '备注'] as const;
export type ValueColumn = (typeof VALUE_COLUMNS)[number];

/** Other headers people write for the same column. */
const ALIASES: Record<string, ValueColumn> = {
  指标名称: '指标', 考核项目: '指标', 项目: '指标',
  统计期间: '期间', 年度: '期间',
  村居: '村', 村卫生室: '村', 考核对象: '村', 行政村: '村',
  值: '数值', 完成值: '数值', 得分: '数值', 结果: '数值',
  来源: '数据来源',
  说明: '备注',
};

/** A cell as read: its value (a number stays a number; an xlsx percent cell is marked) and where it is. */
export interface ValueCell {
  value: string | number | null;
  /** An xlsx number shown as a percentage (0.992 shown as 99.2%). */
  percent?: boolean;
  at: Position;
}

export interface ValueRow {
  at: Position;
  cells: Partial<Record<ValueColumn, ValueCell>>;
}

export interface ReadValues {
  rows: ValueRow[];
  issues: Issue[];
}

const columnOf = (header: unknown): ValueColumn | undefined => {
  const h = normalizeHeader(header).replace(/[（(].*?[)）]/g, '');
  return (VALUE_COLUMNS as readonly string[]).includes(h) ? (h as ValueColumn) : ALIASES[h];
};

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** A values file holds a few hundred rows: anything over this is a wrong file. */
const MAX_VALUES_BYTES = 10 * 1048576;

/** Read a values file by its extension (.yaml/.yml, .xlsx, .csv). Unreadable files throw; problems in rows are issues. */
export async function readValuesFile(file: string): Promise<ReadValues> {
  if (!fs.existsSync(file)) throw new GongweiError('VALUES_NOT_FOUND', `填报文件不存在：${file}`, { hint: '用 gongwei indicators values-template --plan 计划.yaml -o 填报.xlsx 生成一个', exitCode: 1 });
  // Only a regular file, its size judged before it is read (a FIFO, /dev/zero or a huge file is refused at once).
  const st = assertRegularFile(file);
  if (st.size > MAX_VALUES_BYTES) throw new GongweiError('FILE_TOO_LARGE', `填报文件太大（${(st.size / 1048576).toFixed(1)} MB），不能超过 ${MAX_VALUES_BYTES / 1048576} MB：${file}`, { hint: '请确认是否选错了文件。' });
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return readYaml(file);
  if (ext === '.xlsx') return readXlsx(file);
  if (ext === '.csv') return readCsv(file);
  throw new GongweiError('VALUES_FORMAT', `不认识的填报文件格式：${file}`, { hint: '填报文件可以是 .xlsx、.csv 或 .yaml', exitCode: 1 });
}

function readYaml(file: string): ReadValues {
  const text = readBoundedText(file, MAX_VALUES_BYTES).replace(/^\ufeff/, '');
  const src = parseYaml(text, file);
  const issues: Issue[] = src.issues.map((i) => ({ ...i, file }));
  if (issues.some((i) => i.severity === 'error')) return { rows: [], issues };
  const value = src.value;
  if (value === null || value === undefined) return { rows: [], issues };
  if (!Array.isArray(value)) {
    issues.push({ code: 'VALUES_SHAPE', severity: 'error', message: '填报文件应是一个列表，每项一行：- {指标: 住院分娩率, 期间: 2025, 数值: 99.2%, 数据来源: …}', file, line: 1, col: 1 });
    return { rows: [], issues };
  }
  const rows: ValueRow[] = [];
  value.forEach((item, i) => {
    const at = { file, ...positionAt(src, [i]) };
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      issues.push({ code: 'VALUES_SHAPE', severity: 'error', message: `第 ${i + 1} 项不是“键: 值”的一行`, ...at, hint: '写成 - {指标: 住院分娩率, 期间: 2025, 数值: 99.2%, 数据来源: 妇幼年报}' });
      return;
    }
    const cells: ValueRow['cells'] = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      const col = columnOf(k);
      const pos = { file, ...positionAt(src, [i, k], true) };
      if (!col) {
        issues.push({ code: 'VALUES_UNKNOWN_COLUMN', severity: 'error', message: `不认识的键“${k}”`, ...pos, hint: `可用的键：${VALUE_COLUMNS.join('、')}` });
        continue;
      }
      if (v !== null && typeof v === 'object') {
        issues.push({ code: 'VALUES_SHAPE', severity: 'error', message: `“${k}”应是一个值，不是列表或对象`, ...pos });
        continue;
      }
      cells[col] = { value: blank(v) ? null : typeof v === 'number' ? v : String(v), at: { file, ...positionAt(src, [i, k]) } };
    }
    rows.push({ at, cells });
  });
  return { rows, issues };
}

/** Header row: the first of the first 10 rows that names both 指标 and 数值 (a title row above it is allowed). */
function tableRows(raw: Array<{ row: number; cells: Array<{ value: string | number | null; percent?: boolean }> }>, file: string, sheet?: string): ReadValues {
  const issues: Issue[] = [];
  const headerAt = raw.slice(0, 10).findIndex((r) => {
    const cols = r.cells.map((c) => columnOf(c.value));
    return cols.includes('指标') && cols.includes('数值');
  });
  if (headerAt < 0) {
    issues.push({ code: 'VALUES_NO_HEADER', severity: 'error', message: '没有找到表头：前10行中应有一行写着“指标”“数值”等列名', file, ...(sheet ? { sheet } : {}), row: 1, hint: `列名：${VALUE_COLUMNS.join('、')}（用 gongwei indicators values-template 生成）` });
    return { rows: [], issues };
  }
  const header = raw[headerAt]!;
  const cols = header.cells.map((c) => columnOf(c.value));
  header.cells.forEach((c, i) => {
    // 目标 is written by the template for the person filling in: shown, not read.
    if (!blank(c.value) && !cols[i] && normalizeHeader(c.value) !== '目标') issues.push({ code: 'VALUES_UNKNOWN_COLUMN', severity: 'warning', message: `不认识的列“${String(c.value)}”，已忽略`, file, ...(sheet ? { sheet } : {}), row: header.row, column: String(c.value), hint: `可用的列：${VALUE_COLUMNS.join('、')}` });
  });
  const rows: ValueRow[] = [];
  for (const r of raw.slice(headerAt + 1)) {
    if (r.cells.every((c) => blank(c.value))) continue;
    const at = { file, ...(sheet ? { sheet } : {}), row: r.row };
    const cells: ValueRow['cells'] = {};
    r.cells.forEach((c, i) => {
      const col = cols[i];
      if (!col || blank(c.value)) return;
      cells[col] = { value: typeof c.value === 'number' ? c.value : String(c.value).trim(), ...(c.percent ? { percent: true } : {}), at: { ...at, column: col } };
    });
    rows.push({ at, cells });
  }
  return { rows, issues };
}

async function readXlsx(file: string): Promise<ReadValues> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (e) {
    throw new GongweiError('VALUES_UNREADABLE', `无法读取填报文件（不是有效的 xlsx）：${file}`, { cause: e, exitCode: 1 });
  }
  const ws = wb.worksheets.find((w) => w.state !== 'hidden');
  if (!ws) return { rows: [], issues: [{ code: 'VALUES_NO_HEADER', severity: 'error', message: '填报文件中没有工作表', file }] };
  const raw: Array<{ row: number; cells: Array<{ value: string | number | null; percent?: boolean }> }> = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: Array<{ value: string | number | null; percent?: boolean }> = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      let v: unknown = cell.value;
      if (v && typeof v === 'object') {
        if ('result' in v) v = (v as { result: unknown }).result;
        else if ('richText' in v) v = (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('');
        else if ('text' in v) v = (v as { text: unknown }).text;
        else if (v instanceof Date) v = v.toISOString().slice(0, 10);
      }
      const value = typeof v === 'number' ? v : blank(v) ? null : String(v);
      cells.push({ value, ...(typeof v === 'number' && /%/.test(String(cell.numFmt ?? '')) ? { percent: true } : {}) });
    }
    raw.push({ row: n, cells });
  });
  return tableRows(raw, file, ws.name);
}

async function readCsv(file: string): Promise<ReadValues> {
  const raw: Array<{ row: number; cells: Array<{ value: string | number | null }> }> = [];
  for await (const batch of csvRows(file, path.basename(file)).rows) {
    for (const r of batch) raw.push({ row: r.row, cells: r.cells.map((c) => ({ value: c === null || typeof c === 'boolean' ? (c === null ? null : String(c)) : c })) });
  }
  return tableRows(raw, file);
}
