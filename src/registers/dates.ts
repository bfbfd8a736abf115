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

/** An Excel serial number → { date, time } in UTC arithmetic (1900 system with its 1900-02-29, or 1904). */
export function excelSerial(serial: number, date1904: boolean): { date: string; hh: number; mm: number; ss: number } | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2958466) return undefined;
  let days = Math.floor(serial);
  let secs = Math.round((serial - days) * 86400);
  if (secs >= 86400) {
    days += 1;
    secs -= 86400;
  }
  let ms: number;
  if (date1904) ms = EPOCH_1904 + days * DAY_MS;
  else if (days === 60) return { date: '1900-02-29', hh: 0, mm: 0, ss: 0 }; // Excel's phantom day; stored as written
  else ms = days < 60 ? EPOCH_1900 + (days + 1) * DAY_MS : EPOCH_1900 + days * DAY_MS;
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return { date, hh: Math.floor(secs / 3600), mm: Math.floor((secs % 3600) / 60), ss: secs % 60 };
}

const TEXT_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T|日)\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2}(?:\.\d+)?)\s*秒?|分)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/;
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
