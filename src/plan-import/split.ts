// A collection of several plans in one file (……篇一、篇二; ……范文（一）（二）; ……实施方案1、2 …): where each plan starts, including labels run into a paragraph.
import type { Block, LineBlock } from './blocks.js';
import { chineseNumber } from './markers.js';
import type { Check } from './tree.js';

const ORD = '(\\d{1,2}|[一二三四五六七八九十]{1,3})';
/** Words that make a line a document's name ("……工作计划（一）"), as opposed to a numbered heading or an 附件1. */
const DOC_WORD = /计划|方案|总结|要点|安排|范文|意见|办法|规划|细则|制度|通知|报告/;

export interface PartLabel {
  /** The name without its ordinal ("卫生院年度的工作计划"). */
  stem: string;
  ordinal: number;
}

/** A label line on its own: "卫生院年度的工作计划篇一", "2021医院年度工作计划范文（一）", "乡镇卫生院工作实施方案1". */
function labelOf(line: string): PartLabel | null {
  if ([...line].length > 40 || /[。！？；;!?，,：:]/.test(line)) return null;
  let m = new RegExp(`^(.{2,40}?)\\s*篇\\s*${ORD}$`).exec(line);
  if (m) return { stem: `${m[1]!.trim()}篇`, ordinal: chineseNumber(m[2]!) };
  m = new RegExp(`^(.{4,40}?)\\s*[（(]\\s*${ORD}\\s*[)）]$`).exec(line) ?? /^(.{4,40}?[^\d\s.．、])\s*(\d{1,2})$/.exec(line);
  if (m && DOC_WORD.test(m[1]!) && !/^附[件表]/.test(m[1]!)) return { stem: m[1]!.trim(), ordinal: chineseNumber(m[2]!) };
  return null;
}

/** Which lines label the plans of a collection: "篇" labels when there are two or more, other stems when one repeats from 1. */
export function partLabels(blocks: Block[]): Set<LineBlock> {
  const found = blocks
    .filter((b): b is LineBlock => b.kind === 'line')
    .map((b) => ({ b, l: labelOf(b.text) }))
    .filter((x): x is { b: LineBlock; l: PartLabel } => x.l !== null);
  const out = new Set<LineBlock>();
  const pian = found.filter((x) => x.l.stem.endsWith('篇'));
  if (pian.length >= 2) for (const x of pian) out.add(x.b);
  const byStem = new Map<string, typeof found>();
  for (const x of found) if (!x.l.stem.endsWith('篇')) byStem.set(x.l.stem, [...(byStem.get(x.l.stem) ?? []), x]);
  for (const xs of byStem.values()) {
    if (xs.length >= 2 && xs[0]!.l.ordinal === 1 && xs[1]!.l.ordinal === 2) for (const x of xs) out.add(x.b);
  }
  return out;
}

/** Predicate for the cut-line joiner: a label is never glued to its neighbours. */
export function labelTest(blocks: Block[]): (s: string) => boolean {
  const texts = new Set([...partLabels(blocks)].map((b) => b.text));
  return (s) => texts.has(s);
}

/**
 * Labels inside a long line ("……一次。年度卫生工作安排 篇220xx年是……"): a name followed by 篇N that recurs at least twice,
 * with N following 1, 2, 3 … (so "篇2" + "20xx年" is read as 篇2). Each label becomes a line of its own.
 */
export function splitInlineLabels(blocks: Block[], checks: Check[]): Block[] {
  const long = blocks.filter((b): b is LineBlock => b.kind === 'line' && [...b.text].length >= 200);
  if (!long.length) return blocks;
  const all = long.map((b) => b.text).join('\n');
  const hits = [...all.matchAll(/篇\s?(?=\d|[一二三四五六七八九十])/g)].map((m) => all.slice(Math.max(0, m.index! - 16), m.index));
  const stem = commonStem(hits);
  if (!stem) return blocks;
  const re = new RegExp(`${escape(stem)}\\s?篇\\s?`, 'g');
  let want = 1;
  const out: Block[] = [];
  let count = 0;
  for (const b of blocks) {
    if (b.kind !== 'line' || !long.includes(b)) {
      out.push(b);
      continue;
    }
    let start = 0;
    const pieces: Array<{ text: string; label?: boolean }> = [];
    for (let m = re.exec(b.text); m; m = re.exec(b.text)) {
      const after = b.text.slice(m.index + m[0].length);
      const ord = [String(want), chineseNumeralOf(want)].find((o) => after.startsWith(o));
      if (!ord) continue;
      pieces.push({ text: b.text.slice(start, m.index) });
      pieces.push({ text: b.text.slice(m.index, m.index + m[0].length + ord.length), label: true });
      start = m.index + m[0].length + ord.length;
      re.lastIndex = start;
      want++;
      count++;
    }
    if (!pieces.length) {
      out.push(b);
      continue;
    }
    pieces.push({ text: b.text.slice(start) });
    for (const p of pieces) if (p.text.trim()) out.push({ kind: 'line', text: p.text.trim(), at: b.at });
  }
  if (count >= 2) {
    checks.push({ code: 'IMPORT_INLINE_LABELS', severity: 'warning', message: `段落中间有 ${count} 处篇名（“${stem.trim()}篇1”等），已分成单独的行，请核对每篇的起止`, at: long[0]!.at });
    return out;
  }
  return blocks;
}

/** The longest ending (≥ 4 characters, starting after punctuation) shared by at least two of the texts before a 篇. */
function commonStem(befores: string[]): string | undefined {
  let best = '';
  for (let i = 0; i < befores.length; i++) {
    for (let j = i + 1; j < befores.length; j++) {
      const a = befores[i]!;
      const b = befores[j]!;
      let k = 0;
      while (k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
      const s = a.slice(a.length - k).replace(/^.*[。；;！!？?，,、\n]/s, '').trimStart();
      if ([...s.trim()].length >= 4 && s.length > best.length) best = s;
    }
  }
  return best ? best.trimEnd() : undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const chineseNumeralOf = (n: number) => '零一二三四五六七八九十'[n] ?? String(n);

export interface Part {
  label?: LineBlock;
  blocks: Block[];
}

/** The collection cut at its labels: what comes before the first label, then one part per label. */
export function splitParts(blocks: Block[]): { before: Block[]; parts: Part[] } {
  const labels = partLabels(blocks);
  const before: Block[] = [];
  const parts: Part[] = [];
  for (const b of blocks) {
    if (b.kind === 'line' && labels.has(b)) parts.push({ label: b, blocks: [] });
    else (parts.at(-1)?.blocks ?? before).push(b);
  }
  return { before, parts };
}
