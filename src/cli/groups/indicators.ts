// `gongwei indicators …`: compute, list, explain, gaps.
import { Command, Option } from 'commander';
import { lazy, sub } from '../run.js';

export function registerIndicators(program: Command): void {
  const ind = sub(program, 'indicators', '公共卫生指标：计算、列表、说明、未达标人员清单');

  sub(ind, 'compute', '按期间计算指标（可按村/医生分组，可对照计划目标）')
    .option('--db <文件>', 'SQLite 数据库文件', 'gongwei.sqlite')
    .requiredOption('--period <期间>', '2025、2025Q2、2025-03 或 2025-01..2025-06')
    .addOption(new Option('--by <分组>', '分组').choices(['village', 'doctor']))
    .option('--only <指标>', '只计算这些指标（编号或名称；用逗号分隔或重复 --only）', (v: string, prev: string[] = []) => [...prev, ...v.split(/[,，、]/).map((s) => s.trim()).filter(Boolean)])
    .option('--plan <文件>', '对照这个计划的目标，给出达标情况与差距；计划的自定义指标列为“需人工填报”')
    .option('--values <文件>', '人工填报的数值（xlsx、csv 或 yaml；与 --plan 同用），对照目标并注明“人工填报”和数据来源')
    .option('--schedule <版本>', '免疫程序版本（默认 2021）')
    .option('--catalog <目录>', '追加自定义指标目录')
    .option('--sql-timeout <秒>', '每个自定义指标 SQL 的时间上限', '30')
    .addOption(new Option('-f, --format <格式>', '输出格式（省略时按 -o 的扩展名）').choices(['text', 'json', 'csv', 'xlsx']))
    .option('-o, --output <文件>', '输出文件；- 表示标准输出（xlsx 不能写到终端）')
    .action(lazy('indicators-compute'));

  sub(ind, 'values-template', '生成人工填报文件：计划中自定义指标（不从登记表计算）和人工评分的考核项目，一行一个指标、期间（和村）')
    .requiredOption('--plan <文件>', '计划文件')
    .requiredOption('-o, --output <文件>', '输出文件：.xlsx、.csv 或 .yaml')
    .option('--period <期间>', '统计期间（默认计划年度）')
    .addOption(new Option('--by <分组>', '每个村各一行（考核对象为各村卫生室时自动按村）').choices(['village']))
    .option('--catalog <目录>', '追加自定义指标目录')
    .action(lazy('indicators-values-template'));

  sub(ind, 'list', '列出所有指标')
    .option('--catalog <目录>', '追加自定义指标目录')
    .option('--schedule <版本>', '免疫程序版本（默认 2021）')
    .addOption(new Option('-f, --format <格式>', '输出格式').choices(['text', 'json']).default('text'))
    .action(lazy('indicators-list'));

  sub(ind, 'explain', '说明一个指标：定义、分子、分母、来源与 SQL')
    .argument('<指标>', '指标编号或中文名称')
    .option('--catalog <目录>', '追加自定义指标目录')
    .option('--schedule <版本>', '免疫程序版本（默认 2021）')
    .action(lazy('indicators-explain'));

  sub(ind, 'gaps', '列出分母中未进入分子的人员及原因（应种未种、随访不足等）')
    .argument('<指标>', '指标编号或中文名称')
    .option('--db <文件>', 'SQLite 数据库文件', 'gongwei.sqlite')
    .requiredOption('--period <期间>', '统计期间')
    .option('--schedule <版本>', '免疫程序版本（默认 2021）')
    .option('--catalog <目录>', '追加自定义指标目录')
    .option('--sql-timeout <秒>', '自定义指标人员清单 SQL 的时间上限', '30')
    .addOption(new Option('-f, --format <格式>', '输出格式（省略时按 -o 的扩展名）').choices(['text', 'json', 'csv', 'xlsx']))
    .option('-o, --output <文件>', '输出文件（含个人信息，只有本人可读）；- 表示标准输出')
    .option('--show-personal', '在终端显示未脱敏的个人信息')
    .action(lazy('indicators-gaps'));
}
