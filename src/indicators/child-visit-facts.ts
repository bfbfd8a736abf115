// Per-child facts of the two built-in child-visit entries (kind sql with `facts`: newborn-visit-rate and
// child-health-management-rate), stored beside the registers at the end of an import (derived_indicator_facts) and
// read while fresh: each child's village, doctor, birth date, whether its status is 在册, its status change date,
// whether it had a visit within 28 days of birth, and the dates of its visits. A period is then one pass over
// 110,000 children instead of a search of child_visits per child. The facts are kept only when every date involved
// is a plain YYYY-MM-DD (what an import writes); otherwise, or while they are stale, the entries run their own SQL.
// Counting from the facts gives what that SQL gives (test/indicators/child-visit-facts.test.ts compares them).
import type { Database } from '../db.js';
import { connectionCache } from './db-state.js';
import { textDayOf, plainDay } from './text-day.js';
import { labelTable, readStoredFacts, storedFactsFresh, writeStoredFacts } from './stored-facts.js';
import { UNKNOWN_GROUP, type Period } from './types.js';
import { Int32List } from '../int32-list.js';

/**
 * What an entry counts from the facts, as its SQL does:
 * `newborn-visit` — children born in P (den 1 each), num: a visit between birth and birth + 28 days;
 * `child-visit-in-period` — children born by E, in the register at E (status 在册 or a status change after E),
 * under 7 at E (age_on), num: a visit in P (den: the population column).
 */
export type ChildVisitFactsUse = 'newborn-visit' | 'child-visit-in-period';

const KEY = 'childvisits\u0000children\u0000child_visits';
const REGISTERS = ['children', 'child_visits'];
const IN_REGISTER = 1;
const NEWBORN_VISITED = 2;

interface ChildVisitFacts {
  count: number;
  labels: string[];
  village: Int32Array;
  doctor: Int32Array;
  /** Day numbers (text-day.ts); −1: no birth date (never counted). */
  birth: Int32Array;
  /** Day numbers; −1: none. */
  statusDate: Int32Array;
  flags: Int32Array;
  /** The child's visit dates: visits[visitStart[i] … + visitCount[i]]. */
  visitStart: Int32Array;
  visitCount: Int32Array;
  visits: Int32Array;
}

/**
 * The facts read from the registers, or undefined when a date is not a plain YYYY-MM-DD (the SQL then decides). The
 * end of the newborn window is SQLite's own date(birth, '+28 days'), as the entry's SQL asks it; one search of
 * child_visits per child gives all its visits.
 */
function readFacts(db: Database): ChildVisitFacts | undefined {
  const sql = `SELECT CAST(c.village AS TEXT), CAST(c.doctor AS TEXT), c.birth_date, c.status_date, coalesce(c.status = '在册', 0),
      date(c.birth_date, '+28 days'),
      (SELECT count(v.visit_date) || ':' || coalesce(group_concat(v.visit_date, ' '), '') FROM child_visits v WHERE v.child_id = c.child_id)
    FROM children c`;
  const { labels, label } = labelTable();
  const village = new Int32List();
  const doctor = new Int32List();
  const birth = new Int32List();
  const statusDate = new Int32List();
  const flags = new Int32List();
  const visitStart = new Int32List();
  const visitCount = new Int32List();
  const visits = new Int32List();
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    const b = r[2] === null ? -1 : plainDay(r[2]);
    const sd = r[3] === null ? -1 : plainDay(r[3]);
    if ((r[2] !== null && b < 0) || (r[3] !== null && sd < 0)) return undefined;
    const [n, list] = splitOnce(r[6] as string);
    const days = n ? list.split(' ').map(plainDay) : [];
    if (days.length !== n || days.some((d) => d < 0)) return undefined; // a visit date that is not plain (or holds a space)
    // visit_date BETWEEN birth AND date(birth, '+28 days'): texts compared, the same order as the day numbers here.
    const upTo = r[5] === null ? -1 : plainDay(r[5]);
    const newborn = b >= 0 && upTo >= 0 && days.some((d) => d >= b && d <= upTo);
    village.push(label(r[0]));
    doctor.push(label(r[1]));
    birth.push(b);
    statusDate.push(sd);
    flags.push((r[4] ? IN_REGISTER : 0) | (newborn ? NEWBORN_VISITED : 0));
    visitStart.push(visits.length);
    visitCount.push(n);
    for (const d of days) visits.push(d);
  }
  return {
    count: village.length,
    labels,
    village: village.values(),
    doctor: doctor.values(),
    birth: birth.values(),
    statusDate: statusDate.values(),
    flags: flags.values(),
    visitStart: visitStart.values(),
    visitCount: visitCount.values(),
    visits: visits.values(),
  };
}

/** 'n:rest' → [n, rest]. */
function splitOnce(s: string): [number, string] {
  const k = s.indexOf(':');
  return [Number(s.slice(0, k)), s.slice(k + 1)];
}

/**
 * Store the facts read from the registers as they are now (inside the caller's transaction). When a date is not
 * plain, a row saying so is stored: fresh while the registers stay as they are, read as "count by SQL".
 */
export function storeChildVisitFacts(db: Database): void {
  const f = readFacts(db);
  const columns = f ? [f.village, f.doctor, f.birth, f.statusDate, f.flags, f.visitStart, f.visitCount, f.visits] : [];
  writeStoredFacts(db, KEY, REGISTERS, { columns, texts: JSON.stringify(f ? { labels: f.labels } : { sql: true }) });
}

/** Whether the stored facts describe the registers as they are. */
export const childVisitFactsFresh = (db: Database): boolean => storedFactsFresh(db, KEY, REGISTERS);

const cache = connectionCache<ChildVisitFacts | undefined>();

/** The stored facts while fresh (kept per connection and database state); undefined: count by the entry's SQL. */
function storedFacts(db: Database, state: string): ChildVisitFacts | undefined {
  return cache(db, KEY, state, () => {
    const s = readStoredFacts(db, KEY, REGISTERS);
    if (!s) return undefined;
    const t = JSON.parse(s.texts) as { labels?: string[] };
    if (!t.labels) return undefined;
    const [village, doctor, birth, statusDate, flags, visitStart, visitCount, visits] = s.columns as Int32Array[];
    return { count: village!.length, labels: t.labels, village: village!, doctor: doctor!, birth: birth!, statusDate: statusDate!, flags: flags!, visitStart: visitStart!, visitCount: visitCount!, visits: visits! };
  });
}

/** The hot loop (a function of its own so that it is optimised once): num and rows per group slot (last slot: no label). */
function countRows(f: ChildVisitFacts, use: ChildVisitFactsUse, labels: Int32Array | null, S: string, E: string): { num: Int32Array; n: Int32Array } {
  const s = textDayOf(S);
  const e = textDayOf(E);
  // age_on(birth, E) < 7 as the engine's SQL form: E's year − birth year − (E's 'MM-DD' < the birth's) < 7.
  const eYear = Math.floor(e / 372);
  const eDay = e % 372;
  const none = f.labels.length;
  const num = new Int32Array(none + 1);
  const n = new Int32Array(none + 1);
  for (let i = 0; i < f.count; i++) {
    const b = f.birth[i]!;
    if (b < 0) continue;
    let hit: boolean;
    if (use === 'newborn-visit') {
      if (b < s || b > e) continue;
      hit = (f.flags[i]! & NEWBORN_VISITED) !== 0;
    } else {
      if (b > e || (!(f.flags[i]! & IN_REGISTER) && !(f.statusDate[i]! > e))) continue;
      if (eYear - Math.floor(b / 372) - (eDay < b % 372 ? 1 : 0) >= 7) continue;
      hit = false;
      for (let k = f.visitStart[i]!, end = k + f.visitCount[i]!; k < end; k++) {
        const v = f.visits[k]!;
        if (v >= s && v <= e) {
          hit = true;
          break;
        }
      }
    }
    const g = labels && labels[i]! >= 0 ? labels[i]! : none;
    n[g]++;
    if (hit) num[g]++;
  }
  return { num, n };
}

/**
 * Counts per group label ('' for the whole unit) of a child-visit entry, as the engine sums its SQL's rows (den 1 a
 * row for newborn-visit, none for the other: its denominator is the population column); undefined when the facts
 * are not fresh or not kept (then the entry's SQL counts).
 */
export function countChildVisits(db: Database, state: string, use: ChildVisitFactsUse, period: Period, by: 'village' | 'doctor' | null): Map<string, { num: number; den: number }> | undefined {
  const f = storedFacts(db, state);
  if (!f) return undefined;
  const labels = by === 'village' ? f.village : by === 'doctor' ? f.doctor : null;
  const { num, n } = countRows(f, use, labels, period.start, period.end);
  const out = new Map<string, { num: number; den: number }>();
  for (let g = 0; g < n.length; g++) {
    if (!n[g]) continue; // no row of this group in the SQL's result
    const key = !labels ? '' : g === f.labels.length ? UNKNOWN_GROUP : f.labels[g]!;
    const den = use === 'newborn-visit' ? n[g]! : 0;
    const c = out.get(key); // a label written as UNKNOWN_GROUP and an empty one: one group, as in the SQL's result
    if (c) {
      c.num += num[g]!;
      c.den += den;
    } else out.set(key, { num: num[g]!, den });
  }
  return out;
}
