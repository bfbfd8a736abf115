// Calendar arithmetic on 'YYYY-MM-DD' strings with plain integers (no Date, no time zones).

/** An age or offset on the calendar: years and months are added first (end-of-month clamp), then days. */
export interface CalendarAge {
  years?: number;
  months?: number;
  days?: number;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** 'YYYY-MM-DD' (or a date and time) → yyyymmdd integer, or undefined when the text is not a real calendar date. */
export function dateToInt(text: string | null | undefined): number | undefined {
  return leadingDateInt(text) || undefined;
}

/** Fast 'YYYY-MM-DD…' (a date, or a date and time) → yyyymmdd for values read from the database; 0 when not a calendar date. */
export function leadingDateInt(v: unknown): number {
  return typeof v === 'string' && v.length >= 10 ? dateIntAt(v, 0) : 0;
}

/** The calendar date 'YYYY-MM-DD' at `s[i..i+10)` (the caller checks the length) → yyyymmdd; 0 when it is not one. */
export function dateIntAt(s: string, i: number): number {
  if (s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return 0;
  let y = 0;
  for (let k = i; k < i + 4; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return 0;
    y = y * 10 + c;
  }
  const m1 = s.charCodeAt(i + 5) - 48;
  const m2 = s.charCodeAt(i + 6) - 48;
  const d1 = s.charCodeAt(i + 8) - 48;
  const d2 = s.charCodeAt(i + 9) - 48;
  if (m1 < 0 || m1 > 1 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 3 || d2 < 0 || d2 > 9) return 0;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (m < 1 || m > 12 || d < 1 || (d > 28 && d > daysInMonth(y, m))) return 0;
  return y * 10000 + m * 100 + d;
}

export function intToDate(n: number): string {
  const y = Math.floor(n / 10000);
  const m = Math.floor(n / 100) % 100;
  const d = n % 100;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of dayNumber, as a yyyymmdd integer. */
export function fromDayNumber(z0: number): number {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

/** Add a calendar age to a yyyymmdd integer: months (years × 12 + months) with end-of-month clamp, then days. */
export function addAgeInt(date: number, age: CalendarAge): number {
  let y = Math.floor(date / 10000);
  let m = Math.floor(date / 100) % 100;
  let d = date % 100;
  const months = (age.years ?? 0) * 12 + (age.months ?? 0);
  if (months !== 0) {
    const total = y * 12 + (m - 1) + months;
    y = Math.floor(total / 12);
    m = total - y * 12 + 1;
    const dim = daysInMonth(y, m);
    if (d > dim) d = dim;
  }
  const days = age.days ?? 0;
  if (days === 0) return y * 10000 + m * 100 + d;
  // Fast path: stays inside the month.
  if (days > 0 && d + days <= 28) return y * 10000 + m * 100 + d + days;
  return fromDayNumber(dayNumber(y, m, d) + days);
}

/**
 * Due date of a dose: the birth date plus the age, added on the calendar
 * (2024-01-31 + 1 month = 2024-02-29; 2023-08-31 + 6 months = 2024-02-29).
 * Throws a RangeError when `birth` is not a 'YYYY-MM-DD' calendar date.
 */
export function dueDate(birth: string, age: CalendarAge): string {
  const b = dateToInt(birth);
  if (b === undefined) throw new RangeError(`not a YYYY-MM-DD date: ${birth}`);
  return intToDate(addAgeInt(b, age));
}

/** Completed years at `on` (both yyyymmdd): the birthday counts from its own date; a 29 Feb birthday counts from 1 Mar in common years. */
export function ageInYearsInt(birth: number, on: number): number {
  const years = Math.floor(on / 10000) - Math.floor(birth / 10000);
  return on % 10000 < birth % 10000 ? years - 1 : years;
}

/** Completed years at `on` for 'YYYY-MM-DD' strings; undefined when either is not a date. */
export function ageInYears(birth: string, on: string): number | undefined {
  const b = dateToInt(birth);
  const o = dateToInt(on);
  if (b === undefined || o === undefined) return undefined;
  return ageInYearsInt(b, o);
}

/** The age of a schedule dose in whole months (days ignored), for grouping 0岁组 / 1-6岁组. */
export function ageMonths(age: CalendarAge): number {
  return (age.years ?? 0) * 12 + (age.months ?? 0);
}

/** '2025-03-05' → 2025年3月5日 (text that is not a date is returned as is). */
export function chineseDate(iso: unknown): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(String(iso ?? ''));
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : String(iso ?? '');
}
