// Dates and datetimes as written in registers → `YYYY-MM-DD` / `YYYY-MM-DD HH:MM[:SS]`, never shifted by a time zone.
import { daysInMonth } from '../calendar.js';
import { halfWidth } from '../normalize.js';

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `YYYY-MM-DD` if the parts make a real calendar date between 1900 and 2199, else undefined. */
export function ymd(y: number, m: number, d: number): string | undefined {
  if (!(y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return undefined;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/**
 * An Excel serial number → { date, time } in UTC arithmetic (1900 system with its 1900-02-29, or 1904), as Excel shows
 * it: the fraction is rounded to the millisecond (so 14:19:59.9999999 from floating-point error is 14:20:00) and then
 * cut to the second, never rounded up into the next day (23:59:59.7 under a date format shows that day, not the next).
 */
export function excelSerial(serial: number, date1904: boolean): { date: string; hh: number; mm: number; ss: number } | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2958466) return undefined;
  let days = Math.floor(serial);
  let ms = Math.round((serial - days) * DAY_MS);
  if (ms >= DAY_MS) {
    days += 1;
    ms -= DAY_MS;
  }
  const secs = Math.floor(ms / 1000);
  let at: number;
  if (date1904) at = EPOCH_1904 + days * DAY_MS;
  else if (days === 60) return { date: '1900-02-29', hh: 0, mm: 0, ss: 0 }; // Excel's phantom day; stored as written
  else at = days < 60 ? EPOCH_1900 + (days + 1) * DAY_MS : EPOCH_1900 + days * DAY_MS;
  const d = new Date(at);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return { date, hh: Math.floor(secs / 3600), mm: Math.floor((secs % 3600) / 60), ss: secs % 60 };
}

/**
 * Milliseconds to add to a time written with a zone (`Z`, `+00:00`, `-0500`) to get the same moment as China time
 * (UTC+8, no daylight saving): 2025-03-04T16:00:00.000Z is 2025-03-05 00:00 in China.
 */
function toChinaMs(zone: string): number {
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  return (480 - offset) * 60000;
}

const TEXT_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T|日)\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2}(?:\.\d+)?)\s*秒?|分)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2})(?::?(\d{2}))?)?$/;

export interface ParsedDateTime {
  date: string;
  /** Time when one was written (or the serial had a fraction). */
  time?: { hh: number; mm: number; ss?: number };
}

/**
 * Parse a cell as a date or datetime. Numbers: 8-digit `YYYYMMDD`, else an Excel serial (1900/1904 system).
 * Text: 2024-03-05, 2024/3/5, 2024.03.05, 20240305, 2024年3月5日, with an optional time `14:20[:05]`.
 */
export function parseDateCell(v: string | number, date1904: boolean): ParsedDateTime | undefined {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 19000101 && v <= 21991231) {
      const date = ymd(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
      if (date) return { date };
    }
    if (v < 1 || v > 120000) return undefined;
    const s = excelSerial(v, date1904);
    if (!s) return undefined;
    const hasTime = s.hh !== 0 || s.mm !== 0 || s.ss !== 0;
    return hasTime ? { date: s.date, time: { hh: s.hh, mm: s.mm, ss: s.ss || undefined } } : { date: s.date };
  }
  // Fast path: exactly YYYY-MM-DD.
  if (v.length === 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45) {
    const y = +v.slice(0, 4);
    const mo = +v.slice(5, 7);
    const d = +v.slice(8, 10);
    if (Number.isInteger(y) && Number.isInteger(mo) && Number.isInteger(d) && v.charCodeAt(5) !== 32 && v.charCodeAt(8) !== 32) {
      const date = ymd(y, mo, d);
      return date ? { date } : undefined;
    }
  }
  const t = halfWidth(v).trim();
  let m = TEXT_DATE.exec(t) ?? COMPACT.exec(t);
  if (!m) {
    // A serial written as text (CSV saved from a sheet with general-format dates).
    if (/^\d{4,6}(\.\d+)?$/.test(t)) return parseDateCell(Number(t), date1904);
    return undefined;
  }
  const date = ymd(+m[1]!, +m[2]!, +m[3]!);
  if (!date) return undefined;
  if (m[4] === undefined) return { date };
  const hh = +m[4];
  const mm = +m[5]!;
  const ss = m[6] === undefined ? undefined : Math.floor(+m[6]);
  if (hh > 23 || mm > 59 || (ss !== undefined && ss > 59)) return undefined;
  const zone = m[7];
  if (zone) {
    const t = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, hh, mm, ss ?? 0) + toChinaMs(zone));
    const cn = ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
    return cn ? { date: cn, time: { hh: t.getUTCHours(), mm: t.getUTCMinutes(), ss: ss === undefined ? undefined : t.getUTCSeconds() } } : undefined;
  }
  return { date, time: { hh, mm, ss } };
}

/** `YYYY-MM-DD HH:MM` or with `:SS` when seconds were given. */
export function formatDateTime(p: ParsedDateTime): string {
  const t = p.time;
  if (!t) return `${p.date} 00:00`;
  return `${p.date} ${pad2(t.hh)}:${pad2(t.mm)}${t.ss !== undefined ? `:${pad2(t.ss)}` : ''}`;
}

/** Today's calendar date where the program runs, `YYYY-MM-DD` (local date: "today" for the clinic). */
export function todayLocal(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
}
