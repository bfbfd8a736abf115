// The `records` entries (rows of a register created by the end of P, e.g. health records): SQLite sums the rows per
// group and creation date once per database state; every period is then a look-up in those sums (12 months read the
// register once). Dates are compared as SQLite compares text; a date that is not text never counts (TEXT columns).
import type { Database } from '../db.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import { quoteIdent } from '../sql.js';
import { databaseState } from './db-state.js';
import { UNKNOWN_GROUP, type Period } from './types.js';

export type RecordsDef = IndicatorDef & { compute: { kind: 'records' } };
type By = 'village' | 'doctor' | null;

/** Per group: creation dates in order, and running sums of rows and of each numerator condition up to each date. */
interface CreatedSums {
  dates: string[];
  rows: number[];
  nums: number[][];
}
/** Rows whose `numWithin` date is in P: by that date when created on or before it, by both dates otherwise. */
interface WithinFacts {
  dates: string[];
  rows: number[];
  /** created > within date: [created, within, rows]. */
  late: [string, string, number][];
}

const cache = new WeakMap<Database, Map<string, { state: string; value: unknown }>>();

function cached<T>(db: Database, key: string, read: () => T): T {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const state = databaseState(db);
  const hit = perDb.get(key);
  if (hit && hit.state === state) return hit.value as T;
  const value = read();
  perDb.set(key, { state, value });
  return value;
}

const groupExpr = (by: By) => (by ? `CAST(${quoteIdent(by)} AS TEXT)` : "''");
const label = (g: string | null) => g ?? UNKNOWN_GROUP;
const truth = (cond: string) => `CASE WHEN (${cond}) THEN 1 ELSE 0 END`;

/** Entries whose rows are the same (register, creation date, row condition) share one read. */
const familyKey = (d: RecordsDef) => [d.register, d.compute.created, d.compute.where ?? ''].join('\u0000');

function createdSums(db: Database, d: RecordsDef, by: By, nums: string[]): Map<string, CreatedSums> {
  const c = quoteIdent(d.compute.created);
  const where = d.compute.where ? `(${d.compute.where}) AND ` : '';
  const sql = `SELECT ${groupExpr(by)} AS g, ${c} AS d, count(*)${nums.map((n) => `, sum(${truth(n)})`).join('')}
    FROM ${quoteIdent(d.register)} WHERE ${where}typeof(${c}) = 'text' GROUP BY g, d ORDER BY g, d`;
  const out = new Map<string, CreatedSums>();
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    const g = label(r[0] as string | null);
    let s = out.get(g);
    if (!s) out.set(g, (s = { dates: [], rows: [], nums: nums.map(() => []) }));
    const i = s.dates.length;
    s.dates.push(r[1] as string);
    s.rows.push((i ? s.rows[i - 1]! : 0) + (r[2] as number));
    for (let k = 0; k < nums.length; k++) s.nums[k]!.push((i ? s.nums[k]![i - 1]! : 0) + (r[3 + k] as number));
  }
  return out;
}

function withinFacts(db: Database, d: RecordsDef, by: By): Map<string, WithinFacts> {
  const c = quoteIdent(d.compute.created);
  const w = quoteIdent(d.compute.numWithin!);
  const where = [d.compute.where, d.compute.num].filter(Boolean).map((x) => `(${x}) AND `).join('');
  const sql = `SELECT ${groupExpr(by)} AS g, CASE WHEN ${c} <= ${w} THEN NULL ELSE ${c} END AS late, ${w} AS w, count(*)
    FROM ${quoteIdent(d.register)} WHERE ${where}typeof(${c}) = 'text' AND typeof(${w}) = 'text' GROUP BY g, late, w ORDER BY g, late, w`;
  const out = new Map<string, WithinFacts>();
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    const g = label(r[0] as string | null);
    let s = out.get(g);
    if (!s) out.set(g, (s = { dates: [], rows: [], late: [] }));
    if (r[1] === null) {
      const i = s.dates.length;
      s.dates.push(r[2] as string);
      s.rows.push((i ? s.rows[i - 1]! : 0) + (r[3] as number));
    } else s.late.push([r[1] as string, r[2] as string, r[3] as number]);
  }
  return out;
}

/** How many of the sorted `dates` are ≤ x (text order). */
function countUpTo(dates: string[], x: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** How many are < x. */
function countBelow(dates: string[], x: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts per group label ('' for the whole unit) of each entry, as its SQL form would give them: rows created on or
 * before E meeting `where` (den 1 each); num: those meeting `num`, and with `numWithin` in P when it is given.
 */
export function countRecords(db: Database, defs: RecordsDef[], period: Period, by: By): Map<string, Map<string, { num: number; den: number }>> {
  const out = new Map<string, Map<string, { num: number; den: number }>>();
  const S = period.start;
  const E = period.end;
  const families = new Map<string, RecordsDef[]>();
  for (const d of defs) families.set(familyKey(d), [...(families.get(familyKey(d)) ?? []), d]);
  for (const [key, family] of families) {
    const nums = [...new Set(family.map((d) => d.compute.num).filter((n): n is string => !!n))].sort();
    const sums = cached(db, `created\u0000${by}\u0000${key}\u0000${nums.join('\u0000')}`, () => createdSums(db, family[0]!, by, nums));
    for (const d of family) {
      const groups = new Map<string, { num: number; den: number }>();
      const within = d.compute.numWithin ? cached(db, `within\u0000${by}\u0000${key}\u0000${d.compute.num ?? ''}\u0000${d.compute.numWithin}`, () => withinFacts(db, d, by)) : undefined;
      const k = d.compute.num ? nums.indexOf(d.compute.num) : -1;
      for (const [g, s] of sums) {
        const i = countUpTo(s.dates, E);
        if (!i) continue; // no row of this group in the SQL form's result
        const den = s.rows[i - 1]!;
        let num: number;
        if (!within) num = k < 0 ? den : s.nums[k]![i - 1]!;
        else {
          const f = within.get(g);
          num = 0;
          if (f) {
            const hi = countUpTo(f.dates, E);
            const lo = countBelow(f.dates, S);
            num = (hi ? f.rows[hi - 1]! : 0) - (lo ? f.rows[lo - 1]! : 0);
            // Created after the within date: both in P (within ≥ S, created ≤ E).
            for (const [created, w, n] of f.late) if (created <= E && w >= S && w <= E) num += n;
          }
        }
        groups.set(by ? g : '', { num, den });
      }
      out.set(d.id, groups);
    }
  }
  return out;
}
