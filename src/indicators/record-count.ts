// The `records` entries (rows of a register created by the end of P, e.g. health records): SQLite sums the rows per
// group and creation date once per database state; every period is then a look-up in those sums (12 months read the
// register once). Dates are compared as SQLite compares text; a date that is not text never counts (TEXT columns).
import type { Database } from '../db.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import { quoteIdent } from '../sql.js';
import { connectionCache, databaseState } from './db-state.js';
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

const cache = connectionCache<unknown>();

/** `state`: databaseState(db), read once per count (reading it costs two statements). */
const cached = <T>(db: Database, state: string, key: string, read: () => T): T => cache(db, key, state, read) as T;

const groupExpr = (by: By) => (by ? `CAST(${quoteIdent(by)} AS TEXT)` : "''");
const label = (g: string | null) => g ?? UNKNOWN_GROUP;
const truth = (cond: string) => `CASE WHEN (${cond}) THEN 1 ELSE 0 END`;

/** Entries whose rows are the same (register, creation date, row condition) share one read. */
const familyKey = (d: RecordsDef) => [d.register, d.compute.created, d.compute.where ?? ''].join('\u0000');

/** Group by the plain column (an index on it and the date gives the order without a sort); labels as CAST gives them. */
const groupBy = (by: By, ...rest: string[]) => [...(by ? [quoteIdent(by)] : []), ...rest].join(', ');

/**
 * Per label, (date, counts…) rows in date order into running sums. Rows come ordered by raw group and date; raw
 * groups with one label (a number and its text: not in TEXT columns) are merged by date.
 */
function runningSums(rows: Iterable<unknown[]>, width: number): Map<string, { dates: string[]; sums: number[][] }> {
  const parts = new Map<string, { raw: unknown; rows: unknown[][] }[]>();
  for (const r of rows) {
    const g = label(r[0] as string | null);
    const list = parts.get(g) ?? [];
    if (!list.length) parts.set(g, list);
    const last = list[list.length - 1];
    if (last && last.raw === r[1]) last.rows.push(r);
    else list.push({ raw: r[1], rows: [r] });
  }
  const out = new Map<string, { dates: string[]; sums: number[][] }>();
  for (const [g, list] of parts) {
    let rs = list[0]!.rows;
    if (list.length > 1) {
      const byDate = new Map<string, number[]>();
      for (const r of list.flatMap((p) => p.rows)) {
        const prev = byDate.get(r[2] as string);
        const add = r.slice(3, 3 + width) as number[];
        byDate.set(r[2] as string, prev ? prev.map((x, k) => x + add[k]!) : add);
      }
      rs = [...byDate].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([d, v]) => [null, null, d, ...v]);
    }
    const dates: string[] = [];
    const sums: number[][] = Array.from({ length: width }, () => []);
    for (const r of rs) {
      const i = dates.length;
      dates.push(r[2] as string);
      for (let k = 0; k < width; k++) sums[k]!.push((i ? sums[k]![i - 1]! : 0) + (r[3 + k] as number));
    }
    out.set(g, { dates, sums });
  }
  return out;
}

function createdSums(db: Database, d: RecordsDef, by: By, nums: string[]): Map<string, CreatedSums> {
  const c = quoteIdent(d.compute.created);
  const where = d.compute.where ? `(${d.compute.where}) AND ` : '';
  const sql = `SELECT ${groupExpr(by)}, ${by ? quoteIdent(by) : 'NULL'}, ${c}, count(*)${nums.map((n) => `, sum(${truth(n)})`).join('')}
    FROM ${quoteIdent(d.register)} WHERE ${where}typeof(${c}) = 'text' GROUP BY ${groupBy(by, c)} ORDER BY ${groupBy(by, c)}`;
  const out = new Map<string, CreatedSums>();
  for (const [g, s] of runningSums(db.prepare(sql).raw().iterate() as Iterable<unknown[]>, 1 + nums.length)) {
    out.set(g, { dates: s.dates, rows: s.sums[0]!, nums: s.sums.slice(1) });
  }
  return out;
}

function withinFacts(db: Database, d: RecordsDef, by: By): Map<string, WithinFacts> {
  const c = quoteIdent(d.compute.created);
  const w = quoteIdent(d.compute.numWithin!);
  const where = [d.compute.where, d.compute.num].filter(Boolean).map((x) => `(${x}) AND `).join('');
  const base = `FROM ${quoteIdent(d.register)} WHERE ${where}typeof(${c}) = 'text' AND typeof(${w}) = 'text'`;
  const out = new Map<string, WithinFacts>();
  // Created on or before the within date: by that date alone.
  const onTime = `SELECT ${groupExpr(by)}, ${by ? quoteIdent(by) : 'NULL'}, ${w}, count(*) ${base} AND ${c} <= ${w} GROUP BY ${groupBy(by, w)} ORDER BY ${groupBy(by, w)}`;
  for (const [g, s] of runningSums(db.prepare(onTime).raw().iterate() as Iterable<unknown[]>, 1)) out.set(g, { dates: s.dates, rows: s.sums[0]!, late: [] });
  const late = `SELECT ${groupExpr(by)}, ${c}, ${w}, count(*) ${base} AND ${c} > ${w} GROUP BY ${groupBy(by, c, w)}`;
  for (const r of db.prepare(late).raw().iterate() as Iterable<unknown[]>) {
    const g = label(r[0] as string | null);
    let f = out.get(g);
    if (!f) out.set(g, (f = { dates: [], rows: [], late: [] }));
    f.late.push([r[1] as string, r[2] as string, r[3] as number]);
  }
  return out;
}

/** Rows created on or before E with the within date in P, per label: one scan for one period. */
function withinDirect(db: Database, d: RecordsDef, by: By, S: string, E: string): Map<string, number> {
  const c = quoteIdent(d.compute.created);
  const w = quoteIdent(d.compute.numWithin!);
  const where = [d.compute.where, d.compute.num].filter(Boolean).map((x) => `(${x}) AND `).join('');
  const sql = `SELECT ${groupExpr(by)}, count(*) FROM ${quoteIdent(d.register)}
    WHERE ${where}typeof(${c}) = 'text' AND ${c} <= :E AND typeof(${w}) = 'text' AND ${w} >= :S AND ${w} <= :E${by ? ` GROUP BY ${quoteIdent(by)}` : ''}`;
  const out = new Map<string, number>();
  for (const r of db.prepare(sql).raw().iterate({ S, E }) as Iterable<unknown[]>) {
    const g = label(r[0] as string | null);
    out.set(g, (out.get(g) ?? 0) + (r[1] as number));
  }
  return out;
}

/** How many of the sorted `dates` are ≤ x (text order), or < x when `strict`. */
function countUpTo(dates: string[], x: string, strict = false): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? dates[mid]! < x : dates[mid]! <= x) lo = mid + 1;
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
  const state = databaseState(db);
  const families = new Map<string, RecordsDef[]>();
  for (const d of defs) families.set(familyKey(d), [...(families.get(familyKey(d)) ?? []), d]);
  for (const [key, family] of families) {
    const nums = [...new Set(family.map((d) => d.compute.num).filter((n): n is string => !!n))].sort();
    const sums = cached(db, state, `created\u0000${by}\u0000${key}\u0000${nums.join('\u0000')}`, () => createdSums(db, family[0]!, by, nums));
    for (const d of family) {
      const groups = new Map<string, { num: number; den: number }>();
      let within: Map<string, WithinFacts> | undefined;
      let direct: Map<string, number> | undefined;
      if (d.compute.numWithin) {
        // The first period of a database state is counted directly (one scan, no dearer than the SQL form); from a
        // second period on, the sums per within date (a sort of the register) are read once and serve every period.
        const wKey = `within\u0000${by}\u0000${key}\u0000${d.compute.num ?? ''}\u0000${d.compute.numWithin}`;
        const periods = cached(db, state, `periods\u0000${wKey}`, () => new Set<string>());
        periods.add(`${S}..${E}`);
        if (periods.size === 1) direct = withinDirect(db, d, by, S, E);
        else within = cached(db, state, wKey, () => withinFacts(db, d, by));
      }
      const k = d.compute.num ? nums.indexOf(d.compute.num) : -1;
      for (const [g, s] of sums) {
        const i = countUpTo(s.dates, E);
        if (!i) continue; // no row of this group in the SQL form's result
        const den = s.rows[i - 1]!;
        let num: number;
        if (direct) num = direct.get(g) ?? 0;
        else if (!within) num = k < 0 ? den : s.nums[k]![i - 1]!;
        else {
          const f = within.get(g);
          num = 0;
          if (f) {
            const hi = countUpTo(f.dates, E);
            const lo = countUpTo(f.dates, S, true);
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
