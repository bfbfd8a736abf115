// `gongwei registers describe <register>`: columns, Chinese headers and aliases, types, natural key.
import type { CommandMain } from '../run.js';
import { GongweiError } from '../../errors.js';

const main: CommandMain<{ format: 'text' | 'json' }> = async ([name], o) => {
  const { getRegister, loadRegisterCatalog } = await import('../../catalog/registers.js');
  const reg = getRegister(name!);
  if (!reg) {
    throw new GongweiError('REG_REGISTER_NOT_FOUND', `没有这个登记表：${name}`, { hint: `可用：${loadRegisterCatalog().map((r) => r.id).join('、')}` });
  }
  if (o.format === 'json') {
    const { file: _f, ...rest } = reg;
    process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
    return 0;
  }
  const Table = (await import('cli-table3')).default;
  const t = new Table({ head: ['列', '中文表头', '其他写法', '类型', '必填', '取值'], style: { head: [], border: [] }, colWidths: [24, 16, 40, 12, 6, 30], wordWrap: true, wrapOnWordBoundary: false });
  for (const c of reg.columns) {
    t.push([
      `${c.name}${reg.naturalKey.includes(c.name) ? '（键）' : ''}`, c.derived ? `（由${reg.columns.find((x) => x.rawColumn === c.name)?.header ?? '其他列'}得出）` : c.header,
      (c.aliases ?? []).join('、'), c.type, c.required ? '是' : '', (c.values ?? []).join('/'),
    ]);
  }
  for (const cb of reg.combined ?? []) t.push([`（${cb.into.join(' + ')}）`, cb.header, (cb.aliases ?? []).join('、'), '血压 135/85', '', '']);
  const lines = [`${reg.name}（${reg.id}）`, reg.description, `自然键：${reg.naturalKey.join(' + ')}`, t.toString()];
  if (reg.source) lines.push(`依据：${reg.source}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
export default main;
