// The document tree a plan becomes on import: metadata, the author's sections in order, lists, paragraphs, tables, attachments, targets and places to check.

/** Where a thing is in the source: a line of a text file, a paragraph of a Word document. */
export type SourceUnit = '行' | '段';

export interface Paragraph {
  kind: 'paragraph';
  text: string;
  at: number;
}

export interface ListItem {
  /** The item's text without its number. */
  text: string;
  /** The number as the author wrote it ("1、", "（2）", "①"), or "" for a bullet. */
  marker: string;
  at: number;
}

export interface List {
  kind: 'list';
  items: ListItem[];
  at: number;
}

export interface Table {
  kind: 'table';
  rows: string[][];
  at: number;
}

export interface Section {
  kind: 'section';
  /** The author's heading without its number. */
  heading: string;
  /** The number as written ("一、", "（三）", "2." …); "" for a heading known by its Word style only. */
  marker: string;
  /** 1 for a chapter, 2 for its sections … (any depth; the format holds four). */
  level: number;
  children: Node[];
  at: number;
}

export type Node = Paragraph | List | Table | Section;

export interface Attachment {
  /** The line that opens it ("附件：乡镇卫生院绩效考核表"). */
  title: string;
  children: Node[];
  at: number;
}

/** A value read from the document; `guessed` when it was inferred rather than written as such. */
export interface Field<T = string> {
  value: T;
  at?: number;
  guessed: boolean;
}

export type PlanKind = '年度工作计划' | '实施方案' | '考核方案';

export interface Meta {
  标题?: Field;
  单位?: Field;
  年度?: Field<number | string>;
  文档类型?: Field<PlanKind>;
  /** The date line at the end, as written ("2025年1月10日", "20xx年1月1日"). */
  成文日期?: Field;
  /** The issuing unit's line above the date. */
  落款?: Field;
  /** 抄送 and 印发 lines (the 版记). */
  版记?: Field[];
}

export interface FoundTarget {
  /** The indicator as the author named it ("住院分娩率"). */
  name: string;
  /** The target as written, ready for the plan format ("达98%", "不低于65%", "逐年上升"). */
  target: string;
  /** Catalogue indicator when the name means the same thing; absent → 自定义. */
  indicator?: { id: string; name: string };
  /** The sentence it was found in (it stays in the text). */
  sentence: string;
  at: number;
  /** The node whose text holds the sentence. */
  node: Node | Meta;
  /** The target has a placeholder (xx%): kept, never filled in. */
  placeholder: boolean;
}

export type CheckSeverity = 'warning' | 'info';

/** A place the author should look at: a guess, a placeholder, something the plan format cannot hold. */
export interface Check {
  code: string;
  severity: CheckSeverity;
  message: string;
  at?: number;
  /** What the check is about, for placing a `# 请核对：` comment in the draft. */
  ref?: Node | FoundTarget | keyof Meta | ListItem;
}

/** A row of a scoring table (考核表), with the catalogue indicator its name is. */
export interface ScoringItem {
  /** The item as written in the table. */
  name: string;
  points: number;
  category?: string;
  target?: string;
  formula?: string;
  note?: string;
  /** The catalogue indicator the name is (exact name or alias). */
  indicator?: { id: string; name: string };
}

/** A scoring table (考核表) found in the plan. */
export interface Scoring {
  table: Table;
  items: ScoringItem[];
  /** Categories in table order with the sum of their items' points. */
  categories?: Array<{ name: string; points: number; written?: number }>;
}

export interface ImportedPlan {
  /** The file it came from. */
  file: string;
  unit: SourceUnit;
  /** In a collection split with --split: its place and the line that opened it ("卫生院年度的工作计划篇一"). */
  part?: { index: number; label: string; at: number };
  /** Text before the first plan of a collection, kept with the first plan (it belongs to none). */
  collectionLead?: Node[];
  meta: Meta;
  /** Paragraphs before the first section, then the sections, in the author's order. */
  body: Node[];
  /** Closing paragraphs after the last section ("总之……"). */
  closing: Paragraph[];
  attachments: Attachment[];
  targets: FoundTarget[];
  /** A scoring table (考核表) found in the plan, for 考核. */
  scoring?: Scoring;
  checks: Check[];
}

/** Every piece of text of a node, in document order. */
export function nodeTexts(n: Node): string[] {
  switch (n.kind) {
    case 'paragraph':
      return [n.text];
    case 'list':
      return n.items.map((i) => i.text);
    case 'table':
      return n.rows.flat();
    case 'section':
      return [n.heading, ...n.children.flatMap(nodeTexts)];
  }
}

/** All the text of an imported plan (label, metadata lines, body, closing, attachments, 版记), in order. */
export function planText(p: ImportedPlan): string[] {
  const out: string[] = [...(p.collectionLead ?? []).flatMap(nodeTexts)];
  if (p.part) out.push(p.part.label);
  if (p.meta.标题 && !p.meta.标题.guessed) out.push(p.meta.标题.value);
  out.push(...p.body.flatMap(nodeTexts), ...p.closing.map((c) => c.text));
  if (p.meta.落款) out.push(p.meta.落款.value);
  if (p.meta.成文日期) out.push(p.meta.成文日期.value);
  for (const a of p.attachments) out.push(a.title, ...a.children.flatMap(nodeTexts));
  for (const f of p.meta.版记 ?? []) out.push(f.value);
  return out;
}

/** Sections of the tree, depth first, with their parents. */
export function* sections(nodes: Node[]): Generator<Section> {
  for (const n of nodes) {
    if (n.kind === 'section') {
      yield n;
      yield* sections(n.children);
    }
  }
}
