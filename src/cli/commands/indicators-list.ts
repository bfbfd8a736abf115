// `gongwei indicators list`: id, 名称, unit, register of every indicator.
import { loadIndicatorCatalog } from '../../catalog/indicators.js';
import { writeOutput } from '../output.js';

export default async function indicatorsList(_args: string[], opts: { catalog?: string; schedule?: string; format: 'text' | 'json' }): Promise<number> {
  const cat = loadIndicatorCatalog({ schedule: opts.schedule, extraDirs: opts.catalog ? [opts.catalog] : [] });
  if (opts.format === 'json') {
    writeOutput(JSON.stringify(cat.all.map((d) => ({ id: d.id, name: d.name, aliases: d.aliases, domain: d.domain, unit: d.unit, kind: d.kind, register: d.register, custom: Boolean(d.custom) })), null, 2) + '\n');
    return 0;
  }
  const { default: Table } = await import('cli-table3');
  const table = new Table({ head: ['编号', '名称', '单位', '登记表', '项目'], style: { head: [], border: [] } });
  for (const d of cat.all) table.push([d.id, d.name, d.unit, d.register, d.domain + (d.custom ? '（自定义）' : '')]);
  writeOutput(`${table.toString()}\n共 ${cat.all.length} 个指标。用 gongwei indicators explain <编号或名称> 查看定义。\n`);
  return 0;
}
