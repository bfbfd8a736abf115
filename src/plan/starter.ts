// Starter plans for `plan init`: one per kind, valid as written, with the schema modeline.
import type { PlanKind } from './model.js';

export interface StarterOptions {
  kind: PlanKind;
  unit: string;
  year: number;
  /** Path or URL of plan.schema.json for the yaml-language-server modeline. */
  schemaRef: string;
}

/** How a unit names itself, its office and all its staff: 我院/院办/全院 for a 卫生院, 本中心/中心办公室/全中心 for a 中心 … */
export interface UnitWords {
  self: string;
  office: string;
  all: string;
}

const UNIT_WORDS: Array<[RegExp, UnitWords]> = [
  [/中心$/, { self: '本中心', office: '中心办公室', all: '全中心' }],
  [/(?:服务站|站)$/, { self: '本站', office: '站办公室', all: '全站' }],
  [/所$/, { self: '本所', office: '所办公室', all: '全所' }],
];

/** The words for a unit by the kind its name ends with; 卫生院, 医院 and anything else: 我院/院办/全院. */
export function unitWords(unit: string): UnitWords {
  return UNIT_WORDS.find(([re]) => re.test(unit.trim()))?.[1] ?? { self: '我院', office: '院办', all: '全院' };
}

const common = (o: StarterOptions, w: UnitWords) => `# yaml-language-server: $schema=${o.schemaRef}
# 计划文件格式说明见 docs/plan-format.md；写好后运行 gongwei plan validate <本文件> 检查。
文档类型: ${o.kind}
单位: ${o.unit}
年度: ${o.year}
编制部门: ${w.office}
发文日期: ${o.year}-01-10
`;

/** The 版记 and free chapters, as comments: what a plan may add (docs/plan-format.md shows each). */
const IMPRINT_HINT = `# 需要版记时写：抄送: [县卫生健康局]、印发机关、印发日期；附件写在 附件: 下（标题和 内容/条目/表格）
`;

export function starterPlan(o: StarterOptions): string {
  const w = unitWords(o.unit);
  switch (o.kind) {
    case '实施方案':
      return `${common(o, w)}标题: ${o.unit}${o.year}年预防接种服务实施方案
前言: 为做好预防接种工作，根据有关规范，结合${w.self}实际，制定本方案。
工作目标:
  总体目标: 国家免疫规划疫苗各剂次接种率保持在较高水平。
  指标:
    - {指标: 乙肝疫苗首针及时接种率, 目标: 不低于90%}
    - {指标: 0岁组接种率, 目标: 不低于95%}
主要措施:
  - 标题: 规范接种门诊管理
    内容: 严格执行“三查七对一验证”，接种后留观30分钟。
    任务:
      - 内容: 完成冷链设备检查。
        责任科室: 预防接种门诊
        完成时限: 3月底前
责任分工:
  - {科室: 公卫办, 职责: 负责方案制定、督导和考核}
  - {科室: 预防接种门诊, 职责: 负责疫苗接种和冷链管理}
完成时限:
  - {时限: 年底前, 任务: 完成全年接种率统计和总结, 责任科室: 公卫办}
检查验收: 公卫办每季度督导一次，年底对照考核指标验收。
${IMPRINT_HINT}`;
    case '考核方案':
      return `${common(o, w)}标题: ${o.unit}${o.year}年基本公共卫生服务绩效考核方案
前言: 为提高基本公共卫生服务质量，结合${w.self}实际，制定本考核方案。
工作目标: 通过量化考核，推动各项指标达到年度目标。
考核:
  考核对象: 本单位          # 或 各村卫生室（逐村计分、排名），或 [公卫办, 妇幼科]（逐一计分）
  评分办法: 达标得满分，未达标按完成比例得分
  指标:
    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 40}
    - {指标: 老年人健康管理率, 目标: 不低于70%, 分值: 40}
    # 每项可加 计算公式、说明；按类别分组时写 分类: {公共卫生服务: 80, 综合管理: 20}，每项写 类别
  其他项目:
    - {名称: 档案与资料管理, 分值: 20}
  等级: {优秀: 90, 合格: 75, 基本合格: 65, 不合格: 0}
  结果运用:
    不合格: 限期整改
${IMPRINT_HINT}`;
    default:
      return `${common(o, w)}前言: 为做好${o.year}年各项工作，结合${w.self}实际，制定本计划。
指导思想: 坚持以人民健康为中心，坚持预防为主、防治结合。
工作目标:
  总体目标: 基本公共卫生服务各项指标达到年度考核要求。
  指标:
    - {指标: 居民健康档案建档率, 目标: 不低于90%}
    - {指标: 高血压患者规范管理率, 目标: 不低于65%}
    # 可加 基线（上一年度的值）和 说明，都写进文档；目录之外的指标加 自定义: true
重点工作:
  - 标题: 基本公共卫生服务
    内容: 按照国家基本公共卫生服务规范做好各项服务。
    任务:
      - 内容: 每季度对慢性病患者面对面随访一次。
        责任科室: 公卫办
        完成时限: 长期坚持
保障措施:
  - 标题: 加强组织领导
    内容: 成立年度工作领导小组，每季度召开一次推进会。
结束语: ${w.all}职工要真抓实干，确保完成全年各项任务。
${IMPRINT_HINT}`;
  }
}
