// `gongwei registers template <register> -o file.xlsx`: a blank form with headers, formats and drop-down lists.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandMain } from '../run.js';
import { GongweiError, fsError } from '../../errors.js';

const main: CommandMain<{ output: string }> = async ([name], o) => {
  const { getRegister, loadRegisterCatalog } = await import('../../catalog/registers.js');
  const reg = getRegister(name!);
  if (!reg) {
    throw new GongweiError('REG_REGISTER_NOT_FOUND', `没有这个登记表：${name}`, { hint: `可用：${loadRegisterCatalog().map((r) => r.id).join('、')}` });
  }
  let vaccineNames: string[] = [];
  if (reg.columns.some((c) => c.type === 'vaccine')) {
    const { loadSchedule } = await import('../../catalog/schedule.js');
    vaccineNames = loadSchedule().vaccines.map((v) => v.name);
  }
  const { templateWorkbook } = await import('../../registers/template.js');
  const buf = await templateWorkbook(reg, { vaccineNames });
  try {
    mkdirSync(path.dirname(o.output), { recursive: true });
    writeFileSync(o.output, buf);
  } catch (e) {
    throw fsError(e, o.output);
  }
  process.stderr.write(`已生成「${reg.name}」填报模板：${o.output}\n`);
  return 0;
};
export default main;
