// `gongwei plan …`: validate, init, schema, render, assess, templates.
import { Command, Option } from 'commander';
import { lazy, sub } from '../run.js';

export function registerPlan(program: Command): void {
  const plan = sub(program, 'plan', '年度工作计划：校验、新建、生成文档、绩效考核');

  sub(plan, 'validate', '校验计划 YAML 文件（JSON Schema + 业务规则）')
    .argument('<路径...>', '文件、目录或通配符（如 plans/**/*.yaml）；- 表示从标准输入读取')
    .addOption(new Option('-f, --format <格式>', '输出格式').choices(['text', 'json', 'github', 'junit']).default('text'))
    .option('-o, --output <文件>', '把报告写入文件而不是标准输出；- 表示标准输出')
    .option('--strict', '有警告也按失败处理（退出码 1）')
    .option('-q, --quiet', '只报告错误，不显示警告')
    .option('--catalog <目录>', '追加自定义指标目录（计划可以对这些指标设目标）')
    .action(lazy('plan-validate'));

  sub(plan, 'init', '新建一个计划文件（带 schema 提示行）')
    .argument('[文件]', '输出文件名；省略时写到标准输出')
    .addOption(new Option('-k, --kind <类型>', '文档类型').choices(['年度工作计划', '实施方案', '考核方案']).default('年度工作计划'))
    .option('--unit <单位>', '单位名称')
    .option('--year <年度>', '计划年度')
    .option('--schema <路径或网址>', 'schema 提示行写的路径或网址（默认指向本机安装的 schemas/plan.schema.json；计划仓库可先 gongwei plan schema -o plan.schema.json）')
    .option('--force', '覆盖已存在的文件')
    .action(lazy('plan-init'));

  sub(plan, 'import', '把现有的 Word / WPS / 文本计划导入为 YAML 草稿（目标对应指标目录，要核对的地方加注释）')
    .argument('<文件>', '计划文档：.docx、.doc、.wps、.odt、.txt、.md（.doc/.wps/.odt 需要 LibreOffice）；- 表示从标准输入读取')
    .option('-o, --output <文件或目录>', '草稿写到这个 .yaml 文件；加 --split 时是一个目录（省略时草稿输出到标准输出，摘要输出到标准错误）')
    .option('--split', '把一个文件里的多篇计划（篇一、篇二……）分成多个草稿')
    .addOption(new Option('-f, --format <格式>', '摘要的格式（json 且没有 -o 时草稿也在 JSON 中）').choices(['text', 'json']).default('text'))
    .option('--force', '覆盖已存在的草稿文件')
    .action(lazy('plan-import'));

  sub(plan, 'schema', '输出计划文件的 JSON Schema')
    .option('-o, --output <文件>', '写入文件；- 表示标准输出')
    .action(lazy('plan-schema'));

  sub(plan, 'render', '把计划渲染为 Word / HTML / Markdown 文档；加 --summary 生成年度工作总结（计划有校验错误时不生成，退出码 1）')
    .argument('<计划文件>', '计划 YAML 文件；- 表示从标准输入读取')
    .addOption(new Option('-f, --format <格式>', '输出格式').choices(['docx', 'html', 'md']).default('docx'))
    .option('-o, --output <文件>', '输出文件（默认与计划同名，扩展名按格式；计划从标准输入读取时默认写到标准输出）；- 表示标准输出')
    .option('--summary', '生成年度工作总结：从 --db 数据库按 --period 统计（--period 省略时为计划的年度）')
    .option('--db <文件>', '--summary 读取的登记表数据库', 'gongwei.sqlite')
    .option('--period <期间>', '统计期间（用于 --summary；省略时为计划的年度），如 2025、2025Q2、2025-03、2025-01..2025-06')
    .option('--values <文件>', '人工填报的数值（xlsx、csv 或 yaml），总结中写明“人工填报”和数据来源（与 --summary 同用）')
    .option('--catalog <目录>', '追加自定义指标目录（总结中按其服务项目分组）')
    .option('--sql-timeout <秒>', '每个自定义指标 SQL 的时间上限', '30')
    .option('--templates <目录>', '使用自定义模板目录')
    .action(lazy('plan-render'));

  sub(plan, 'assess', '按计划的考核方案计算绩效考核得分与等级；考核对象为各村卫生室时逐村、为科室或人员列表时逐一计分并排名（计划或填报文件有错误时不计算，退出码 1）')
    .argument('<计划文件>', '含“考核”部分的计划 YAML 文件；- 表示从标准输入读取')
    .requiredOption('--db <文件>', '登记表数据库')
    .requiredOption('--period <期间>', '考核期间，如 2025')
    .addOption(new Option('--by <对象>', 'unit 本单位；village 逐村考核；subject 按“考核对象”列出的科室或人员逐一考核——每个一个得分和等级，并排名（省略时按考核方案的“考核对象”）').choices(['unit', 'village', 'subject']))
    .option('--values <文件>', '人工填报的数值与人工评分（xlsx、csv 或 yaml，可按村或考核对象填写）')
    .addOption(new Option('-f, --format <格式>', '输出格式（省略时按 -o 的扩展名）').choices(['text', 'json', 'xlsx', 'docx', 'html', 'md']))
    .option('-o, --output <文件>', '输出文件（docx/html/md/xlsx 默认与计划同名）；- 表示标准输出')
    .option('--catalog <目录>', '追加自定义指标目录')
    .option('--sql-timeout <秒>', '每个自定义指标 SQL 的时间上限', '30')
    .option('--templates <目录>', '使用自定义模板目录')
    .action(lazy('plan-assess'));

  const templates = sub(plan, 'templates', '文档模板');
  sub(templates, 'export', '把内置模板复制到目录，供修改后用 --templates 使用')
    .argument('<目录>', '目标目录')
    .option('--force', '覆盖已存在的文件')
    .action(lazy('plan-templates-export'));
}
