// Statistical periods: 2025, 2025Q2, 2025-03, 2025-01..2025-06 → inclusive [start, end] dates, and back into words.
import { GongweiError } from '../errors.js';
import { daysInMonth } from '../calendar.js';
import type { Period } from './types.js';

const pad = (n: number) => String(n).padStart(2, '0');
const monthStart = (y: number, m: number) => `${y}-${pad(m)}-01`;
const monthEnd = (y: number, m: number) => `${y}-${pad(m)}-${pad(daysInMonth(y, m))}`;

function bad(text: string): GongweiError {
  return new GongweiError('PERIOD_INVALID', `无法识别的统计期间：「${text}」`, {
    hint: '可用的写法：2025（全年）、2025Q2（第二季度）、2025-03（月）、2025-01..2025-06（连续月份）。',
  });
}

function parseMonth(s: string): [number, number] | undefined {
  const m = /^(\d{4})-(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return mo >= 1 && mo <= 12 && y >= 1900 && y <= 2200 ? [y, mo] : undefined;
}

/** Parse a period label; throws GongweiError PERIOD_INVALID with the accepted forms. */
export function parsePeriod(input: string): Period {
  const text = input.normalize('NFKC').trim().replace(/\s+/g, '');
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})年?$/.exec(text))) {
    const y = Number(m[1]);
    if (y < 1900 || y > 2200) throw bad(input);
    return { label: String(y), start: `${y}-01-01`, end: `${y}-12-31` };
  }
  if ((m = /^(\d{4})[-]?[Qq]([1-4])$/.exec(text))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return { label: `${y}Q${q}`, start: monthStart(y, q * 3 - 2), end: monthEnd(y, q * 3) };
  }
  const single = parseMonth(text);
  if (single) {
    const [y, mo] = single;
    return { label: `${y}-${pad(mo)}`, start: monthStart(y, mo), end: monthEnd(y, mo) };
  }
  if ((m = /^(\d{4}-\d{1,2})(?:\.\.|~|至|—|--)(\d{4}-\d{1,2})$/.exec(text))) {
    const a = parseMonth(m[1]!);
    const b = parseMonth(m[2]!);
    if (!a || !b) throw bad(input);
    if (a[0] * 12 + a[1] > b[0] * 12 + b[1]) {
      throw new GongweiError('PERIOD_REVERSED', `统计期间的起始月份晚于结束月份：「${input}」`);
    }
    return { label: `${a[0]}-${pad(a[1])}..${b[0]}-${pad(b[1])}`, start: monthStart(a[0], a[1]), end: monthEnd(b[0], b[1]) };
  }
  throw bad(input);
}

/** The year of the period's end date (population rows are taken for this year). */
export function periodYear(p: Period): number {
  return Number(p.end.slice(0, 4));
}

const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

/** Period labels in words: 2025 → 2025年, 2025Q2 → 2025年第二季度, 2025-03 → 2025年3月, 2025-01..2025-06 → 2025年1—6月. */
export function formatPeriod(label: unknown): string {
  const s = String(label ?? '');
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) return `${m[1]}年`;
  if ((m = /^(\d{4})Q([1-4])$/.exec(s))) return `${m[1]}年${QUARTERS[Number(m[2]) - 1]}`;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return `${m[1]}年${Number(m[2])}月`;
  if ((m = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(s))) {
    return m[1] === m[3] ? `${m[1]}年${Number(m[2])}—${Number(m[4])}月` : `${m[1]}年${Number(m[2])}月—${m[3]}年${Number(m[4])}月`;
  }
  return s;
}
