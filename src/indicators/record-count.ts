// The `records` entries (rows of a register created by the end of P, e.g. health records): counted per group in
// JavaScript from the family's per-row facts (record-facts.ts), read once per database state or stored beside the
// registers — every period is then one pass over the facts. Dates compare as SQLite compares text; a date that is
// not text never counts (TEXT columns).
import type { Database } from '../db.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import { databaseState } from './db-state.js';
import { textDayOf } from './text-day.js';
import { recordFacts, type RecordFacts, type RecordsFamily } from './record-facts.js';
import { UNKNOWN_GROUP, type Period } from './types.js';

export type RecordsDef = IndicatorDef & { compute: { kind: 'records' } };
type By = 'village' | 'doctor' | null;

/** Entries whose rows are the same (register, creation date, row condition) share one read. */
const familyKey = (d: RecordsDef) => [d.register, d.compute.created, d.compute.where ?? ''].join('\u0000');
const distinct = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();

type Plan = { def: RecordsDef; bit: number; w: number; within: Int32Array; num: Int32Array };
const NO_DATES = new Int32Array(0);

/**
 * One pass over the rows for a period (the hot loop, a function of its own so that it is optimised once): each
 * plan's num per group slot, and the rows created by E per slot, returned.
 */
function countRows(f: RecordFacts, plans: Plan[], labels: Int32Array | null, S: string, E: string): Int32Array {
  const s = textDayOf(S);
  const e = textDayOf(E);
  const none = f.labels.length;
  const den = new Int32Array(none + 1);
  for (let i = 0; i < f.count; i++) {
    const odd = f.odd.size ? f.odd.get(i) : undefined;
    if (odd ? odd.created > E : f.created[i]! > e) continue;
    const g = labels && labels[i]! >= 0 ? labels[i]! : none;
    den[g]++;
    const flags = f.flags[i]!;
    for (const p of plans) {
      if ((flags & p.bit) !== p.bit) continue;
      if (p.w >= 0) {
        // numWithin in P (a date that is not text: never).
        if (odd) {
          const w = odd.within[p.w]!;
          if (w === null || w < S || w > E) continue;
        } else {
          const w = p.within[i]!;
          if (w < s || w > e) continue;
        }
      }
      p.num[g]++;
    }
  }
  return den;
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
  for (const family of families.values()) {
    const first = family[0]!;
    const rf: RecordsFamily = { register: first.register, created: first.compute.created, where: first.compute.where };
    const f = recordFacts(db, state, rf, distinct(family.map((d) => d.compute.num)), distinct(family.map((d) => d.compute.numWithin)));
    const none = f.labels.length;
    const labels = by === 'village' ? f.village : by === 'doctor' ? f.doctor : null;
    const plans: Plan[] = family.map((d) => {
      const w = d.compute.numWithin ? f.withins.indexOf(d.compute.numWithin) : -1;
      return { def: d, bit: d.compute.num ? 1 << f.nums.indexOf(d.compute.num) : 0, w, within: w < 0 ? NO_DATES : f.within[w]!, num: new Int32Array(none + 1) };
    });
    const den = countRows(f, plans, labels, S, E);
    for (const p of plans) {
      const groups = new Map<string, { num: number; den: number }>();
      for (let g = 0; g <= none; g++) {
        if (!den[g]) continue; // no row of this group in the SQL form's result
        const key = !labels ? '' : g === none ? UNKNOWN_GROUP : f.labels[g]!;
        const c = groups.get(key); // a label written as UNKNOWN_GROUP and an empty one: one group, as in SQL's result
        if (c) {
          c.num += p.num[g]!;
          c.den += den[g]!;
        } else groups.set(key, { num: p.num[g]!, den: den[g]! });
      }
      out.set(p.def.id, groups);
    }
  }
  return out;
}
