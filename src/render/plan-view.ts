// Turns a loaded plan into the plain view the templates read (titles, numbered-by-renderer sections, tables).
/* eslint-disable @typescript-eslint/no-explicit-any */

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

/** A flat task list (for the summary's 计划任务完成情况 and the 实施方案's 完成时限). */
export interface FlatTask {
  title: string;
  section: string;
  department?: string;
  deadline?: string;
}

import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import { parseTarget } from '../plan/target.js';
import type { Target } from '../catalog/target.js';
import { DEFAULT_GRADES, type AssessScheme, type GradeThreshold, type ScoringRule } from './assess.js';

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());
export const arr = (v: unknown): any[] => (Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]);
export function get(o: any, ...keys: string[]): any {
  for (const k of keys) if (o && o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}
const hashes = (depth: number) => '#'.repeat(Math.min(depth, 3) + 2);

/** Keys a section object may use for its parts (the plan format's Chinese keys, English model names too). */
const K = {
  title: ['标题', 'title', '名称'],
  paragraphs: ['总体目标', '内容', '段落', 'paragraphs', 'text', '说明'],
  items: ['事项', '任务', '工作', 'items', 'tasks', '措施'],
  children: ['小节', '子项', '下级', 'sections', 'children'],
  targets: ['指标', '指标目标', 'targets'],
  department: ['责任科室', 'department', '科室', 'responsible'],
  person: ['责任人', 'person', 'owner'],
  cooperate: ['配合科室', 'cooperate'],
  deadline: ['完成时限', 'deadline', '时限'],
  schedule: ['进度安排', 'schedule'],
};
function pick(o: any, keys: string[]): unknown {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function taskText(t: any): string {
  if (typeof t === 'string') return t;
  return str(pick(t, ['内容', '事项', 'text', 'task', '任务', '描述', ...K.title]));
}

function taskAttrs(t: any): Array<{ label: string; value: string }> {
  if (!t || typeof t !== 'object') return [];
  const out: Array<{ label: string; value: string }> = [];
  const add = (label: string, keys: string[]) => {
    const v = pick(t, keys);
    if (v === undefined || v === '') return;
    out.push({ label, value: Array.isArray(v) ? v.map(str).join('、') : typeof v === 'object' ? Object.entries(v as object).map(([k, x]) => `${k}${str(x)}`).join('；') : str(v) });
  };
  add('责任科室', K.department);
  add('责任人', K.person);
  add('配合科室', K.cooperate);
  const d = pick(t, K.deadline);
  if (d !== undefined && d !== '') out.push({ label: '完成时限', value: formatDate(d, '') });
  add('进度安排', K.schedule);
  return out;
}

function targetsOf(o: any): Array<{ no: number; name: string; text: string; target: string }> {
  return arr(pick(o, K.targets)).map((t: any, i: number) => {
    if (typeof t === 'string') return { no: i + 1, name: '', text: t, target: t };
    const name = str(pick(t, ['指标', 'indicator', 'name', '名称', 'indicatorName']));
    const target = str(pick(t, ['目标', 'target', 'text', 'targetText']));
    const text = name && target && !/^[达不以控保为≥>≤<全]/.test(target) ? `达到${target}` : target;
    return { no: i + 1, name, text, target };
  });
}

export function sectionView(o: any, depth: number, fallbackTitle = ''): SectionView {
  if (typeof o === 'string') return { title: fallbackTitle, hashes: hashes(depth), paragraphs: [o], targets: [], targetTable: false, items: [], children: [] };
  const children = arr(pick(o, K.children)).map((c) => sectionView(c, depth + 1));
  const items = arr(pick(o, K.items)).map((t: any) => {
    const sub = t && typeof t === 'object' && pick(t, K.title) && (pick(t, K.items) || pick(t, K.children));
    if (sub) {
      children.push(sectionView(t, depth + 1));
      return null;
    }
    const heading = t && typeof t === 'object' ? str(pick(t, K.title)) : '';
    const text = taskText(t).replace(/[。；;，,]+$/, '');
    return { heading: heading && heading !== text ? heading : null, hashes: hashes(depth + 1), text, attrs: taskAttrs(t) };
  }).filter((x): x is TaskView => x !== null);
  return {
    title: str(pick(o, K.title)) || fallbackTitle,
    hashes: hashes(depth),
    paragraphs: [...arr(o['总体目标']), ...arr(pick(o, K.paragraphs.filter((k) => k !== '总体目标')))].map(str).filter(Boolean),
    targets: targetsOf(o),
    targetTable: targetsOf(o).length >= 4,
    items,
    children,
  };
}

/** Every task of the plan with its section title, deadline and department, in document order. */
export function flattenTasks(sections: SectionView[], raw: any): FlatTask[] {
  void raw;
  const out: FlatTask[] = [];
  const walk = (s: SectionView) => {
    for (const it of s.items) {
      const get = (l: string) => it.attrs.find((a) => a.label === l)?.value;
      if (get('完成时限') || get('责任科室')) out.push({ title: it.heading ?? it.text, section: s.title, department: get('责任科室'), deadline: get('完成时限') });
    }
    s.children.forEach(walk);
  };
  sections.forEach(walk);
  return out;
}

export function formatDate(v: unknown, year: string): string {
  const s = str(v);
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
  if (m) return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  return s || (year ? `${year}年  月  日` : '');
}

/** The plan as the templates see it. */
export function planView(plan: any): PlanView {
  const kind = str(get(plan, '文档类型', 'kind')) || '年度工作计划';
  const unit = str(get(plan, '单位', 'unit'));
  const year = str(get(plan, '年度', 'year'));
  const title = str(get(plan, '标题', 'title')) || `${unit}${year}年${kind === '年度工作计划' ? '工作计划' : kind}`;
  const sections: PlanView['sections'] = [];
  const add = (key: string[], fallback: string) => {
    const v = get(plan, ...key);
    if (v === undefined) return;
    if (Array.isArray(v) && v.length && typeof v[0] === 'object' && v[0] !== null && (get(v[0], '标题', 'title') !== undefined)) {
      const s = sectionView({ 标题: fallback, 小节: v }, 0, fallback);
      sections.push(s);
    } else if (typeof v === 'object' && !Array.isArray(v)) {
      sections.push(sectionView(v, 0, fallback));
    } else {
      sections.push(sectionView({ 标题: fallback, 内容: arr(v) }, 0, fallback));
    }
  };
  add(['指导思想'], '指导思想');
  add(['工作目标', '目标任务'], kind === '实施方案' ? '目标任务' : '工作目标');
  add(['重点工作', '主要措施', '工作内容'], kind === '实施方案' ? '主要措施' : '重点工作');
  add(['工作要求'], '工作要求');
  add(['保障措施', '组织保障'], '保障措施');
  const lead = get(plan, '领导小组');
  if (lead && typeof lead === 'object') {
    const paras: string[] = [];
    const name = str(lead['名称']) || '工作领导小组';
    paras.push(`成立${unit}${name}，负责工作的组织协调和督促检查。`);
    for (const k of ['组长', '副组长', '成员']) if (lead[k] !== undefined) paras.push(`${k}：${arr(lead[k]).map(str).join('、')}`);
    if (lead['办公室'] !== undefined) {
      const office = str(lead['办公室']).replace(/[。；;]+$/, '');
      paras.push(/^领导小组|办公室/.test(office) ? `${office}。` : `领导小组下设办公室，${office}。`);
    }
    const at = sections.findIndex((s) => s.title === '保障措施');
    sections.splice(at >= 0 ? at : sections.length, 0, sectionView({ 标题: '组织领导', 内容: paras }, 0));
  }
  add(['检查验收'], '检查验收');

  const resp = arr(get(plan, '责任分工')).map((r: any) => ({
    department: str(get(r, '科室', '责任科室', 'department')),
    person: str(get(r, '负责人', '责任人', 'person')) || '—',
    duties: arr(get(r, '职责', '工作职责', '内容', 'duties')).map(str).join('；'),
  }));
  const ms = arr(get(plan, '完成时限', '时间安排')).map((m: any, i: number) => ({
    no: i + 1,
    task: str(get(m, '任务', '内容', '事项', 'task')),
    deadline: formatDate(get(m, '时限', '完成时限', '时间', 'deadline'), ''),
    department: arr(get(m, '责任科室', '科室', 'department')).map(str).join('、') || '—',
  }));
  const scheme = assessmentScheme(plan);
  const assessment = scheme
    ? {
        items: scheme.items.map((it) => ({ name: it.name, target: it.target?.text ?? '—', weight: String(it.weight), rule: it.description ?? ruleWords(it.rule ?? scheme.rule) })),
        gradeText: gradeText(scheme.grades ?? DEFAULT_GRADES),
        consequences: Object.entries(scheme.consequences ?? {}).map(([g, c]) => `考核结果为“${g}”的，${c.replace(/[。；;]+$/, '')}。`),
      }
    : null;

  const TAIL = new Set(['组织领导', '保障措施', '组织保障', '检查验收']);
  const tailSections = kind === '实施方案' ? sections.filter((x) => TAIL.has(x.title)) : [];
  return {
    kind,
    title,
    tailSections,
    unit,
    year,
    recipient: str(get(plan, '主送')) || null,
    date: formatDate(get(plan, '发文日期', 'date'), year),
    preamble: arr(get(plan, '前言', 'preamble')).map(str).filter(Boolean),
    sections: sections.filter((x) => !tailSections.includes(x)),
    responsibilities: resp,
    milestones: ms,
    assessment,
    closing: arr(get(plan, '结束语', 'closing')).map(str).filter(Boolean),
  };
}

export function ruleWords(rule: ScoringRule | undefined): string {
  if (!rule || rule.kind === 'proportional') return '达标得满分，未达标按完成比例得分';
  if (rule.kind === 'all-or-nothing') return '达标得满分，未达标不得分';
  return `达标得满分，每低1个百分点扣${rule.perPoint}分`;
}

export function gradeText(grades: GradeThreshold[]): string {
  const s = [...grades].sort((a, b) => b.min - a.min);
  const parts = s.map((g, i) => {
    const upper = s[i - 1]?.min;
    if (i === 0) return `${g.min}分（含）以上为${g.grade}`;
    if (g.min <= 0) return `${upper}分以下为${g.grade}`;
    return `${g.min}分（含）至${upper}分为${g.grade}`;
  });
  return `考核实行百分制，${parts.join('，')}。`;
}

/** Parse the plan's 考核 section into a scheme (weights, rule, grades, consequences). */
export function assessmentScheme(plan: any, parseTarget?: (t: string) => Target | undefined, resolve?: (name: string) => { id: string; name: string } | undefined): AssessScheme | null {
  const k = get(plan, '考核', 'assessment');
  if (!k || typeof k !== 'object') return null;
  const items: AssessScheme['items'] = arr(get(k, '指标', '项目', 'items')).map((it: any) => {
    const ref = str(get(it, '指标', 'indicator', 'indicatorId'));
    const name = str(get(it, '名称', 'name')) || ref;
    const resolved = ref && resolve ? resolve(ref) : undefined;
    const targetText = str(get(it, '目标', 'target'));
    const target = targetText && parseTarget ? parseTarget(targetText) : targetText ? ({ kind: 'threshold', op: '>=', value: NaN, unit: '', text: targetText } as Target) : undefined;
    const manual = get(it, '得分', '人工评分', 'manualScore');
    return {
      indicatorId: resolved?.id ?? (ref && !resolve ? ref : undefined),
      name: resolved?.name && !get(it, '名称', 'name') ? resolved.name : name,
      weight: Number(get(it, '分值', '权重', 'weight') ?? 0),
      target,
      rule: parseRule(get(it, '评分办法', '评分规则', 'rule')),
      manualScore: manual === undefined ? undefined : Number(manual),
    };
  });
  for (const o of arr(get(k, '其他项目'))) {
    items.push({
      indicatorId: undefined,
      name: str(get(o, '名称', 'name')),
      weight: Number(get(o, '分值', 'weight') ?? 0),
      target: undefined,
      rule: undefined,
      manualScore: get(o, '得分') === undefined ? undefined : Number(get(o, '得分')),
      description: str(get(o, '说明')) || undefined,
    });
  }
  const gradesRaw = get(k, '等级', 'grades');
  let grades: GradeThreshold[] | undefined;
  if (Array.isArray(gradesRaw)) grades = gradesRaw.map((g: any) => ({ grade: str(get(g, '等级', 'grade', '名称')), min: Number(get(g, '最低分', '下限', 'min') ?? 0) }));
  else if (gradesRaw && typeof gradesRaw === 'object') grades = Object.entries(gradesRaw).map(([g, m]) => ({ grade: g, min: Number(m) }));
  const cons = get(k, '结果运用', 'consequences');
  let consequences: Record<string, string> | undefined;
  if (cons && typeof cons === 'object' && !Array.isArray(cons)) consequences = Object.fromEntries(Object.entries(cons).map(([g, c]) => [g, str(c)]));
  return { items, grades, rule: parseRule(get(k, '评分办法', '评分规则', 'rule')), consequences };
}

export function parseRule(v: unknown): ScoringRule | undefined {
  if (v && typeof v === 'object') {
    const o = v as any;
    if (o.kind === 'deduct' || o.kind === 'proportional' || o.kind === 'all-or-nothing') return o as ScoringRule;
    const per = get(o, '每低1个百分点扣', '扣分');
    if (per !== undefined) return { kind: 'deduct', perPoint: Number(per) };
  }
  const s = str(v);
  if (!s) return undefined;
  if (/按比例|比例/.test(s)) return { kind: 'proportional' };
  if (/不得分|全或无|达标得分/.test(s)) return { kind: 'all-or-nothing' };
  const m = /扣\s*(\d+(?:\.\d+)?)\s*分/.exec(s);
  if (m) return { kind: 'deduct', perPoint: Number(m[1]) };
  return undefined;
}
/** The plan's 考核 section with every target parsed and every indicator resolved in the catalogue (null without one). */
export function planAssessmentScheme(plan: unknown, catalog: IndicatorCatalog = loadIndicatorCatalog()): AssessScheme | null {
  return assessmentScheme(
    plan,
    (t) => {
      const r = parseTarget(t);
      return 'target' in r ? r.target : undefined;
    },
    (name) => {
      const d = catalog.resolve(name);
      return d ? { id: d.id, name: d.name } : undefined;
    },
  );
}
