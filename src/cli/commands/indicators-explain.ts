// `gongwei indicators explain <id|名称>`: the definition in words, numerator, denominator, source and the SQL.
import { GongweiError } from '../../errors.js';
import { loadIndicatorCatalog } from '../../catalog/indicators.js';
import { writeOutput } from '../output.js';

export default async function indicatorsExplain(args: string[], opts: { catalog?: string; schedule?: string }): Promise<number> {
  const cat = loadIndicatorCatalog({ schedule: opts.schedule, extraDirs: opts.catalog ? [opts.catalog] : [] });
  const name = args[0]!;
  const d = cat.resolve(name);
  if (!d) {
    const sug = cat.suggest(name).map((x) => `${x.name}（${x.id}）`);
    throw new GongweiError('INDICATOR_UNKNOWN', `未知指标：「${name}」`, { hint: sug.length ? `是否要找：${sug.join('、')}？` : '用 gongwei indicators list 查看全部指标。' });
  }
  const lines = [
    `${d.name}（${d.id}）`,
    `单位：${d.unit}    类型：${d.kind === 'rate' ? `率（×${d.factor}）` : '计数'}    登记表：${d.register}${d.domain ? `    项目：${d.domain}` : ''}`,
    d.aliases.length ? `别名：${d.aliases.join('、')}` : '',
    '',
    `定义：${d.description}`,
    `分子：${d.numerator}`,
    d.denominator ? `分母：${d.denominator}` : '',
    d.source ? `来源：${d.source}` : '',
    '',
  ];
  if (d.compute.kind === 'sql') {
    lines.push(`计算（SQL，参数 :start、:end 为统计期间起止日期，:year 为期末年份）：`, d.compute.sql.trimEnd());
  } else if (d.compute.kind === 'followups') {
    const c = d.compute;
    const managedRule = `${d.register} 中统计期间内在管的患者（规则同 managed()）`;
    const where = c.where ? `符合条件 ${c.where.trim()} 的` : '';
    lines.push(
      c.measure === 'managed' ? `计算：${managedRule}的人数。`
      : c.measure === 'visits' ? `计算：${managedRule}中，统计期间内且在管理期间内${where}随访（${c.followups}）次数 ≥ 应随访次数 q（required_followups）的人数 / 在管人数。`
      : `计算：${managedRule}中，统计期间内最近一次随访（${c.followups}）${c.where ? `符合条件 ${c.where.trim()}` : '存在'}的人数 / 在管人数（统计期间内没有随访的不计入分子）。`,
    );
  } else if (d.compute.kind === 'records') {
    const c = d.compute;
    const rows = `${d.register} 中${c.where ? `符合条件 ${c.where.trim()}、` : ''}${c.created} ≤ 期末E 的记录`;
    const num = [c.num ? `符合条件 ${c.num.trim()} ` : '', c.numWithin ? `${c.numWithin} 在统计期间内` : ''].filter(Boolean).join('且');
    lines.push(`计算：${num ? `${rows}中${num}的记录数` : `${rows}数`}${c.denominatorPopulation ? '' : ` / ${rows}数`}。`);
  } else {
    lines.push('计算：按免疫程序逐名儿童计算应种日期（内置计算，见 docs/immunization.md）。');
  }
  if (d.compute.kind !== 'immunization' && d.compute.denominatorPopulation) lines.push(`分母：人口基础数据 population.${d.compute.denominatorPopulation} 在期末年度的合计`);
  if (d.file) lines.push('', `定义文件：${d.file}`);
  writeOutput(lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n') + '\n');
  return 0;
}
