// `gongwei registers …`: import, rejects, template, list, describe.
import { Command, Option } from 'commander';
import { lazy, sub } from '../run.js';

export function registerRegisters(program: Command): void {
  const reg = sub(program, 'registers', '登记表：把 xlsx/csv 导出文件导入 SQLite 数据库');

  sub(reg, 'import', '导入登记表文件（xlsx、csv）')
    .argument('<文件...>', '要导入的文件')
    .option('--db <文件>', 'SQLite 数据库文件（新建时只有本人可读）', 'gongwei.sqlite')
    .option('--register <登记表>', '指定登记表（默认按表头自动识别）')
    .option('--sheet <工作表>', '只导入这个工作表')
    .option('--encoding <编码>', 'CSV 编码（默认自动识别 UTF-8 / GB18030）')
    .addOption(new Option('-f, --format <格式>', '导入摘要格式').choices(['text', 'json']).default('text'))
    .action(lazy('registers-import'));

  sub(reg, 'rejects', '列出被拒绝的行（原列 + 错误原因），导出为 xlsx 便于修改后重新报送')
    .option('--db <文件>', 'SQLite 数据库文件', 'gongwei.sqlite')
    .option('--import <编号>', '导入批次编号（默认最近一次有拒绝行的导入）')
    .addOption(new Option('-f, --format <格式>', '输出格式（省略时按 -o 的扩展名）').choices(['text', 'json', 'csv', 'xlsx']))
    .option('-o, --output <文件>', '输出文件（含个人信息，只有本人可读），如 退回修改.xlsx；- 表示标准输出')
    .option('--show-personal', '在终端显示未脱敏的个人信息')
    .action(lazy('registers-rejects'));

  sub(reg, 'template', '生成某个登记表的空白填报模板（xlsx）')
    .argument('<登记表>', '登记表编号或中文名')
    .requiredOption('-o, --output <文件>', '输出 xlsx 文件；- 表示标准输出（不能是终端）')
    .action(lazy('registers-template'));

  sub(reg, 'list', '列出所有登记表')
    .addOption(new Option('-f, --format <格式>', '输出格式').choices(['text', 'json']).default('text'))
    .action(lazy('registers-list'));

  sub(reg, 'describe', '查看某个登记表的列、别名与自然键')
    .argument('<登记表>', '登记表编号或中文名（可只写一部分，如 高血压，列出所有匹配的登记表）')
    .addOption(new Option('-f, --format <格式>', '输出格式').choices(['text', 'json']).default('text'))
    .action(lazy('registers-describe'));
}
