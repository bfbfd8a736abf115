// Messy text made into logical lines: page numbers of a web copy removed, headings run into a paragraph split off, lines cut mid-sentence re-joined — each change reported.
import type { Block, LineBlock } from './blocks.js';
import { chineseNumber, readMarker } from './markers.js';
import type { Check, SourceUnit } from './tree.js';
import { quote } from './quote.js';

/** A line that ends a sentence or a heading (。！？；： closing quotes and brackets). */
export const ENDS_SENTENCE = /[。！？；;!?：:…」』”"’）)】]$/;
/** Lines that stand alone at the end of a document: the date, the issuing unit, 抄送/印发, and the line opening an 附件. */
export const DATE_LINE = /^(?:\d{4}|20[xX×]{2}|二[〇○零一二三四五六七八九]{3})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[xX×]{1,2})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[xX×]{1,2})\s*日$/;
export const UNIT_LINE = /^[^，,。；;：:！!？?]{2,30}(?:卫生院|卫生服务中心|卫生服务站|服务中心|医院|保健院|保健所|保健站|防保站|卫生室|办公室|委员会|领导小组|卫生局|卫健局|卫生健康局|疾控中心|中心|科)$/;
export const COPY_LINE = /^(?:抄\s*送|印\s*发|主\s*送)\s*[:：]|^.{2,30}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$/;
export const ATTACHMENT_LINE = /^附\s*件\s*(?:(\d{1,2}|[一二三四五六七八九十]{1,3})\s*)?(?:[:：]\s*(.*)|\s+(.+)|$)/;
/** Lines that are never glued to a neighbour. */
const STANDS_ALONE = (s: string) => DATE_LINE.test(s.replace(/\s+/g, '')) || UNIT_LINE.test(s) || COPY_LINE.test(s) || ATTACHMENT_LINE.test(s);

/** Short and without a full stop: a title or heading, never the tail of a cut line. */
export const isTitleLike = (s: string) => [...s].length <= 30 && !/[。！？；;!?，,、]/.test(s);


/**
 * A document copied from a web page that shows it page by page ("1、…", "2、…" at the start of each page, each page cut
 * mid-word): at least three long lines numbered 1、2、3… in a row, most of them ending mid-sentence, are one text.
 */
export function mergePageFragments(blocks: Block[], checks: Check[], unit: SourceUnit): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const run: LineBlock[] = [];
    for (let j = i, want = 1; j < blocks.length; j++) {
      const b = blocks[j]!;
      if (b.kind === 'blank') continue;
      const m = b.kind === 'line' ? /^(\d{1,3})、/.exec(b.text) : null;
      if (!m || Number(m[1]) !== want || [...(b as LineBlock).text].length < 300) break;
      run.push(b as LineBlock);
      want++;
    }
    const cut = run.slice(0, -1).filter((b) => !ENDS_SENTENCE.test(b.text)).length;
    if (run.length >= 3 && cut * 2 >= run.length - 1) {
      const text = run.map((b) => b.text.replace(/^\d{1,3}、/, '')).join('');
      out.push({ kind: 'line', text, at: run[0]!.at });
      checks.push({
        code: 'IMPORT_PAGE_NUMBERS',
        severity: 'warning',
        message: `第${run[0]!.at}～${run.at(-1)!.at}${unit}开头的“1、”到“${run.length}、”像是网页分页的页码（每段都在句子中间断开），已去掉页码、接成连续的文字，请核对`,
        at: run[0]!.at,
      });
      i = blocks.indexOf(run.at(-1)!);
      continue;
    }
    out.push(blocks[i]!);
  }
  return out;
}

/**
 * Headings run into a long paragraph ("……工作。二、仔细实施……"): a 一、 or 1、 that continues the numbering seen so far,
 * right after the end of a sentence, starts a new line. Only in long lines (≥ 200 characters), where a paragraph of a
 * real plan rarely holds a heading.
 */
export function splitRunOnHeadings(blocks: Block[], checks: Check[], unit: SourceUnit, isPartLabel: (s: string) => boolean): Block[] {
  const out: Block[] = [];
  let lastCn = 0;
  let lastAr = 0;
  for (const b of blocks) {
    if (b.kind !== 'line') {
      out.push(b);
      continue;
    }
    if (isPartLabel(b.text)) {
      lastCn = 0;
      lastAr = 0;
      out.push(b);
      continue;
    }
    const first = readMarker(b.text);
    if (first && !first.bare && first.family === 'cn') {
      lastCn = first.ordinal;
      lastAr = 0;
    } else if (first && !first.bare && first.family === 'ar') lastAr = first.ordinal;
    if ([...b.text].length < 40) {
      out.push(b);
      continue;
    }
    const pieces: string[] = [];
    let start = 0;
    const re = /(?<=[。；;！!？?])(?:([一二三四五六七八九十]{1,3})、(?![一二三四五六七八九十]+[级类档等期线])|(\d{1,2})、(?!\d))/g;
    for (let m = re.exec(b.text); m; m = re.exec(b.text)) {
      const cn = m[1] ? chineseNumber(m[1]) : 0;
      const ar = m[2] ? Number(m[2]) : 0;
      if (cn && (cn === lastCn + 1 || cn === lastCn + 2 || (lastCn === 0 && cn === 1))) {
        lastCn = cn;
        lastAr = 0;
      } else if (ar && (ar === lastAr + 1 || (lastAr === 0 && ar === 1))) {
        lastAr = ar;
      } else continue;
      pieces.push(b.text.slice(start, m.index));
      start = m.index;
    }
    if (!pieces.length) {
      out.push(b);
      continue;
    }
    pieces.push(b.text.slice(start));
    for (const p of pieces) if (p) out.push({ kind: 'line', text: p, at: b.at });
    checks.push({ code: 'IMPORT_SPLIT_HEADINGS', severity: 'warning', message: `第${b.at}${unit}的长段落中间有 ${pieces.length - 1} 处编号（“${quote(pieces[1]!, 8)}”等），已按标题分开，请核对`, at: b.at });
  }
  return out;
}

/**
 * Lines cut in the middle of a sentence (fixed-width copies, PDF extracts) joined to the next line: the line does not end
 * a sentence, is not a short heading, and the next line neither starts with numbering nor looks like a title.
 */
export function joinCutLines(blocks: Block[], checks: Check[], unit: SourceUnit, isPartLabel: (s: string) => boolean): Block[] {
  const out: Block[] = [];
  const joined: number[] = [];
  const first = blocks.find((b) => b.kind !== 'blank');
  const joinedInto = new Set<Block>();
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const prev = out.at(-1);
    // A long line cut mid-sentence may be followed by an empty line before its end ("……居民档案利用" / "" / "率达到75%以上……").
    const after = blocks[i + 1];
    if (b.kind === 'blank' && prev?.kind === 'line' && after?.kind === 'line' && [...prev.text].length >= 40 && prev.at !== first?.at && canJoin(prev, after, isPartLabel, joinedInto.has(prev))) continue;
    if (b.kind === 'line' && prev && prev.kind === 'line' && prev.at !== first?.at && canJoin(prev, b, isPartLabel, joinedInto.has(prev))) {
      joined.push(prev.at);
      const merged = { ...prev, text: prev.text + b.text };
      joinedInto.add(merged);
      out[out.length - 1] = merged;
      continue;
    }
    out.push(b.kind === 'line' ? { ...b } : b);
  }
  if (joined.length) {
    const shown = joined.slice(0, 5).map((n) => `第${n}${unit}`).join('、');
    checks.push({
      code: 'IMPORT_JOINED_LINES',
      severity: 'info',
      message: `${joined.length} 处句子中间换了行（${shown}${joined.length > 5 ? '等' : ''}），已与下一行接上`,
      at: joined[0],
    });
  }
  return out;
}

function canJoin(prev: LineBlock, next: LineBlock, isPartLabel: (s: string) => boolean, prevIsJoined: boolean): boolean {
  if (prev.level !== undefined || next.level !== undefined || prev.title || next.title) return false;
  if (ENDS_SENTENCE.test(prev.text)) return false;
  if (isPartLabel(prev.text) || isPartLabel(next.text) || STANDS_ALONE(prev.text) || STANDS_ALONE(next.text)) return false;
  const m = readMarker(next.text);
  if (m && (!m.bare || m.family === 'cn')) return false;
  if (isTitleLike(next.text)) return false;
  const unfinished = /[，,、（(“《]$/.test(prev.text);
  if (unfinished) return true;
  const len = [...prev.text].length;
  if (len < 20) return false;
  // A numbered line without a full stop may be a long heading: it is cut only when the line after it is cut too.
  if (readMarker(prev.text) && !prevIsJoined) return len > 25 && !ENDS_SENTENCE.test(next.text);
  return true;
}
