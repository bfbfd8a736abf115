// `gongwei registers template <register> -o file.xlsx`: a blank form with headers, formats and drop-down lists.
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';
import { checkBinaryToTerminal, toFile, writeOutput } from '../output.js';

const main: CommandMain<{ output: string }> = async ([name], o) => {
  checkBinaryToTerminal(true, o.output, 'xlsx');
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
  writeOutput(buf, o.output, { format: 'xlsx' });
  if (toFile(o.output)) process.stderr.write(`已生成「${reg.name}」填报模板：${o.output}\n`);
  return 0;
};
export default main;
