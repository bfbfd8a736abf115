// `gongwei registers rejects`: the rejected rows of an import, original columns + 错误原因, for correction
// (xlsx to send back; text, CSV or JSON too — personal columns masked on the terminal unless asked).
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import { tableFormat, type Sheet, type TableFormat } from '../../table.js';
import { checkBinaryToTerminal, checkOutput, writeOutput } from '../output.js';

interface Opts { db: string; import?: string; output?: string; format?: TableFormat; showPersonal?: boolean }

/** The sheet with the values of personal columns (姓名, 身份证号, 电话 … by the register catalogue) masked. */
async function masked(sheet: Sheet, register: string): Promise<Sheet> {
  const { getRegister } = await import('../../catalog/registers.js');
  const { headerIndex, lookupHeader } = await import('../../registers/headers.js');
  const { maskIdNumber, maskName } = await import('../../registers/id-number.js');
  const reg = getRegister(register);
  if (!reg) return sheet;
  const idx = headerIndex([reg]);
  const kinds = new Map<string, 'name' | 'id'>();
  for (const c of sheet.columns) {
    const col = lookupHeader(idx, c.header).map((t) => reg.columns.find((x) => x.name === t.col)).find((x) => x?.personal);
    if (col) kinds.set(c.key, col.type === 'id_number' || /phone|tel/.test(col.name) ? 'id' : 'name');
  }
  const mask = (k: string, v: unknown) => (v === null || v === undefined || v === '' ? v : kinds.get(k) === 'id' ? maskIdNumber(String(v)) : maskName(String(v)));
  return { ...sheet, rows: sheet.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, kinds.has(k) ? mask(k, v) : v]))) };
}

const main: CommandMain<Opts> = async (_args, o) => {
  const { openDatabase } = await import('../../db.js');
  const { rejectedRows, rejectsSheet, rejectsWorkbook } = await import('../../registers/rejects.js');
  const { csvTable, jsonTable, textTable } = await import('../../table.js');
  const guard = { database: o.db, private: true };
  checkOutput(o.output, guard);
  const format = tableFormat(o.format, o.output);
  const toFile = Boolean(o.output && o.output !== '-');
  if (format === 'xlsx' && !o.output) throw new GongweiError('OUTPUT_REQUIRED', 'xlsx 格式需要用 -o 指定输出文件', { hint: '例如：-o 退回修改.xlsx（-o - 写到标准输出，供重定向）' });
  checkBinaryToTerminal(format === 'xlsx', o.output, 'xlsx');
  let id: number | undefined;
  if (o.import !== undefined) {
    id = Number(o.import);
    if (!Number.isInteger(id) || id <= 0) throw new GongweiError('USAGE_IMPORT_ID', `--import 应为导入批次编号（正整数）：${o.import}`);
  }
  const db = openDatabase(o.db, { readonly: true, mustExist: true });
  try {
    let set;
    try {
      set = rejectedRows(db, id);
    } catch (e) {
      if (e instanceof GongweiError && e.code === 'REG_NO_REJECTS') {
        process.stderr.write('没有被拒绝的行，未生成文件。\n');
        return 0;
      }
      throw e;
    }
    if (format === 'xlsx') writeOutput(await rejectsWorkbook(set), o.output, { ...guard, format });
    else {
      const sheet = toFile || o.showPersonal ? rejectsSheet(set) : await masked(rejectsSheet(set), set.register);
      writeOutput(format === 'csv' ? csvTable(sheet) : format === 'json' ? jsonTable([sheet]) : await textTable([sheet]), o.output, guard);
    }
    if (toFile) process.stderr.write(`已导出导入批次 ${set.importId} 的 ${set.rows.length} 行被拒绝数据到 ${o.output}（含个人信息，请妥善保管）。\n`);
    else if (!o.showPersonal) process.stderr.write('（个人信息已脱敏；用 -o 退回修改.xlsx 导出完整数据，或加 --show-personal 在屏幕上显示）\n');
    // The other sheets of the same workbook import (consecutive ids, same file and hash) may have rejected rows too.
    const near = db.prepare('SELECT id, file, sha256, sheet, rejected FROM imports WHERE id BETWEEN ? AND ? ORDER BY id').all(set.importId - 100, set.importId + 100) as
      { id: number; file: string; sha256: string; sheet: string; rejected: number }[];
    const self = near.find((r) => r.id === set.importId)!;
    const same = (r: { file: string; sha256: string }) => r.file === self.file && r.sha256 === self.sha256;
    const run: typeof near = [];
    for (let i = near.indexOf(self) - 1; i >= 0 && same(near[i]!) && near[i]!.id === near[i + 1]!.id - 1; i--) run.push(near[i]!);
    for (let i = near.indexOf(self) + 1; i < near.length && same(near[i]!) && near[i]!.id === near[i - 1]!.id + 1; i++) run.push(near[i]!);
    const others = run.filter((r) => r.rejected > 0).sort((a, b) => a.id - b.id);
    if (others.length) {
      process.stderr.write(`同一文件的其他工作表也有被拒绝的行：${others.map((r) => `工作表「${r.sheet}」${r.rejected} 行（--import ${r.id}）`).join('、')}。\n`);
    }
    return 0;
  } finally {
    db.close();
  }
};
export default main;
