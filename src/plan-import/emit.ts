// An imported plan as a YAML draft in the plan format (docs/plan-format.md): the author's chapters in order as 正文, numbered items as 条目, tables as 表格, paragraphs after subsections as 结尾, 附件 and the 版记 — every guess marked `# 请核对：…`.
import { Document, isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { parseTarget } from '../plan/parse-target.js';
import { ATTACHMENT_LINE } from './lines.js';
import { isIndicatorItem } from './scoring.js';
import type { Attachment, Field, FoundTarget, ImportedPlan, ListItem, Meta, Node, Paragraph, Scoring, Section, Table } from './tree.js';

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

export interface Draft {
  /** The plan as plain data with the format's Chinese keys. */
  value: Obj;
  /** Comments to write above the line at each path. */
  notes: Array<{ path: Path; text: string }>;
  /** Comments for the top of the file. */
  header: string[];
}

/** The format's deepest section level. */
const MAX_DEPTH = 4;

const isoDate = (s: string): string | undefined => {
  const m = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(s.replace(/\s+/g, ''));
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

const itemText = (it: ListItem) => (it.marker ? `${it.marker}${/[、.．:：)）]$/.test(it.marker) ? '' : ' '}${it.text}` : it.text);
const rowText = (row: string[]) => row.map((c) => c.replace(/\n/g, ' ')).join('｜');

/** Builds one draft: the value, the comments and where each tree object ended up. */
class Emitter {
  readonly notes: Draft['notes'] = [];
  /** Where each tree object ended up, for the comments. */
  readonly where = new Map<object, Path>();
  note(path: Path, text: string) {
    this.notes.push({ path, text });
  }

  /** Nodes as paragraphs in order: list items keep their numbers, tables become rows of cells, deeper sections their numbered headings. */
  flat(nodes: Node[], path: Path, out: string[] = []): string[] {
    for (const n of nodes) {
      this.where.set(n, [...path, out.length]);
      switch (n.kind) {
        case 'paragraph':
          out.push(n.text);
          break;
        case 'list':
          for (const it of n.items) {
            this.where.set(it, [...path, out.length]);
            out.push(itemText(it));
          }
          break;
        case 'table':
          for (const row of n.rows) out.push(rowText(row));
          break;
        case 'section':
          out.push(`${n.marker}${n.heading}`);
          this.flat(n.children, path, out);
          break;
      }
    }
    return out;
  }

  /** A table of the source as the format's 表格 (the first row is the header); undefined when it has no row under its header. */
  table(t: Table, path: Path): Obj | undefined {
    if (t.rows.length < 2) return undefined;
    const width = Math.max(...t.rows.map((r) => r.length));
    const pad = (r: string[]) => [...r, ...Array<string>(width - r.length).fill('')];
    this.where.set(t, path);
    if (t.rows.some((r) => r.length !== width)) this.note(path, '原文表格各行的格数不同（合并的单元格），短的行在末尾补了空格，请核对各列是否对齐');
    if (t.rows[0]!.some((c) => !c.trim())) this.note([...path, '表头'], '原文表格的第一行有空格，表头的每一列都要有名称，请填写');
    return { 表头: pad(t.rows[0]!), 行: t.rows.slice(1).map(pad) };
  }

  /**
   * A section's children in the format's fields and order — 内容 (paragraphs), 条目 (one numbered list), 表格, 小节, 结尾
   * (paragraphs after the subsections, or after the list and tables when there are none). What does not fit that order is
   * kept in the author's order as paragraphs (numbers and table rows as text), with a comment saying why.
   */
  content(kids: Node[], path: Path, depth: number): Obj {
    const out: Obj = {};
    kids = foldBetween(kids);
    const firstSub = kids.findIndex((k) => k.kind === 'section');
    const lastSub = kids.map((k) => k.kind).lastIndexOf('section');
    const pre = firstSub < 0 ? kids : kids.slice(0, firstSub);
    const subs = firstSub < 0 ? [] : (kids.slice(firstSub, lastSub + 1) as Section[]);
    const tail = firstSub < 0 ? [] : kids.slice(lastSub + 1);

    // Before the subsections: paragraphs, one list, tables; with no subsections, paragraphs after them are the 结尾.
    let i = 0;
    while (pre[i]?.kind === 'paragraph') i++;
    const lead = pre.slice(0, i) as Paragraph[];
    const list = pre[i]?.kind === 'list' ? pre[i++] : undefined;
    const tables: Table[] = [];
    while (pre[i]?.kind === 'table' && (pre[i] as Table).rows.length >= 2) tables.push(pre[i++] as Table);
    let ending: Node[] = tail;
    let j = i;
    if (!subs.length) while (pre[j]?.kind === 'paragraph') j++;
    const fits = j === pre.length;
    if (fits) {
      if (!subs.length) ending = pre.slice(i);
      if (lead.length) out.内容 = this.flat(lead, [...path, '内容']);
      if (list?.kind === 'list') {
        this.where.set(list, [...path, '条目', 0]);
        out.条目 = list.items.map((it, k) => (this.where.set(it, [...path, '条目', k]), it.text));
      }
      if (tables.length) {
        const ts = tables.map((t, k) => this.table(t, tables.length > 1 ? [...path, '表格', k] : [...path, '表格'])!);
        out.表格 = ts.length > 1 ? ts : ts[0];
      }
    } else {
      out.内容 = this.flat(pre, [...path, '内容']);
      this.note([...path, '内容'], pre.some((k) => k.kind === 'table')
        ? '原文这一部分的列表、表格和段落交替出现，计划格式一节中只能依次写 内容、条目、表格：为不改变先后顺序，列表连同编号、表格按行（各格用“｜”分隔）写成了段落，可改写为“条目”“表格”'
        : '原文这一部分的列表和段落交替出现，计划格式一节中只能先写 内容 再写一组 条目：为不改变先后顺序，列表连同编号写成了段落');
    }

    // The subsections (the format holds four levels), then the 结尾.
    const deep = subs.length > 0 && depth >= MAX_DEPTH;
    if (deep) {
      ending = [...subs, ...ending];
    } else if (subs.length) {
      out.小节 = subs.map((s, k) => this.section(s, [...path, '小节', k], depth + 1));
    }
    if (ending.length) {
      out.结尾 = this.flat(ending, [...path, '结尾']);
      if (deep) this.note([...path, '结尾'], `计划格式的章节最多 4 级：更深一级的小节（“${subs[0]!.marker}${subs[0]!.heading.slice(0, 12)}”等）连同编号写成了段落`);
      else if (ending.some((k) => k.kind !== 'paragraph')) this.note([...path, '结尾'], '原文在小节之后还有列表或表格，计划格式的“结尾”只能是段落：连同编号（表格按行）写成了段落');
    }
    return out;
  }

  section(s: Section, path: Path, depth: number): Obj {
    this.where.set(s, path);
    if (original.has(s)) this.where.set(original.get(s)!, path);
    return { 标题: s.heading, ...this.content(s.children, path, depth) };
  }

  attachment(a: Attachment, path: Path): Obj {
    this.where.set(a, path);
    const m = ATTACHMENT_LINE.exec(a.title);
    let title = (m?.[2] ?? m?.[3] ?? '').trim();
    let kids = a.children;
    const first = kids[0];
    // "附件：" on a line of its own, the name on the next one.
    if (!title && first?.kind === 'paragraph' && [...first.text].length <= 40 && !/[。；;]$/.test(first.text)) {
      title = first.text;
      this.where.set(first, [...path, '标题']);
      kids = kids.slice(1);
    }
    if (!title) {
      title = '附件';
      this.note([...path, '标题'], '原文的附件没有写名称，请填写');
    }
    return { 标题: title, ...this.content(kids, path, 1) };
  }
}

/** Text between subsections (after the first one) joins the subsection before it, at its end; with `trailing`, text after the last one too. */
function foldBetween(kids: Node[], trailing = false): Node[] {
  const lastSub = trailing ? kids.length : kids.map((k) => k.kind).lastIndexOf('section');
  const out: Node[] = [];
  kids.forEach((n, i) => {
    const prev = out.at(-1);
    if (n.kind !== 'section' && prev?.kind === 'section' && i < lastSub) {
      const copy: Section = { ...prev, children: [...prev.children, n] };
      original.set(copy, original.get(prev) ?? prev);
      out[out.length - 1] = copy;
    } else out.push(n);
  });
  return out;
}
/** The tree's own section behind a copy made by foldBetween. */
const original = new WeakMap<Section, Section>();

/**
 * Map an imported plan onto the plan format: text before the first chapter is the 前言, the chapters are 正文 in the
 * author's order with the author's headings, closing words the 结束语, then 附件 and the 版记 (抄送, 印发机关, 印发日期).
 * Each target goes into the 指标 of the section its sentence is in; the sentence stays in the text.
 */
export function toDraft(plan: ImportedPlan): Draft {
  const e = new Emitter();
  const { where } = e;
  const header: string[] = [];
  const m = plan.meta;
  const kind = m.文档类型?.value ?? '年度工作计划';
  const value: Obj = { 文档类型: kind };
  where.set(tag('文档类型'), ['文档类型']);
  if (m.标题) {
    value.标题 = m.标题.value;
    where.set(tag('标题'), ['标题']);
  }
  value.单位 = m.单位?.value ?? 'XXX卫生院';
  where.set(tag('单位'), ['单位']);
  value.年度 = m.年度?.value ?? '20xx';
  where.set(tag('年度'), ['年度']);
  const closingExtra: string[] = [];
  if (m.成文日期) {
    const iso = isoDate(m.成文日期.value);
    if (iso) value.发文日期 = iso;
    else closingExtra.push(m.成文日期.value);
  }
  if (m.落款 && m.落款.value !== value.单位) {
    value.编制部门 = m.落款.value;
    e.note(['编制部门'], `原文的落款是“${m.落款.value}”，与单位名称不同：生成的文档落款只写单位名称，请核对`);
  }

  // Text before the first chapter is the 前言; the chapters are the 正文 (text after the last one joins it, at its end).
  const firstSection = plan.body.findIndex((n) => n.kind === 'section');
  const lead = firstSection < 0 ? plan.body : plan.body.slice(0, firstSection);
  const opening = [...(plan.collectionLead ?? []), ...lead];
  if (opening.length) value.前言 = e.flat(opening, ['前言']);
  if (firstSection < 0 && lead.some((n) => n.kind === 'list')) e.note(['前言'], '原文没有分章节的标题，全文放在前言里（编号照原样保留在文字中）');
  if (firstSection >= 0) {
    const chapters = foldBetween(plan.body.slice(firstSection), true) as Section[];
    value.正文 = chapters.map((c, i) => e.section(c, ['正文', i], 1));
  }

  // Closing words, a date line that is not a full date, then the 附件 and the 版记.
  const closing: string[] = plan.closing.map((p, i) => (where.set(p, ['结束语', i]), p.text));
  if (closingExtra.length) {
    e.note(['结束语', closing.length], `原文的落款日期“${closingExtra[0]}”不是完整的日期，“发文日期”要写成 2025-01-10 这样，请填写后删去这一段`);
    closing.push(...closingExtra);
  }
  for (const f of m.版记 ?? []) imprint(f, value, closing, e);
  if (closing.length) value.结束语 = closing;
  if (plan.attachments.length) value.附件 = plan.attachments.map((a, i) => e.attachment(a, ['附件', i]));

  placeTargets(plan, value, e);
  if (plan.scoring) value.考核 = assessment(plan.scoring, e);
  else if (kind === '考核方案') header.push('原文中没有找到考核表（有“分值”列的表格）：考核方案的各项分值、评分办法和等级请按计划格式写在“考核”中（gongwei plan init --kind 考核方案 有示例）。');

  const ordered: Obj = {};
  for (const k of KEY_ORDER) if (value[k] !== undefined) ordered[k] = value[k];
  for (const k of Object.keys(value)) if (!(k in ordered)) ordered[k] = value[k];


  // Comments for the checks, on the line they are about.
  for (const c of plan.checks) {
    const ref = typeof c.ref === 'string' ? tag(c.ref) : c.ref;
    const path = ref ? where.get(ref) ?? where.get(parentOf(plan, ref) ?? {}) : undefined;
    if (path) e.note(path, c.message);
    else if (c.severity === 'warning') header.push(c.message);
  }
  return { value: ordered, notes: e.notes, header };
}

const KEY_ORDER = ['文档类型', '标题', '单位', '年度', '编制部门', '发文日期', '主送', '前言', '正文', '工作目标', '考核', '结束语', '附件', '抄送', '印发机关', '印发日期'];

/**
 * 考核 from the scoring table: catalogue indicators with a target as 指标 (with 类别, 计算公式, 说明), the other rows as
 * 其他项目 (target and formula kept in 说明), 分类 with each category's points. The table also stays where it was.
 */
function assessment(s: Scoring, e: Emitter): Obj {
  const out: Obj = {};
  const note = (i: Scoring['items'][number]) => [i.target && !isIndicatorItem(i) ? `目标：${i.target}` : '', i.formula && !isIndicatorItem(i) ? `计算公式：${i.formula}` : '', i.note ?? ''].filter(Boolean).join('；');
  if (s.categories) out.分类 = Object.fromEntries(s.categories.map((c) => [c.name, c.points]));
  const indicators = s.items.filter(isIndicatorItem);
  const others = s.items.filter((i) => !isIndicatorItem(i));
  if (indicators.length)
    out.指标 = indicators.map((i) => ({ 指标: i.name, 目标: i.target, 分值: i.points, ...(i.category ? { 类别: i.category } : {}), ...(i.formula ? { 计算公式: i.formula } : {}), ...(note(i) ? { 说明: note(i) } : {}) }));
  if (others.length) out.其他项目 = others.map((i) => ({ 名称: i.name, 分值: i.points, ...(i.category ? { 类别: i.category } : {}), ...(note(i) ? { 说明: note(i) } : {}) }));
  const where = e.where.get(s.table);
  e.note(['考核'], `由原文${where ? '' : '中'}的考核表生成（原表格仍在原处${where ? '' : '，见附件或正文'}，核对后可删去其中一处）：指标目录中的指标且有目标的作为“指标”，其余作为“其他项目”；请核对各项的分值、类别，并写上“评分办法”和“等级”`);
  const total = s.items.reduce((a, i) => a + i.points, 0);
  if (Math.abs(total - 100) > 1e-9) e.note(['考核'], `原文考核表各项分值合计 ${total} 分，不是 100 分，请核对`);
  for (const c of s.categories ?? []) if (c.written !== undefined && c.written !== c.points) e.note(['考核', '分类'], `原文“${c.name}”的小计是 ${c.written} 分，各项分值之和是 ${c.points} 分，请核对`);
  return out;
}

/** One line of the 版记: 抄送 as the author wrote it, 印发机关 and 印发日期 from “……办公室 2025年1月12日印发”; any other line stays in 结束语. */
function imprint(f: Field, value: Obj, closing: string[], e: Emitter): void {
  const t = f.value.trim();
  const copy = /^抄\s*送\s*[:：]\s*(.+?)[。.]?$/.exec(t);
  const to = /^主\s*送\s*[:：]\s*(.+?)[。.]?$/.exec(t);
  const issued = /^(.+?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发$/.exec(t);
  if (copy && value.抄送 === undefined) value.抄送 = copy[1]!.trim();
  else if (to && value.主送 === undefined) value.主送 = to[1]!.trim();
  else if (issued && isoDate(issued[2]!) && value.印发机关 === undefined) {
    value.印发机关 = issued[1]!.trim();
    value.印发日期 = isoDate(issued[2]!);
  } else {
    e.note(['结束语', closing.length], '原文版记中的这一行不是“抄送：……”或“……年……月……日印发”的写法，暂作为一段文字，请改写为“抄送”“印发机关”“印发日期”');
    closing.push(t);
  }
}

/** Stand-ins for metadata keys in the `where` map. */
const tags = new Map<string, object>();
function tag(key: keyof Meta | string): object {
  let t = tags.get(key);
  if (!t) tags.set(key, (t = { key }));
  return t;
}

/** The section or node that holds a list item or a paragraph (for checks whose own place has no line of its own). */
function parentOf(plan: ImportedPlan, ref: object): object | undefined {
  const find = (nodes: Node[], parent?: object): object | undefined => {
    for (const n of nodes) {
      if (n === ref) return parent;
      if (n.kind === 'list' && n.items.includes(ref as ListItem)) return n;
      if (n.kind === 'section') {
        const r = find(n.children, n);
        if (r) return r;
      }
    }
    return undefined;
  };
  return find(plan.body) ?? plan.attachments.map((a) => find(a.children, a)).find(Boolean) ?? (plan.targets.includes(ref as FoundTarget) ? (ref as FoundTarget).node : undefined);
}

/**
 * Put each target entry into the 指标 of the section holding its sentence (the nearest enclosing section the format
 * holds). Targets written outside the chapters (前言, 结束语, 附件) go to the chapter about 目标 — or the first one — with a
 * comment; in a plan without chapters, to 工作目标.
 */
function placeTargets(plan: ImportedPlan, value: Obj, e: Emitter): void {
  const owner = new Map<object, Section | undefined>();
  const parent = new Map<Section, Section | undefined>();
  const walk = (nodes: Node[], s: Section | undefined) => {
    for (const n of nodes) {
      owner.set(n, s);
      if (n.kind === 'section') {
        parent.set(n, s);
        owner.set(n, n);
        walk(n.children, n);
      }
    }
  };
  walk(plan.body, undefined);
  const chapters = (value.正文 as Obj[] | undefined) ?? [];
  const goalsAt = Math.max(0, chapters.findIndex((c) => /目标|任务指标/.test(String(c.标题))));
  const seen = new Set<string>();
  let outsideNoted = false;
  for (const t of plan.targets) {
    if (!t.placeholder && !('target' in parseTarget(t.target))) continue;
    const key = `${t.name}\u0000${t.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let s = owner.get(t.node as object);
    let holderPath: Path | undefined;
    while (s && !holderPath) {
      const p = e.where.get(s);
      if (p && p.at(-1) !== '内容' && typeof at(value, p) === 'object' && !Array.isArray(at(value, p))) holderPath = p;
      else s = parent.get(s);
    }
    if (!holderPath) {
      if (chapters.length) holderPath = ['正文', goalsAt];
      else {
        value.工作目标 ??= {};
        holderPath = ['工作目标'];
      }
      if (!outsideNoted) e.note([...holderPath, '指标'], `原文有目标写在${chapters.length ? '各章之外（前言、结束语或附件）' : '正文的段落里（原文没有分章节）'}，它们也列在这里，请核对放在哪一章`);
      outsideNoted = true;
    }
    const holder = at(value, holderPath) as Obj;
    const list = (holder.指标 ??= []) as Obj[];
    const entry: Obj = { 指标: t.name, 目标: t.target };
    if (!t.indicator) entry.自定义 = true;
    e.where.set(t, [...holderPath, '指标', list.length]);
    if (t.indicator && t.indicator.name !== t.name) e.note([...holderPath, '指标', list.length], `对应指标目录中的“${t.indicator.name}”`);
    list.push(entry);
  }
}

function at(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}
/** The `# 请核对：…` comments a draft carries (the same text at the same place once; “对应…” lines only inform). */
export function draftCheckCount(draft: Draft): number {
  const seen = new Set<string>();
  for (const n of draft.notes) if (!n.text.startsWith('对应')) seen.add(JSON.stringify([n.path, n.text]));
  return seen.size + draft.header.length;
}

/** Write a draft as YAML, with its comments: header lines at the top, `# 请核对：…` above the lines they are about. */
export function draftYaml(draft: Draft, opts: { schemaRef?: string; intro?: string[] } = {}): string {
  const doc = new Document(draft.value);
  const top = [
    ...(opts.schemaRef ? [`yaml-language-server: $schema=${opts.schemaRef}`] : []),
    ...(opts.intro ?? []),
    ...draft.header.map((h) => `请核对：${h}`),
  ];
  if (top.length) doc.commentBefore = top.map((l) => ` ${l}`).join('\n');
  const byPath = new Map<string, string[]>();
  for (const n of draft.notes) {
    const k = JSON.stringify(n.path);
    const list = byPath.get(k) ?? [];
    const text = n.text.startsWith('对应') ? n.text : `请核对：${n.text}`;
    if (!list.includes(text)) list.push(text);
    byPath.set(k, list);
  }
  for (const [k, texts] of byPath) {
    const path = JSON.parse(k) as Path;
    const target = nodeForComment(doc, path);
    if (!target) continue;
    const lines = texts.map((t) => ` ${t}`).join('\n');
    target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${lines}` : lines;
  }
  return doc.toString({ lineWidth: 0, indent: 2 });
}

/** The node a comment goes above: a map entry's key, or a sequence item. */
function nodeForComment(doc: Document, path: Path): YamlNode | undefined {
  if (!path.length) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path.at(-1)!;
  if (isMap(parent)) {
    const pair = parent.items.find((p: Pair) => isPair(p) && isScalar(p.key) && p.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last];
    return item && (isScalar(item) || isMap(item) || isSeq(item)) ? item : undefined;
  }
  return undefined;
}

