// SQL functions the indicator SQL may call: age_on, managed, required_followups (deterministic, registered per connection).
import type { Database } from '../db.js';
import { ageInYearsInt, dateToInt } from '../calendar.js';

/**
 * Managed in P: enrolled ≤ E and not ended before S; a status that is not 在管 — an empty status included
 * (indicators.md: "a row whose status is not 在管 and has no ended_date") — without an end date counts as ended before S.
 * A row that ends before it starts cannot be managed at all (import rejects it; one stored before is in no denominator).
 */
export function isManaged(enrolled: string | null, ended: string | null, status: string | null, start: string, end: string): boolean {
  if (!enrolled || enrolled.slice(0, 10) > end) return false;
  if (ended) return ended.slice(0, 10) >= start && ended.slice(0, 10) >= enrolled.slice(0, 10);
  return status === '在管';
}

const quarterIndex = (d: number) => Math.floor(d / 10000) * 4 + Math.floor((Math.floor(d / 100) % 100 - 1) / 3);

/** q: calendar quarters overlapping both P and the managed span [enrolled, ended or E]. */
export function requiredFollowups(enrolled: string | null, ended: string | null, start: string, end: string): number {
  const e = dateToInt(enrolled);
  const s = dateToInt(start);
  const E = dateToInt(end);
  if (e === undefined || s === undefined || E === undefined) return 0;
  const x = dateToInt(ended);
  const from = Math.max(s, e);
  const to = Math.min(E, x ?? E);
  if (from > to) return 0;
  return quarterIndex(to) - quarterIndex(from) + 1;
}

const registered = new WeakSet<Database>();

export function registerSqlFunctions(db: Database): void {
  if (registered.has(db)) return;
  registered.add(db);
  const opts = { deterministic: true, varargs: false } as const;
  db.function('age_on', opts, (birth: unknown, on: unknown) => {
    const b = dateToInt(birth as string);
    const o = dateToInt(on as string);
    return b === undefined || o === undefined ? null : ageInYearsInt(b, o);
  });
  db.function('managed', opts, (enrolled: unknown, ended: unknown, status: unknown, start: unknown, end: unknown) =>
    isManaged(enrolled as string | null, ended as string | null, status as string | null, String(start), String(end)) ? 1 : 0,
  );
  db.function('required_followups', opts, (enrolled: unknown, ended: unknown, start: unknown, end: unknown) =>
    requiredFollowups(enrolled as string | null, ended as string | null, String(start), String(end)),
  );
}

const ARG = String.raw`\s*([A-Za-z_:][\w.:]*|'[^']*')\s*`;
const year = (d: string) => `CAST(substr(${d}, 1, 4) AS INTEGER)`;
const quarter = (d: string) => `(${year(d)} * 4 + (CAST(substr(${d}, 6, 2) AS INTEGER) - 1) / 3)`;

/**
 * Inline the three functions as plain SQL when their arguments are plain columns or parameters: the same
 * rules as the JS functions above, without a JavaScript call per row (several times faster on county data).
 * Calls the patterns do not cover still reach the registered functions.
 */
export function inlineSqlFunctions(sql: string): string {
  return sql
    .replace(new RegExp(`\\bmanaged\\(${ARG},${ARG},${ARG},${ARG},${ARG}\\)`, 'g'), (_m, enrolled, ended, status, start, end) =>
      `(${enrolled} IS NOT NULL AND substr(${enrolled}, 1, 10) <= ${end} AND CASE WHEN ${ended} IS NOT NULL THEN substr(${ended}, 1, 10) >= ${start} AND substr(${ended}, 1, 10) >= substr(${enrolled}, 1, 10) ELSE coalesce(${status} = '在管', 0) END)`)
    .replace(new RegExp(`\\brequired_followups\\(${ARG},${ARG},${ARG},${ARG}\\)`, 'g'), (_m, enrolled, ended, start, end) => {
      const from = `max(${start}, ${enrolled})`;
      const to = `min(${end}, coalesce(${ended}, ${end}))`;
      return `(CASE WHEN ${enrolled} IS NULL OR ${from} > ${to} THEN 0 ELSE ${quarter(to)} - ${quarter(from)} + 1 END)`;
    })
    .replace(new RegExp(`\\bage_on\\(${ARG},${ARG}\\)`, 'g'), (_m, birth, on) =>
      `(${year(on)} - ${year(birth)} - (substr(${on}, 6, 5) < substr(${birth}, 6, 5)))`);
}
