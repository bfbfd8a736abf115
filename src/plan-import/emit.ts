// An imported plan as a YAML draft in the plan format (docs/plan-format.md): the tree mapped onto the format's keys, what the format cannot hold kept as text, every guess and loss marked `# 请核对：…`.
import { Document, isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';
import { parseTarget } from '../plan/parse-target.js';
import type { FoundTarget, ImportedPlan, ListItem, Meta, Node, Paragraph, Section } from './tree.js';

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

const MAX_DEPTH = 4;

/** The fixed chapters of the current format that a chapter maps onto when its heading is exactly what the renderer prints. */
function leadKeys(kind: string): Array<{ key: string; title: string }> {
  return [
    { key: '指导思想', title: '指导思想' },
    { key: '工作目标', title: kind === '实施方案' ? '目标任务' : '工作目标' },
  ];
}
const TAIL_KEYS = ['工作要求', '保障措施', '检查验收'];

const isoDate = (s: string): string | undefined => {
  const m = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(s.replace(/\s+/g, ''));
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

const firstText = (n: Node): string => {
  const t = n.kind === 'paragraph' ? n.text : n.kind === 'list' ? itemText(n.items[0]!) : n.kind === 'table' ? rowText(n.rows[0] ?? []) : n.heading;
  return [...t].length > 12 ? `${[...t].slice(0, 12).join('')}…` : t;
};
const itemText = (it: ListItem) => (it.marker ? `${it.marker}${/[、.．:：)）]$/.test(it.marker) ? '' : ' '}${it.text}` : it.text);
const rowText = (row: string[]) => row.map((c) => c.replace(/\n/g, ' ')).join('｜');

/**
 * Map an imported plan onto the current plan format. Chapters whose heading is a key of the format (指导思想, 工作目标,
 * 保障措施 …) become that key when the order allows; the others are sections under 重点工作 (主要措施 in an 实施方案).
 * Lists become 任务, tables and anything out of the format's order become paragraphs, always in the author's order.
 */
export function toCurrentFormat(plan: ImportedPlan): Draft {
  const notes: Draft['notes'] = [];
  const header: string[] = [];
  /** Where each tree object ended up, for the comments. */
  const where = new Map<object, Path>();
  const note = (path: Path, text: string) => notes.push({ path, text });
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
    note(['编制部门'], `原文的落款是“${m.落款.value}”，与单位名称不同：生成的文档落款只写单位名称，请核对`);
  }

  // Text before the first section is the 前言; sections are the chapters.
  const firstSection = plan.body.findIndex((n) => n.kind === 'section');
  const lead = firstSection < 0 ? plan.body : plan.body.slice(0, firstSection);
  const chapters = firstSection < 0 ? [] : plan.body.slice(firstSection);
  const opening = [...(plan.collectionLead ?? []), ...lead];
  if (opening.length) value.前言 = flatText(opening, ['前言'], where);
  if (firstSection < 0 && lead.some((n) => n.kind === 'list')) note(['前言'], '原文没有分章节的标题，全文放在前言里（编号照原样保留在文字中）');

  // Chapters onto fixed keys where the heading and the order allow it.
  const chapterSecs = foldLoose(chapters);
  const lk = leadKeys(kind);
  let start = 0;
  for (const k of lk) {
    const c = chapterSecs[start];
    if (c?.kind === 'section' && c.heading === k.title && c.children.every((x) => x.kind === 'paragraph' || x.kind === 'list' || x.kind === 'table')) {
      const path = [k.key];
      if (k.key === '工作目标') value[k.key] = { 内容: flatText(c.children, [k.key, '内容'], where) };
      else value[k.key] = flatText(c.children, path, where);
      where.set(c, path);
      start++;
    }
  }
  let end = chapterSecs.length;
  const tail: Array<{ key: string; c: Section }> = [];
  for (let ti = TAIL_KEYS.length - 1; ti >= 0 && end > start; ti--) {
    const c = chapterSecs[end - 1];
    if (c?.kind === 'section' && c.heading === TAIL_KEYS[ti]) {
      tail.unshift({ key: TAIL_KEYS[ti]!, c });
      end--;
    }
  }
  const middle = chapterSecs.slice(start, end);
  const mainKey = kind === '实施方案' ? '主要措施' : '重点工作';
  if (middle.length === 1 && middle[0]!.kind === 'section' && middle[0]!.heading === mainKey) {
    value[mainKey] = part(middle[0] as Section, [mainKey], 1, where, notes);
  } else if (middle.length) {
    value[mainKey] = middle.map((c, i) => section(c as Section, [mainKey, i], 1, where, notes));
    note([mainKey], `现行计划格式没有自由的一级章节：原文的 ${middle.length} 个一级标题放在“${mainKey}”之下，生成文档时会多出“${mainKey}”这一级标题`);
  }
  for (const { key, c } of tail) value[key] = part(c, [key], 1, where, notes);

  // Closing words, the date line the format cannot hold, the 版记 and the 附件, in that order.
  const closing: string[] = [...plan.closing.map((p, i) => (where.set(p, ['结束语', i]), p.text))];
  const extraAt = closing.length;
  closing.push(...closingExtra);
  if (closingExtra.length) note(['结束语', extraAt], `原文的落款日期“${closingExtra[0]}”不是完整的日期，现行格式的“发文日期”要写成 2025-01-10 这样，请填写后删去这一段`);
  for (const f of m.版记 ?? []) {
    note(['结束语', closing.length], '原文的版记（抄送、印发），现行计划格式没有对应的键，暂作为一段文字');
    closing.push(f.value);
  }
  for (const a of plan.attachments) {
    note(['结束语', closing.length], '附件：现行计划格式没有“附件”，原文的附件暂作为结束语后的文字（计划格式扩展后可改写为附件）');
    closing.push(a.title, ...flatText(a.children, ['结束语'], new Map()));
  }
  if (closing.length) value.结束语 = closing;

  // Targets: in the section their sentence is in; those outside any section go to 工作目标.
  placeTargets(plan, value, where, notes);

  const ordered: Obj = {};
  for (const k of KEY_ORDER) if (value[k] !== undefined) ordered[k] = value[k];
  for (const k of Object.keys(value)) if (!(k in ordered)) ordered[k] = value[k];

  if (kind === '考核方案') header.push('考核方案的各项分值、评分办法和等级请按计划格式写在“考核”中（gongwei plan init --kind 考核方案 有示例）。');

  // Comments for the checks, on the line they are about.
  for (const c of plan.checks) {
    const ref = typeof c.ref === 'string' ? tag(c.ref) : c.ref;
    const path = ref ? where.get(ref) ?? where.get(parentOf(plan, ref) ?? {}) : undefined;
    if (path) note(path, c.message);
    else if (c.severity === 'warning') header.push(c.message);
  }
  return { value: ordered, notes, header };
}

const KEY_ORDER = ['文档类型', '标题', '单位', '年度', '编制部门', '发文日期', '前言', '指导思想', '工作目标', '重点工作', '主要措施', '工作要求', '保障措施', '检查验收', '结束语'];

/** Text between chapters (after the first one) joins the chapter before it, at its end: the format has nowhere else for it. */
function foldLoose(chapters: Node[]): Section[] {
  const out: Section[] = [];
  for (const n of chapters) {
    if (n.kind === 'section') {
      out.push(n);
      continue;
    }
    const prev = out.at(-1)!;
    const copy: Section = { ...prev, children: [...prev.children, n] };
    out[out.length - 1] = copy;
    loose.set(copy, [...(loose.get(prev) ?? []), n]);
    original.set(copy, original.get(prev) ?? prev);
  }
  return out;
}
/** Loose nodes folded into a chapter, for the note on that chapter. */
const loose = new WeakMap<Section, Node[]>();
/** The tree's own section behind a copy made by foldLoose. */
const original = new WeakMap<Section, Section>();

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
  return find(plan.body) ?? (plan.targets.includes(ref as FoundTarget) ? (ref as FoundTarget).node : undefined);
}

/** Nodes as paragraphs in order: list items keep their numbers, tables become rows of cells. */
function flatText(nodes: Node[], path: Path, where: Map<object, Path>, out: string[] = []): string[] {
  for (const n of nodes) {
    switch (n.kind) {
      case 'paragraph':
        where.set(n, [...path, out.length]);
        out.push(n.text);
        break;
      case 'list':
        where.set(n, [...path, out.length]);
        for (const it of n.items) {
          where.set(it, [...path, out.length]);
          out.push(itemText(it));
        }
        break;
      case 'table':
        where.set(n, [...path, out.length]);
        for (const row of n.rows) out.push(rowText(row));
        break;
      case 'section':
        where.set(n, [...path, out.length]);
        out.push(`${n.marker}${n.heading}`);
        flatText(n.children, path, where, out);
        break;
    }
  }
  return out;
}

/** A section's content in the format's fields: 内容 (paragraphs), 任务 (a list), 小节 (sections) — or, out of that order, all as 内容. */
function body(s: Section, path: Path, depth: number, where: Map<object, Path>, notes: Draft['notes']): Obj {
  const out: Obj = {};
  const kids = s.children;
  const subs = kids.filter((k): k is Section => k.kind === 'section');
  const deep = depth >= MAX_DEPTH && subs.length > 0;
  let i = 0;
  while (i < kids.length && kids[i]!.kind === 'paragraph') i++;
  const leadParas = kids.slice(0, i) as Paragraph[];
  const list = kids[i]?.kind === 'list' ? kids[i] : undefined;
  const rest = kids.slice(list ? i + 1 : i);
  const inOrder = !deep && rest.every((k) => k.kind === 'section');
  if (inOrder) {
    if (leadParas.length) out.内容 = flatText(leadParas, [...path, '内容'], where);
    if (list && list.kind === 'list') {
      out.任务 = list.items.map((it, j) => {
        where.set(it, [...path, '任务', j]);
        return it.text;
      });
      where.set(list, [...path, '任务', 0]);
    }
    if (subs.length) out.小节 = subs.map((c, j) => section(c, [...path, '小节', j], depth + 1, where, notes));
    return out;
  }
  // Out of the format's order (a paragraph after a list or a section, a table) or too deep: keep the order as text.
  const text = kids.filter((k) => k.kind !== 'section' || deep);
  out.内容 = flatText(text, [...path, '内容'], where);
  if (deep) notes.push({ path: [...path, '内容'], text: `现行计划格式的章节最多 4 级：更深一级的小节（“${subs[0]!.marker}${subs[0]!.heading.slice(0, 12)}”等）连同编号作为段落写在这里` });
  else {
    const why = kids.some((k) => k.kind === 'table') ? '现行计划格式的章节里不能放表格：表格按行写成段落（单元格之间用“｜”分隔）' : '原文在列表或小节之后还有段落：为不改变先后顺序，本节的列表连同编号写成了段落';
    notes.push({ path: [...path, '内容'], text: why });
    const secs = kids.filter((k): k is Section => k.kind === 'section');
    const afterSection = kids.findIndex((k) => k.kind === 'section') >= 0 && kids.slice(kids.findIndex((k) => k.kind === 'section')).some((k) => k.kind !== 'section');
    if (afterSection) notes.push({ path: [...path, '内容'], text: '原文有段落在本节的小节之后，现行计划格式只能把它放在小节之前' });
    if (secs.length) out.小节 = secs.map((c, j) => section(c, [...path, '小节', j], depth + 1, where, notes));
  }
  return out;
}

function section(s: Section, path: Path, depth: number, where: Map<object, Path>, notes: Draft['notes']): Obj {
  where.set(s, path);
  if (original.has(s)) where.set(original.get(s)!, path);
  const extra = loose.get(s);
  if (extra) notes.push({ path, text: `原文在这一章之后、下一章之前有不属于任何一章的文字（“${firstText(extra[0]!)}”），暂放在这一章的末尾` });
  return { 标题: s.heading, ...body(s, path, depth, where, notes) };
}

/** A chapter that is itself a key of the format (重点工作, 保障措施 …): its content without a title. */
function part(s: Section, path: Path, depth: number, where: Map<object, Path>, notes: Draft['notes']): Obj {
  where.set(s, path);
  if (original.has(s)) where.set(original.get(s)!, path);
  return body(s, path, depth, where, notes);
}

/** Put each target entry into the 指标 of the section holding its sentence (工作目标 for the text outside sections). */
function placeTargets(plan: ImportedPlan, value: Obj, where: Map<object, Path>, notes: Draft['notes']): void {
  const owner = new Map<object, Section | undefined>();
  const walk = (nodes: Node[], s: Section | undefined) => {
    for (const n of nodes) {
      owner.set(n, s);
      if (n.kind === 'section') {
        owner.set(n, n);
        walk(n.children, n);
      }
    }
  };
  walk([...(plan.collectionLead ?? []), ...plan.body], undefined);
  const seen = new Set<string>();
  for (const t of plan.targets) {
    if (!t.placeholder && !('target' in parseTarget(t.target))) continue;
    const key = `${t.name}\u0000${t.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const s = owner.get(t.node as object);
    let holderPath: Path = (s && where.get(s)) || [];
    let holder = holderPath.length ? (at(value, holderPath) as Obj | undefined) : undefined;
    if (!holder || typeof holder !== 'object' || Array.isArray(holder)) {
      // Outside any section, or in a chapter written as plain text: 工作目标's 指标.
      const goals = value.工作目标;
      if (!goals || typeof goals !== 'object' || Array.isArray(goals)) {
        value.工作目标 = goals === undefined ? {} : { 内容: goals };
        if (!s) notes.push({ path: ['工作目标'], text: '原文的这些目标写在正文的段落里（不在章节中），集中列在这里' });
      }
      holder = value.工作目标 as Obj;
      holderPath = ['工作目标'];
    }
    const list = (holder.指标 ??= []) as Obj[];
    const entry: Obj = { 指标: t.name, 目标: t.target };
    if (!t.indicator) entry.自定义 = true;
    where.set(t, [...holderPath, '指标', list.length]);
    if (t.indicator && t.indicator.name !== t.name) notes.push({ path: [...holderPath, '指标', list.length], text: `对应指标目录中的“${t.indicator.name}”` });
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

