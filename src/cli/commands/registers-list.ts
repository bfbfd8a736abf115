// `gongwei registers list`: every register of the catalogue.
import type { CommandMain } from '../run.js';

const main: CommandMain<{ format: 'text' | 'json' }> = async (_args, o) => {
  const { loadRegisterCatalog } = await import('../../catalog/registers.js');
  const regs = loadRegisterCatalog();
  const keyHeaders = (r: (typeof regs)[number]) => r.naturalKey.map((k) => r.columns.find((c) => c.name === k)?.header ?? k);
  if (o.format === 'json') {
    process.stdout.write(`${JSON.stringify(regs.map((r) => ({ id: r.id, name: r.name, aliases: r.aliases ?? [], naturalKey: r.naturalKey, columns: r.columns.length, description: r.description })), null, 2)}\n`);
    return 0;
  }
  const Table = (await import('cli-table3')).default;
  const t = new Table({ head: ['编号', '名称', '自然键', '列数'], style: { head: [], border: [] } });
  for (const r of regs) t.push([r.id, r.name, keyHeaders(r).join(' + '), String(r.columns.length)]);
  process.stdout.write(`${t.toString()}\n用 gongwei registers describe <编号> 查看列与表头写法；gongwei registers template <编号> -o 模板.xlsx 生成填报模板。\n`);
  return 0;
};
export default main;
