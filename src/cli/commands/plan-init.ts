// `gongwei plan init [file]`: a starter plan of the chosen kind, with the schema modeline.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GongweiError } from '../../errors.js';
import type { PlanKind } from '../../plan/model.js';
import { planSchemaFile } from '../../plan/load.js';
import { starterPlan } from '../../plan/starter.js';
import { writeOutput } from '../output.js';

interface Options {
  kind: PlanKind;
  unit?: string;
  year?: string;
  force?: boolean;
  schema?: string;
}

export default async function planInit(args: string[], opts: Options): Promise<number> {
  const file = args[0];
  const year = opts.year === undefined ? new Date().getFullYear() + 1 : Number(opts.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new GongweiError('USAGE_YEAR', `年度应为2000～2100之间的整数：${opts.year}`, { exitCode: 2 });
  if (file && existsSync(file) && !opts.force) throw new GongweiError('FILE_EXISTS', `文件已存在：${file}`, { hint: '加 --force 覆盖。' });
  const schemaRef = opts.schema ?? (file ? path.relative(path.dirname(path.resolve(file)), planSchemaFile).split(path.sep).join('/') : planSchemaFile);
  writeOutput(starterPlan({ kind: opts.kind, unit: opts.unit ?? 'XXX卫生院', year, schemaRef }), file);
  if (file) process.stderr.write(`已创建 ${file}（${opts.kind}）。${opts.unit ? '' : '请把 XXX卫生院 改成本单位名称（或用 --unit 指定）；'}修改后运行：gongwei plan validate ${file}\n`);
  return 0;
}
