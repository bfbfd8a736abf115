// Turns a loaded plan (the typed model of the plan schema) into the plain view the templates read: titles, sections
// numbered by the renderer, tables.
import { gradeText, parseRule, ruleWords, subjectOf, subjectWords, DEFAULT_GRADES } from '../assessment/scheme.js';
import { chineseDate } from '../calendar.js';
import { asList, consequencesByGrade, consequencesForAll, planTitle, tablesOf, type Assessment, type Attachment, type Part, type Plan, type Section, type Table, type Task, type TargetEntry, type Text } from '../plan/model.js';
import { baselineText, targetEntries, targetNote } from '../plan/plan-targets.js';
import { normalizeIndicatorName } from '../catalog/indicators.js';
import { partSections, topParts, type TopPart } from '../plan/sections.js';

export interface TaskView {
  heading: string | null;
  hashes: string;
  text: string;
  attrs: Array<{ label: string; value: string }>;
}

export interface TableView {
  caption: string | null;
  header: string[];
  /** Markdown separators: numbers right-aligned (---:), text left (:---). */
  align: string[];
  rows: string[][];
  /** The note under the table, its first paragraph starting with 注：. */
  note: string[];
}

export interface SectionView {
  title: string;
  hashes: string;
  paragraphs: string[];
  /** 条目: numbered 1、2、3、 */
  list: string[];
  tables: TableView[];
  targets: Array<{ no: number; name: string; text: string; target: string; baseline: string; note: string }>;
  /** Four or more targets read better as a table. */
  targetTable: boolean;
  /** The target table has a 基线 / 说明 column. */
  targetBaselines: boolean;
  targetNotes: boolean;
  items: TaskView[];
  children: SectionView[];
  /** 结尾: paragraphs after the subsections. */
  ending: string[];
}

export interface AttachmentView {
  /** 附件1 (附件 when there is only one). */
  label: string;
  /** The line of the 附件说明 under the body: 1．title (title alone when there is only one). */
  noteLine: string;
  title: string;
  body: SectionView;
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
    /** 考核对象 as written (考核对象为各村卫生室（青石村、…）。); null when the plan does not say or has a chapter 考核对象. */
    subject: string | null;
    items: Array<{ name: string; target: string; weight: string; rule: string }>;
    /** With 分类 (or 类别 on the items): rows by category with a 小计 after each and a 合计 at the end. */
    categories: null | Array<{ name: string; rows: Array<{ no: number; name: string; target: string; weight: string; rule: string }>; subtotal: string }>;
    total: string;
    /** Items with a 计算公式 or 说明: one line each under the table. */
    notes: Array<{ name: string; text: string }>;
    gradeText: string;
    consequences: string[];
    /** 结果运用 written as text: it applies to every grade. */
    consequencesForAll: string[];
  };
  closing: string[];
  attachments: AttachmentView[];
  /** The 版记 (抄送, 印发机关, 印发日期) when the plan writes any of them. */
  imprint: null | { cc: string | null; issuer: string; date: string };
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

function targetsOf(list: TargetEntry[] | undefined, year: number): SectionView['targets'] {
  return asList(list).map((t, i) => {
    const name = str(t.指标);
    const target = str(t.目标);
    const baseline = baselineText(t);
    const note = targetNote(t);
    // 基线 and 说明 follow the target in brackets: 不低于65%（2024年为60.5%；以随访记录为准）.
    const extra = [baseline ? `${Number.isInteger(year) ? `${year - 1}年` : '上年'}为${baseline}` : '', note].filter(Boolean).join('；');
    const phrase = name && target && !/^[达不以控保为≥>≤<全]/.test(target) ? `达到${target}` : target;
    return { no: i + 1, name, text: extra ? `${phrase}（${extra}）` : phrase, target, baseline, note };
  });
}

/**
 * The 考核对象 sentence of a scheme: 考核对象为各村卫生室（青石村、东溪村）。 — the villages from 基本情况/行政村 when listed.
 * Null when the plan does not write 考核对象, or when a chapter of its own is titled 考核对象 (the author's words stand).
 */
function subjectSentence(plan: Plan, sections: SectionView[]): string | null {
  const written = plan.考核?.考核对象;
  if (written === undefined || written === null || (Array.isArray(written) && !written.length)) return null;
  const titled = (list: SectionView[]): boolean => list.some((x) => x.title.trim() === '考核对象' || titled(x.children));
  if (titled(sections)) return null;
  const subject = subjectOf(written);
  const villages = Array.isArray(plan.基本情况?.行政村) ? plan.基本情况.行政村.map(str).filter(Boolean) : [];
  const who = subject.kind === 'villages' && villages.length ? `各村卫生室（${villages.join('、')}）` : subjectWords(subject, str(plan.单位));
  return `考核对象为${who}。`;
}

const NUMERIC = /^[-+]?\d+(?:\.\d+)?\s*(?:%|‰|分|人|次|个|元|万元)?$/;
function tableView(t: Table): TableView {
  const header = t.表头.map(str);
  const rows = asList(t.行).map((r) => header.map((_h, i) => str(asList(r)[i])));
  // A column whose every filled cell is a number is right-aligned.
  const align = header.map((_h, i) => {
    const cells = rows.map((r) => r[i]!).filter(Boolean);
    return cells.length && cells.every((c) => NUMERIC.test(c)) ? '---:' : ':---';
  });
  const note = paragraphs(t.注);
  if (note.length && !/^注[：:]/.test(note[0]!)) note[0] = `注：${note[0]}`;
  return { caption: str(t.标题) || null, header, align, rows, note };
}

const textView = (title: string, depth: number, text: Text): SectionView => ({
  title, hashes: hashes(depth), paragraphs: paragraphs(text), list: [], tables: [], targets: [], targetTable: false, targetBaselines: false, targetNotes: false, items: [], children: [], ending: [],
});

/** A section, a part (title from its key), or plain text under a title. `year` words a target's 基线 (2024年为…). */
export function sectionView(o: Section | Part | Text, depth: number, title = '', year = NaN): SectionView {
  if (typeof o === 'string' || Array.isArray(o)) return textView(title, depth, o);
  const targets = targetsOf(o.指标, year);
  return {
    title: ('标题' in o && str(o.标题)) || title,
    hashes: hashes(depth),
    paragraphs: paragraphs(o.内容),
    list: asList(o.条目).map(str).filter(Boolean),
    tables: tablesOf(o).map(tableView),
    targets,
    targetTable: targets.length >= 4,
    targetBaselines: targets.some((t) => t.baseline),
    targetNotes: targets.some((t) => t.note),
    items: asList(o.任务).map((t) => taskView(t, depth)),
    children: asList(o.小节).map((c) => sectionView(c, depth + 1, '', year)),
    ending: paragraphs(o.结尾),
  };
}

/** An attachment: its content with its sections at level 1 (一、) under its own title. */
function attachmentView(a: Attachment, i: number, count: number, year: number): AttachmentView {
  const body = sectionView({ ...a, 小节: [] }, 0, '', year);
  const title = str(a.标题);
  return {
    label: count > 1 ? `附件${i + 1}` : '附件',
    noteLine: count > 1 ? `${i + 1}．${title}` : title,
    title,
    body: { ...body, children: asList(a.小节).map((c) => sectionView(c, 0, '', year)) },
  };
}

/** 考核 by category (分类's order, then the order the items name them), each with its 小计; null without categories. */
function categoriesOf(k: Assessment, items: Array<{ name: string; target: string; weight: string; rule: string; category?: string }>) {
  if (!items.some((i) => i.category)) return null;
  const order = [...Object.keys(k.分类 && typeof k.分类 === 'object' ? k.分类 : {})];
  for (const i of items) if (!order.includes(i.category ?? '其他')) order.push(i.category ?? '其他');
  let no = 0;
  return order.map((name) => {
    const rows = items.filter((i) => (i.category ?? '其他') === name).map((i) => ({ no: ++no, name: i.name, target: i.target, weight: i.weight, rule: i.rule }));
    return { name, rows, subtotal: String(+rows.reduce((s, r) => s + Number(r.weight), 0).toFixed(2)) };
  }).filter((c) => c.rows.length);
}

/** The view of a top-level part: its sections under its title, or its text. */
function partView({ key, value, title }: TopPart, year: number): SectionView {
  if (key === '工作目标' && typeof value === 'object' && !Array.isArray(value)) {
    // {总体目标, 内容, 指标}: the overall goal first.
    const goals = value as Exclude<Plan['工作目标'], Text | undefined>;
    const v = sectionView({ 内容: goals.内容, 指标: goals.指标 }, 0, title, year);
    return { ...v, paragraphs: [...paragraphs(goals.总体目标), ...v.paragraphs] };
  }
  const { intro, part, sections } = partSections(value);
  if (part) return sectionView(part, 0, title, year);
  if (intro !== undefined) return sectionView(intro, 0, title);
  return { ...textView(title, 0, []), children: sections.map((s) => sectionView(s, 1, '', year)) };
}

/** The plan as the templates see it. */
export function planView(plan: Plan): PlanView {
  const kind = plan.文档类型 ?? '年度工作计划';
  const unit = str(plan.单位);
  const year = str(plan.年度);
  const sections: SectionView[] = topParts(plan).map((p) => partView(p, plan.年度));
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
  // An item without its own 目标 is scored against the plan's target for the indicator (工作目标 …): the table says which.
  const planTargets = new Map(targetEntries(plan).map(({ entry }) => [normalizeIndicatorName(str(entry.指标)), str(entry.目标)] as const).reverse());
  const planTargetOf = (name: unknown) => planTargets.get(normalizeIndicatorName(str(name))) ?? '';
  const items = k
    ? [
        ...asList(k.指标).map((it) => ({ name: str(it.名称) || str(it.指标), target: str(it.目标) || planTargetOf(it.指标) || '—', weight: String(it.分值), rule: ruleWords(parseRule(it.评分办法) ?? rule), category: str(it.类别) || undefined })),
        ...asList(k.其他项目).map((o) => ({ name: str(o.名称), target: '—', weight: String(o.分值), rule: str(o.说明) || ruleWords(rule), category: str(o.类别) || undefined })),
      ]
    : [];
  const assessment = k
    ? {
        subject: subjectSentence(plan, sections),
        items: items.map(({ category: _c, ...i }) => i),
        categories: categoriesOf(k, items),
        total: String(+items.reduce((s, i) => s + Number(i.weight), 0).toFixed(2)),
        notes: asList(k.指标).flatMap((it) => {
          const parts = [str(it.计算公式) && `计算公式：${str(it.计算公式).replace(/[。；;]+$/, '')}`, str(it.说明).replace(/[。；;]+$/, '')].filter(Boolean);
          return parts.length ? [{ name: str(it.名称) || str(it.指标), text: parts.join('；') }] : [];
        }),
        consequencesForAll: consequencesForAll(k),
        gradeText: gradeText(k.等级 ? Object.entries(k.等级).map(([grade, min]) => ({ grade, min })) : DEFAULT_GRADES),
        consequences: Object.entries(consequencesByGrade(k)).map(([g, c]) => `考核结果为“${g}”的，${str(c).replace(/[。；;]+$/, '')}。`),
      }
    : null;

  const TAIL = new Set(['组织领导', '保障措施', '检查验收']);
  // With 正文 the chapters stay in the author's order.
  const tailSections = kind === '实施方案' && !plan.正文 ? sections.filter((x) => TAIL.has(x.title)) : [];
  const attachments = asList(plan.附件).filter((a) => a && typeof a === 'object');
  const cc = asList(plan.抄送).map(str).filter(Boolean);
  const imprint =
    cc.length || plan.印发机关 || plan.印发日期
      ? { cc: cc.length ? `${cc.join('，')}。` : null, issuer: str(plan.印发机关) || unit, date: `${dateText(plan.印发日期 ?? plan.发文日期) || `${year}年  月  日`}印发` }
      : null;
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
    attachments: attachments.map((a, i) => attachmentView(a, i, attachments.length, plan.年度)),
    imprint,
  };
}
