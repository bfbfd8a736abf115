// Dates of the stored and counted facts as small whole numbers in text order: a plain date YYYY-MM-DD with a month
// 01–12 and a day 01–31 is (year × 12 + month − 1) × 31 + day − 1. For such dates the order of the numbers is the
// order of the texts (SQLite compares dates as text), a decade spans ~3,700, and 0 is never a date (year ≥ 0001).
// Any other text (a time of day, 2025-13-01, a bare month) is not plain: the facts keep it as stored.
// Not calendar.ts's dayNumber (real days since 1970): 2025-02-30 has a text day here, as SQLite's text comparison places it.

export const textDay = (y: number, m: number, d: number) => (y * 12 + m - 1) * 31 + d - 1;

/** The day number of a period bound (always a plain date). */
export const textDayOf = (text: string) => textDay(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));

/** The quarter (year × 4 + 0…3) of a day number. */
export const quarterOfDay = (v: number) => Math.floor(Math.floor(v / 31) / 3);

/** The day number of a value read from the database when it is a plain date; −1 otherwise (kept as stored). */
export function plainDay(v: unknown): number {
  if (typeof v !== 'string' || v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return -1;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    y = y * 10 + c;
  }
  const m1 = v.charCodeAt(5) - 48;
  const m2 = v.charCodeAt(6) - 48;
  const d1 = v.charCodeAt(8) - 48;
  const d2 = v.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= 31 ? textDay(y, m, d) : -1;
}
