// Dates of the stored and counted facts as small whole numbers in text order: a plain date YYYY-MM-DD with a month
// 01–12 and a day 01–31 is (year × 12 + month − 1) × 31 + day − 1. For such dates the order of the numbers is the
// order of the texts (SQLite compares dates as text), a decade spans ~3,700, and 0 is never a date (year ≥ 0001).
// Any other text (a time of day, 2025-13-01, a bare month) is not plain: the facts keep it as stored.

/** SQL: whether the text x is a plain date (kept as a number). */
export const plainDateSql = (x: string) =>
  `(${x} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND substr(${x}, 6, 2) BETWEEN '01' AND '12' AND substr(${x}, 9, 2) BETWEEN '01' AND '31' AND ${x} >= '0001')`;

/** SQL: the day number of a plain date x. */
export const dayNumberSql = (x: string) =>
  `((CAST(substr(${x}, 1, 4) AS INTEGER) * 12 + CAST(substr(${x}, 6, 2) AS INTEGER) - 1) * 31 + CAST(substr(${x}, 9, 2) AS INTEGER) - 1)`;

export const dayNumber = (y: number, m: number, d: number) => (y * 12 + m - 1) * 31 + d - 1;

/** The day number of a period bound (always a plain date). */
export const dayNumberOf = (text: string) => dayNumber(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));

/** The quarter (year × 4 + 0…3) of a day number. */
export const quarterOfDay = (v: number) => Math.floor(Math.floor(v / 31) / 3);

/** The text of a day number; null for 0 (no date). */
export function dayNumberText(v: number): string | null {
  if (!v) return null;
  const month = Math.floor(v / 31);
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  return `${p(Math.floor(month / 12), 4)}-${p((month % 12) + 1, 2)}-${p((v % 31) + 1, 2)}`;
}
