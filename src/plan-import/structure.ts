// Logical lines of one plan → its tree: title, the author's sections from their numbering (or Word heading styles), lists, paragraphs, tables, closing words, signature, 附件.
import type { Block, LineBlock, TableBlock } from './blocks.js';
import { ATTACHMENT_LINE, COPY_LINE, DATE_LINE, isTitleLike, UNIT_LINE } from './lines.js';
import { readMarker, type Marker } from './markers.js';
import type { Attachment, Check, Field, List, ListItem, Meta, Node, Paragraph, Section } from './tree.js';
import { quote } from './quote.js';

/** A heading longer than this is a sentence: its first clause is the heading, the rest a paragraph. */
const MAX_HEADING = 40;

interface Numbered {
  kind: 'numbered';
  marker?: Marker;
  /** Heading level from a Word style or Markdown. */
  styleLevel?: number;
  text: string;
  at: number;
  children: Temp[];
  /** Checks about this line, pointed at the section or list item it becomes. */
  checks?: Check[];
}
type Temp = Numbered | Paragraph | { kind: 'table'; rows: string[][]; at: number };

/** How high the Chinese-numeral families stand (headings by style and 第一章 stand above them); other families are lower. */
const CN_RANK: Record<string, number> = { chapter: 0, 'chapter-section': 0, cn: 1, 'cn-paren': 2 };

const rank = (key: string) => (/^h\d$/.test(key) ? -1 : (CN_RANK[key] ?? 9));


/** Which lines start with numbering, accepting a bare numeral ("一工作重点", "5加强") only where the sequence around it says so. */
function markersOf(lines: LineBlock[]): Map<LineBlock, Marker> {
  const raw = lines.map((b) => (b.title ? null : readMarker(b.text)));
  const out = new Map<LineBlock, Marker>();
  const last = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const m = raw[i];
    if (!m) continue;
    if (m.bare) {
      const prev = last.get(m.family);
      let ok = prev !== undefined && m.ordinal === prev + 1;
      if (!ok && m.ordinal === 1) {
        for (let j = i + 1; j < Math.min(lines.length, i + 60); j++) {
          const n = raw[j];
          if (n && n.family === m.family) {
            ok = n.ordinal === 2;
            break;
          }
        }
      }
      if (!ok) continue;
    }
    out.set(lines[i]!, m);
    last.set(m.family, m.ordinal);
  }
  return out;
}

const CLOSING = /^(?:总之|综上|总而言之|回顾过去|展望未来|新的一年里|在新的一年|让我们|我们相信|相信在|我们将以|我们将继续)/;

export interface StructureResult {
  meta: Meta;
  body: Node[];
  closing: Paragraph[];
  attachments: Attachment[];
  checks: Check[];
}

/** Build the tree of one plan from its logical lines. */
export function buildTree(blocks: Block[]): StructureResult {
  const checks: Check[] = [];
  const meta: Meta = {};
  const content = blocks.filter((b) => b.kind !== 'blank') as Array<LineBlock | TableBlock>;

  // Title: a Word "Title" paragraph, or a first line that reads like a document's name.
  const first = content[0];
  if (first && first.kind === 'line' && (first.title || (isTitleLike(first.text) && first.level === undefined && !readMarker(first.text) && /计划|方案|要点|安排|总结|意见|办法|规划/.test(first.text)))) {
    meta.标题 = { value: first.text, at: first.at, guessed: false };
    content.shift();
  }

  // 附件: from the first line that opens one, to the end.
  const attachments: Attachment[] = [];
  const ai = content.findIndex((b) => b.kind === 'line' && ATTACHMENT_LINE.test(b.text) && b.level === undefined);
  const tail = ai >= 0 ? content.splice(ai) : [];
  for (const b of tail) {
    if (b.kind === 'line' && ATTACHMENT_LINE.test(b.text)) attachments.push({ title: b.text, children: [], at: b.at });
    else attachments.at(-1)!.children.push(b.kind === 'table' ? { kind: 'table', rows: b.rows, at: b.at } : { kind: 'paragraph', text: b.text, at: b.at });
  }
  for (const a of attachments) checks.push({ code: 'IMPORT_ATTACHMENT', severity: 'info', message: `“${quote(a.title)}”及其后的内容作为附件`, at: a.at });

  // The 版记, the date and the issuing unit at the end.
  const copy: Field[] = [];
  while (content.length) {
    const b = content.at(-1)!;
    if (b.kind !== 'line') break;
    if (COPY_LINE.test(b.text)) {
      copy.unshift({ value: b.text, at: b.at, guessed: false });
      content.pop();
    } else if (!meta.成文日期 && DATE_LINE.test(b.text.replace(/\s+/g, ''))) {
      meta.成文日期 = { value: b.text, at: b.at, guessed: false };
      content.pop();
    } else if (meta.成文日期 && !meta.落款 && UNIT_LINE.test(b.text)) {
      meta.落款 = { value: b.text, at: b.at, guessed: false };
      content.pop();
    } else break;
  }
  if (copy.length) meta.版记 = copy;

  const lines = content.filter((b): b is LineBlock => b.kind === 'line');
  const markers = markersOf(lines);
  const root: Numbered = { kind: 'numbered', text: '', at: 0, children: [] };
  const stack: Array<{ key: string; node: Numbered }> = [];
  const top = () => stack.at(-1)?.node ?? root;
  for (const b of content) {
    if (b.kind === 'table') {
      top().children.push({ kind: 'table', rows: b.rows, at: b.at });
      continue;
    }
    const m = markers.get(b);
    if (b.level !== undefined) {
      while (stack.length && !(stack.at(-1)!.key.startsWith('h') && Number(stack.at(-1)!.key.slice(1)) < b.level!)) stack.pop();
      const node: Numbered = { kind: 'numbered', marker: m, styleLevel: b.level, text: m ? m.rest : b.text, at: b.at, children: [] };
      top().children.push(node);
      stack.push({ key: `h${b.level}`, node });
      continue;
    }
    if (m) {
      const own: Check[] = [];
      if (m.bare) own.push({ code: 'IMPORT_BARE_NUMBER', severity: 'warning', message: `“${quote(b.text, 10)}”开头的“${m.text}”后面没有顿号，按编号理解，请核对`, at: b.at });
      checks.push(...own);
      const idx = stack.findIndex((e) => e.key === m.family);
      if (idx >= 0) stack.length = idx;
      // 一、 and （一） never sit under 1、 (1) ① a、: a new one closes those lists ("1、…6、" then "一、…").
      else if (m.family in CN_RANK) while (stack.length && rank(stack.at(-1)!.key) > CN_RANK[m.family]!) stack.pop();
      const node: Numbered = { kind: 'numbered', marker: m, text: m.rest, at: b.at, children: [], checks: own };
      top().children.push(node);
      stack.push({ key: m.family, node });
      continue;
    }
    top().children.push({ kind: 'paragraph', text: b.text, at: b.at });
  }

  settleTrailing(root);
  const body = finish(root.children, 1, checks);
  numberingChecks(body, checks);

  // Closing words after the last section: paragraphs that follow it at the top, or a last paragraph that sums up ("总之……").
  const closing: Paragraph[] = [];
  const lastSection = body.map((n) => n.kind).lastIndexOf('section');
  if (lastSection >= 0) {
    while (body.length > lastSection + 1 && body.at(-1)!.kind === 'paragraph') closing.unshift(body.pop() as Paragraph);
    for (;;) {
      const holder = lastHolder(body);
      const last = holder?.at(-1);
      if (!holder || !last || last.kind !== 'paragraph' || !CLOSING.test(last.text)) break;
      closing.unshift(holder.pop() as Paragraph);
    }
    if (closing.length) checks.push({ code: 'IMPORT_CLOSING', severity: 'info', message: `最后${closing.length > 1 ? ` ${closing.length} 段` : '一段'}（“${quote(closing[0]!.text, 10)}”）作为全文的结束语，不属于最后一节`, at: closing[0]!.at, ref: closing[0] });
  }
  return { meta, body, closing, attachments, checks };
}

/** The children list that holds the document's last node (the deepest last section's). */
function lastHolder(nodes: Node[]): Node[] | undefined {
  const last = nodes.at(-1);
  if (!last) return undefined;
  if (last.kind === 'section') return lastHolder(last.children) ?? last.children;
  return nodes;
}

/**
 * Paragraphs after the last of a run of one-sentence items ("1、……。2、……。" then "总之……") belong to the part that
 * holds the list, not to its last item.
 */
function settleTrailing(n: Numbered): void {
  for (const c of n.children) if (c.kind === 'numbered') settleTrailing(c);
  const kids = n.children;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i]!;
    if (c.kind !== 'numbered' || !c.marker || c.styleLevel !== undefined) continue;
    const next = kids[i + 1];
    if (next && next.kind === 'numbered' && next.marker?.family === c.marker.family) continue;
    // c is the last of its run: the run's other members must be one-line items.
    let j = i;
    while (j > 0 && kids[j - 1]!.kind === 'numbered' && (kids[j - 1] as Numbered).marker?.family === c.marker.family) j--;
    const run = kids.slice(j, i + 1) as Numbered[];
    if (run.length < 2 || run.slice(0, -1).some((r) => r.children.length)) continue;
    if (!c.children.length || c.children.some((x) => x.kind === 'numbered') || !/[。；;！!？?]$/.test(c.text)) continue;
    kids.splice(i + 1, 0, ...c.children);
    c.children = [];
  }
}

/** Numbered temp nodes → sections (when they hold anything) or list items; headings split from their sentences. */
function finish(kids: Temp[], level: number, checks: Check[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.kind === 'paragraph') {
      out.push(k);
      continue;
    }
    if (k.kind === 'table') {
      out.push({ kind: 'table', rows: k.rows, at: k.at });
      continue;
    }
    if (k.styleLevel !== undefined) {
      out.push(toSection(k, level, checks));
      continue;
    }
    // A run of numbered siblings of one family.
    const run: Numbered[] = [k];
    while (i + 1 < kids.length) {
      const n = kids[i + 1]!;
      if (n.kind !== 'numbered' || n.styleLevel !== undefined || n.marker?.family !== k.marker?.family) break;
      run.push(n);
      i++;
    }
    if (run.some((r) => r.children.length)) {
      for (const r of run) out.push(toSection(r, level, checks));
    } else {
      const items: ListItem[] = run.map((r) => {
        const item: ListItem = { text: r.text, marker: r.marker?.family === 'bullet' ? '' : (r.marker?.text ?? ''), at: r.at };
        for (const c of r.checks ?? []) c.ref = item;
        return item;
      });
      out.push({ kind: 'list', items, at: run[0]!.at } satisfies List);
    }
  }
  return out;
}

/** The numbering each section was read from (for the checks on skipped or repeated numbers). */
const numberOf = new WeakMap<Section, Marker>();

function toSection(k: Numbered, level: number, checks: Check[]): Section {
  const { heading, rest } = splitHeading(k.text);
  const children = finish(k.children, level + 1, checks);
  if (rest) children.unshift({ kind: 'paragraph', text: rest, at: k.at });
  const s: Section = { kind: 'section', heading, marker: k.marker?.text ?? '', level, children, at: k.at };
  if (k.marker && k.styleLevel === undefined) numberOf.set(s, k.marker);
  for (const c of k.checks ?? []) c.ref = s;
  if ([...heading].length > MAX_HEADING) checks.push({ code: 'IMPORT_LONG_HEADING', severity: 'warning', message: `标题“${quote(heading)}”很长，可能应把后半部分移到内容里`, at: k.at, ref: s });
  return s;
}

/**
 * "高度重视。切实加强……" → heading 高度重视, paragraph 切实加强……; "指导思想：以……" likewise. A short line is all heading
 * (its final 。 or ： dropped); a long one without a short first clause stays whole.
 */
export function splitHeading(text: string): { heading: string; rest: string } {
  const t = text.trim();
  if ([...t].length <= MAX_HEADING && !/[。！？；;!?：:]./.test(t)) return { heading: t.replace(/[。；;：:]+$/, ''), rest: '' };
  const m = /^(.+?)[。！？；;!?：:]\s*(.+)$/s.exec(t);
  if (m && [...m[1]!].length <= MAX_HEADING) return { heading: m[1]!.trim(), rest: m[2]!.trim() };
  return { heading: t, rest: '' };
}

/** Numbering that skips or repeats ("（五）" then "（二）", two "二、"): reported, kept as written. */
function numberingChecks(nodes: Node[], checks: Check[]): void {
  let prev: Section | undefined;
  for (const n of nodes) {
    if (n.kind !== 'section') {
      continue;
    }
    const m = numberOf.get(n);
    const p = prev && numberOf.get(prev);
    if (m && p && m.family === p.family && m.ordinal !== p.ordinal + 1) {
      checks.push({ code: 'IMPORT_NUMBERING_GAP', severity: 'warning', message: `编号从“${prev!.marker}”${m.ordinal === p.ordinal ? '重复为' : '跳到'}“${n.marker}”（“${quote(n.heading, 10)}”），请核对是否缺了内容或层级不对`, at: n.at, ref: n });
    }
    prev = n;
    numberingChecks(n.children, checks);
  }
}
