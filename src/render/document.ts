// The intermediate document: what the Markdown from the templates means, before DOCX, HTML or Markdown is written.

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type Align = 'left' | 'right' | 'center' | null;

export interface ChartItem {
  label: string;
  value: number | null;
  target?: number | null;
  /** Whether the target is met, when the author knows better than value ≥ target (lower is better). */
  met?: boolean | null;
}

export type Block =
  /** `#`: the document title. */
  | { type: 'title'; text: string }
  /** `##`…`#####`: headings of levels 1–4 with their automatic number (一、 （一） 1. （1）). */
  | { type: 'heading'; level: 1 | 2 | 3 | 4; number: string; text: string }
  | { type: 'paragraph'; runs: Run[] }
  /** Ordered lists are numbered 1、2、3、 in documents (条目). */
  | { type: 'list'; ordered: boolean; items: Run[][] }
  | { type: 'table'; header: string[]; align: Align[]; rows: string[][] }
  /** `::: caption` … `:::`: a table's title, centred above it. */
  | { type: 'caption'; text: string }
  /** `::: signature` … `:::`: the unit centred over the date; the date right-aligned 4 characters from the margin. */
  | { type: 'signature'; lines: string[] }
  /** `::: attachments` … `:::`: the 附件说明 under the body, one line per attachment (already numbered 1．). */
  | { type: 'attachmentNote'; items: string[] }
  /** `::: attachment` … `:::`: a new page starting with 附件1 at the top left; headings are numbered afresh. */
  | { type: 'attachment'; label: string }
  /** `::: imprint` … `:::`: the 版记 at the end (抄送, 印发机关 and 印发日期 between rules). */
  | { type: 'imprint'; cc: string | null; issuer: string; date: string }
  /** ```chart {json}```: indicators against targets. */
  | { type: 'chart'; title?: string; unit?: string; items: ChartItem[] }
  | { type: 'pagebreak' };

export interface Document {
  title: string;
  blocks: Block[];
}

export const runsText = (runs: Run[]): string => runs.map((r) => r.text).join('');

/** Width of a text in half-width units: CJK and full-width characters count two, Latin letters and digits one. */
export const textWidth = (s: string): number => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);

/** Table text (小四, 12 pt): twips per half-width unit, and twips each cell loses to its margins (plus a little slack). */
export const TABLE_UNIT_TWIPS = 120;
export const TABLE_CELL_PAD_TWIPS = 2 * 80 + 120;
/** The 156 mm line in twips. */
export const LINE_TWIPS = 11906 - Math.round(28 * 56.6929) - Math.round(26 * 56.6929);
/**
 * Width of a table cell's text in half-width units: as textWidth, with % (wider than a digit) counted as two, and half
 * a unit at each change between Chinese and Latin text (LibreOffice puts a little space there whatever the document says).
 */
export const cellWidth = (s: string): number =>
  textWidth(s) + (s.match(/%/g)?.length ?? 0) + (s.match(/[\u2e80-\uffef](?=[\x21-\x7e])|[\x21-\x7e](?=[\u2e80-\uffef])/g)?.length ?? 0) / 2;
/** Whether columns of these text widths (half-width units, each on one line) fit the line side by side. */
export const fitsTableLine = (units: number[]): boolean => units.reduce((a, u) => a + Math.max(4, u) * TABLE_UNIT_TWIPS + TABLE_CELL_PAD_TWIPS, 0) <= LINE_TWIPS;

/** A 二号 (22 pt) title holds 20 characters on the 156 mm line. */
export const TITLE_LINE_UNITS = 40;

/** Good places to break a title: after the unit, before the year, 关于, a 《 or the kind of document. */
const TITLE_BREAK_BEFORE = /^(?:关于|《|\d{4}年|(?:年度)?(?:工作计划|工作总结|实施方案|考核方案|绩效考核|考核结果|工作方案|工作要点))/;
const TITLE_BREAK_AFTER = /(?:卫生院|服务中心|服务站|卫生室|医院|中心|》|的)$/;
/** Never break inside a number, before closing punctuation or after opening punctuation. */
const NO_BREAK = (before: string, after: string) => (/\d$/.test(before) && /^[\d.%]/.test(after)) || /^[，。、：；）》”’%]/.test(after) || /[（《“‘]$/.test(before);

/**
 * A long title split into lines of similar length at natural places (GB/T 9704: 回行时词意完整、排列对称、长短适宜),
 * e.g. "云栖社区卫生服务中心" / "2025年公共卫生工作计划" instead of a second line holding only "计划".
 */
export function titleLines(title: string, max = TITLE_LINE_UNITS): string[] {
  const chars = [...title];
  const total = textWidth(title);
  if (total <= max) return [title];
  const n = Math.ceil(total / max);
  const lines: string[] = [];
  let start = 0;
  for (let k = 1; k < n; k++) {
    const rest = textWidth(chars.slice(start).join(''));
    const target = rest / (n - k + 1);
    let best = -1;
    let bestScore = Infinity;
    let w = 0;
    for (let i = start + 1; i < chars.length; i++) {
      w += textWidth(chars[i - 1]!);
      if (w > max) break;
      const before = chars.slice(start, i).join('');
      const after = chars.slice(i).join('');
      if (NO_BREAK(before, after) || textWidth(after) > max * (n - k)) continue;
      const natural = TITLE_BREAK_BEFORE.test(after) || TITLE_BREAK_AFTER.test(before);
      // Close to an even split; a natural place may be a little further off; on a tie the upper line is the longer.
      const score = Math.abs(w - target) + (natural ? 0 : 14) + (w < target ? 0.5 : 0);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) break;
    lines.push(chars.slice(start, best).join(''));
    start = best;
  }
  lines.push(chars.slice(start).join(''));
  return lines;
}
