// The plan as loaded from YAML: the Chinese keys of schemas/plan.schema.json, typed.

export type Text = string | string[];
export type Names = string | string[];

export interface TargetEntry {
  指标: string;
  目标: string | number;
  基线?: number;
  说明?: string;
  /** Not in the indicator catalogue: the target is checked and rendered, never computed. */
  自定义?: boolean;
}

export interface TaskObject {
  标题?: string;
  内容: Text;
  责任科室?: Names;
  责任人?: Names;
  配合科室?: Names;
  完成时限?: string;
  进度安排?: Record<string, string>;
  关联指标?: string[];
}
export type Task = string | TaskObject;

/** A table inside a section: header, rows of the same width, an optional caption above and a note below. */
export interface Table {
  标题?: string;
  表头: string[];
  行: Array<Array<string | number>>;
  注?: Text;
}

/** What a section holds, in document order: 内容, 条目 (1、2、3、), 表格, 指标, 任务, 小节, then 结尾 after the subsections. */
export interface Part {
  内容?: Text;
  条目?: string[];
  表格?: Table | Table[];
  指标?: TargetEntry[];
  任务?: Task[];
  小节?: Section[];
  结尾?: Text;
}

/** A section: a part with its own title. */
export interface Section extends Part {
  标题: string;
}

/** An attachment (附件): its title and a section's content, on its own page after the body. */
export type Attachment = Omit<Section, '指标' | '任务'>;

export type Sections = Text | Section[] | Part;

export interface AssessmentItem {
  指标: string;
  名称?: string;
  目标?: string | number;
  分值: number;
  评分办法?: string;
  /** The category (分类) the item is listed and subtotalled under. */
  类别?: string;
  计算公式?: string;
  说明?: string;
}

export interface Assessment {
  /** Who is assessed: 本单位 (default), 各村卫生室 (one score per village), or departments/people. */
  考核对象?: '本单位' | '各村卫生室' | string[];
  评分办法?: string;
  /** Categories in document order with their subtotals (分值小计). */
  分类?: Record<string, number>;
  指标?: AssessmentItem[];
  其他项目?: Array<{ 名称: string; 分值: number; 得分?: number; 说明?: string; 类别?: string }>;
  等级?: Record<string, number>;
  /** By grade, or a text that applies to every grade. */
  结果运用?: Record<string, string> | Text;
}

/** 结果运用 by grade (empty when it is a text for every grade). */
export const consequencesByGrade = (k: Assessment | undefined): Record<string, string> =>
  k?.结果运用 && typeof k.结果运用 === 'object' && !Array.isArray(k.结果运用) ? k.结果运用 : {};
/** 结果运用 that applies to every grade: the paragraphs of a text (none when it is written by grade). */
export const consequencesForAll = (k: Assessment | undefined): string[] =>
  typeof k?.结果运用 === 'string' || Array.isArray(k?.结果运用) ? asList(k!.结果运用 as Text) : [];

export type PlanKind = '年度工作计划' | '实施方案' | '考核方案';

export interface Plan {
  文档类型: PlanKind;
  标题?: string;
  单位: string;
  年度: number;
  编制部门?: string;
  发文日期?: string;
  主送?: string;
  部门?: string[];
  基本情况?: { 辖区人口?: number; 行政村?: string[] | number; 职工人数?: number; 村卫生室?: number; 床位?: number; 说明?: Text };
  前言?: Text;
  /** The body as the author's own chapters, in the author's order (instead of the fixed keys below). */
  正文?: Section[];
  指导思想?: Text;
  工作目标?: Text | { 总体目标?: Text; 内容?: Text; 指标?: TargetEntry[] };
  重点工作?: Sections;
  主要措施?: Sections;
  工作要求?: Sections;
  保障措施?: Sections;
  领导小组?: { 名称?: string; 组长?: Names; 副组长?: Names; 成员?: Names; 办公室?: string };
  责任分工?: Array<{ 科室: string; 负责人?: string; 职责: Text }>;
  完成时限?: Array<{ 时限: string; 任务: string; 责任科室?: Names }>;
  检查验收?: Sections;
  考核?: Assessment;
  结束语?: Text;
  附件?: Attachment[];
  /** The 版记: 抄送, 印发机关 (default 单位), 印发日期 (default 发文日期). */
  抄送?: Names;
  印发机关?: string;
  印发日期?: string;
}

/** Top-level keys whose value may be a list of sections. */
export const SECTION_KEYS = ['重点工作', '主要措施', '工作要求', '保障措施', '检查验收'] as const;
/** The fixed body keys; a plan with 正文 writes these as chapters of 正文 instead. */
export const FIXED_BODY_KEYS = ['指导思想', '工作目标', ...SECTION_KEYS] as const;

/** The tables of a section (表格: one table or a list). */
export const tablesOf = (p: Part): Table[] => asList(p.表格);

export const asList = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Document title: 标题, or ‹单位›‹年度›年‹工作计划|实施方案|考核方案›. */
export function planTitle(plan: Plan): string {
  if (plan.标题) return plan.标题;
  const kind = plan.文档类型 === '年度工作计划' ? '工作计划' : plan.文档类型;
  return `${plan.单位}${plan.年度}年${kind}`;
}
