// `gongwei registers rejects -o x.xlsx`: the rejected rows of an import, original columns + 错误原因, for correction.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandMain } from '../run.js';
import { GongweiError, fsError } from '../../errors.js';

interface Opts { db: string; import?: string; output: string }

const main: CommandMain<Opts> = async (_args, o) => {
  const { openDatabase } = await import('../../db.js');
  const { rejectedRows, rejectsWorkbook } = await import('../../registers/rejects.js');
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
    const buf = await rejectsWorkbook(set);
    try {
      mkdirSync(path.dirname(o.output), { recursive: true });
      writeFileSync(o.output, buf);
    } catch (e) {
      throw fsError(e, o.output);
    }
    process.stderr.write(`已导出导入批次 ${set.importId} 的 ${set.rows.length} 行被拒绝数据到 ${o.output}（含个人信息，请妥善保管）。\n`);
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
