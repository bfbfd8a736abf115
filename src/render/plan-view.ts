// Turns a loaded plan (the typed model of the plan schema) into the plain view the templates read: titles, sections
// numbered by the renderer, tables.
import { gradeText, parseRule, ruleWords, DEFAULT_GRADES } from '../assessment/scheme.js';
import { chineseDate } from '../calendar.js';
import { asList, consequencesByGrade, planTitle, type Part, type Plan, type Section, type Task, type TargetEntry, type Text } from '../plan/model.js';
import { partSections, topParts, type TopPart } from '../plan/sections.js';

export interface TaskView {
  heading: string | null;
  hashes: string;
  text: string;
  attrs: Array<{ label: string; value: string }>;
}

export interface SectionView {
  title: string;
  hashes: string;
  paragraphs: string[];
  targets: Array<{ no: number; name: string; text: string; target: string }>;
  /** Four or more targets read better as a table. */
  targetTable: boolean;
  items: TaskView[];
  children: SectionView[];
}

export interface PlanView {
  kind: string;
  title: string;
  unit: string;
  year: string;
  recipient: string | null;
  date: string;
  preamble: string[];
  sections: SectionView[];
  /** 实施方案: 组织领导 / 保障措施 / 检查验收 come after the 责任分工 and 完成时限 tables. */
  tailSections: SectionView[];
  responsibilities: Array<{ department: string; person: string; duties: string }>;
  milestones: Array<{ no: number; task: string; deadline: string; department: string }>;
  assessment: null | {
    items: Array<{ name: string; target: string; weight: string; rule: string }>;
    gradeText: string;
    consequences: string[];
  };
  closing: string[];
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());
/** Names (责任科室 …): one or a list, joined with 、. */
const names = (v: string | string[] | undefined): string => asList(v).map(str).filter(Boolean).join('、');
/** Paragraphs of a text. */
const paragraphs = (v: Text | undefined): string[] => asList(v).map(str).filter(Boolean);
const hashes = (depth: number) => '#'.repeat(Math.min(depth, 3) + 2);

/** A date as a document writes it (2025年6月30日); text that is not a date stays as written. */
const dateText = (v: string | undefined): string => chineseDate(str(v));

function taskView(t: Task, depth: number): TaskView {
  if (typeof t === 'string') return { heading: null, hashes: hashes(depth + 1), text: t.replace(/[。；;，,]+$/, ''), attrs: [] };
  const text = paragraphs(t.内容).join('；').replace(/[。；;，,]+$/, '');
  const attrs: TaskView['attrs'] = [];
  const add = (label: string, value: string) => {
    if (value) attrs.push({ label, value });
  };
  add('责任科室', names(t.责任科室));
  add('责任人', names(t.责任人));
  add('配合科室', names(t.配合科室));
  add('完成时限', dateText(t.完成时限));
  add('进度安排', Object.entries(t.进度安排 ?? {}).map(([k, x]) => `${k}${str(x)}`).join('；'));
  const heading = str(t.标题);
  return { heading: heading && heading !== text ? heading : null, hashes: hashes(depth + 1), text, attrs };
}

function targetsOf(list: TargetEntry[] | undefined): SectionView['targets'] {
  return asList(list).map((t, i) => {
    const name = str(t.指标);
    const target = str(t.目标);
    const text = name && target && !/^[达不以控保为≥>≤<全]/.test(target) ? `达到${target}` : target;
    return { no: i + 1, name, text, target };
  });
}

/** A section, a part (title from its key), or plain text under a title. */
export function sectionView(o: Section | Part | Text, depth: number, title = ''): SectionView {
  if (typeof o === 'string' || Array.isArray(o)) return { title, hashes: hashes(depth), paragraphs: paragraphs(o), targets: [], targetTable: false, items: [], children: [] };
  const targets = targetsOf(o.指标);
  return {
    title: ('标题' in o && str(o.标题)) || title,
    hashes: hashes(depth),
    paragraphs: paragraphs(o.内容),
    targets,
    targetTable: targets.length >= 4,
    items: asList(o.任务).map((t) => taskView(t, depth)),
    children: asList(o.小节).map((c) => sectionView(c, depth + 1)),
  };
}

/** The view of a top-level part: its sections under its title, or its text. */
function partView({ key, value, title }: TopPart): SectionView {
  if (key === '工作目标' && typeof value === 'object' && !Array.isArray(value)) {
    // {总体目标, 内容, 指标}: the overall goal first.
    const goals = value as Exclude<Plan['工作目标'], Text | undefined>;
    const v = sectionView({ 内容: goals.内容, 指标: goals.指标 }, 0, title);
    return { ...v, paragraphs: [...paragraphs(goals.总体目标), ...v.paragraphs] };
  }
  const { intro, part, sections } = partSections(value);
  if (part) return sectionView(part, 0, title);
  if (intro !== undefined) return sectionView(intro, 0, title);
  return { ...sectionView('', 0, title), paragraphs: [], children: sections.map((s) => sectionView(s, 1)) };
}

/** The plan as the templates see it. */
export function planView(plan: Plan): PlanView {
  const kind = plan.文档类型 ?? '年度工作计划';
  const unit = str(plan.单位);
  const year = str(plan.年度);
  const sections: SectionView[] = topParts(plan).map(partView);
  const lead = plan.领导小组;
  if (lead) {
    const paras: string[] = [];
    const name = str(lead.名称) || '工作领导小组';
    paras.push(`成立${unit}${name}，负责工作的组织协调和督促检查。`);
    for (const k of ['组长', '副组长', '成员'] as const) if (lead[k] !== undefined) paras.push(`${k}：${names(lead[k])}`);
    if (lead.办公室 !== undefined) {
      const office = str(lead.办公室).replace(/[。；;]+$/, '');
      paras.push(/^领导小组|办公室/.test(office) ? `${office}。` : `领导小组下设办公室，${office}。`);
    }
    const at = sections.findIndex((s) => s.title === '保障措施');
    sections.splice(at >= 0 ? at : sections.length, 0, sectionView(paras, 0, '组织领导'));
  }

  const responsibilities = asList(plan.责任分工).map((r) => ({
    department: str(r.科室),
    person: str(r.负责人) || '—',
    duties: paragraphs(r.职责).join('；'),
  }));
  const milestones = asList(plan.完成时限).map((m, i) => ({
    no: i + 1,
    task: str(m.任务),
    deadline: dateText(m.时限),
    department: names(m.责任科室) || '—',
  }));
  const k = plan.考核;
  const rule = parseRule(k?.评分办法);
  const assessment = k
    ? {
        items: [
          ...asList(k.指标).map((it) => ({ name: str(it.名称) || str(it.指标), target: str(it.目标) || '—', weight: String(it.分值), rule: ruleWords(parseRule(it.评分办法) ?? rule) })),
          ...asList(k.其他项目).map((o) => ({ name: str(o.名称), target: '—', weight: String(o.分值), rule: str(o.说明) || ruleWords(rule) })),
        ],
        gradeText: gradeText(k.等级 ? Object.entries(k.等级).map(([grade, min]) => ({ grade, min })) : DEFAULT_GRADES),
        consequences: Object.entries(consequencesByGrade(k)).map(([g, c]) => `考核结果为“${g}”的，${str(c).replace(/[。；;]+$/, '')}。`),
      }
    : null;

  const TAIL = new Set(['组织领导', '保障措施', '检查验收']);
  const tailSections = kind === '实施方案' ? sections.filter((x) => TAIL.has(x.title)) : [];
  return {
    kind,
    title: planTitle(plan),
    tailSections,
    unit,
    year,
    recipient: str(plan.主送) || null,
    date: dateText(plan.发文日期) || (year ? `${year}年  月  日` : ''),
    preamble: paragraphs(plan.前言),
    sections: sections.filter((x) => !tailSections.includes(x)),
    responsibilities,
    milestones,
    assessment,
    closing: paragraphs(plan.结束语),
  };
}
