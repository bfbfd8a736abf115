// The `followups` entries (patients managed in P, their follow-ups in P): counted per group from the per-patient facts
// with the same rules, written in JavaScript, as the SQL functions managed() and required_followups() inlined
// (sql-functions.ts) — text dates compared as SQLite compares them.
import type { Database } from '../db.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import { patientFacts } from './followup-facts.js';
import { UNKNOWN_GROUP, type Period } from './types.js';

export type FollowupsDef = IndicatorDef & { compute: { kind: 'followups' } };

/** SQLite's CAST(text AS INTEGER): the leading integer, 0 when there is none. */
const castInt = (s: string) => parseInt(s, 10) || 0;
const quarterOf = (d: string) => castInt(d.slice(0, 4)) * 4 + Math.trunc((castInt(d.slice(5, 7)) - 1) / 3);

/** managed(enrolled, ended, status, S, E) as inlined in SQL. */
function managed(enrolled: string | null, ended: string | null, status: string | null, S: string, E: string): boolean {
  if (enrolled === null || enrolled.slice(0, 10) > E) return false;
  if (ended !== null) return ended.slice(0, 10) >= S && ended.slice(0, 10) >= enrolled.slice(0, 10);
  return status === '在管';
}

/** Counts per group label ('' for the whole unit) of each entry, as the SQL engine would give them. */
export function countFollowups(db: Database, defs: FollowupsDef[], period: Period, by: 'village' | 'doctor' | null): Map<string, Map<string, { num: number; den: number }>> {
  const out = new Map<string, Map<string, { num: number; den: number }>>();
  // One read per patient register and follow-up table, with the conditions of every entry on them.
  const families = new Map<string, FollowupsDef[]>();
  for (const d of defs) {
    const k = `${d.register}\u0000${d.compute.followups}`;
    families.set(k, [...(families.get(k) ?? []), d]);
  }
  const S = period.start;
  const E = period.end;
  for (const family of families.values()) {
    const conditions = [...new Set(family.map((d) => d.compute.where).filter((w): w is string => !!w))].sort();
    const facts = patientFacts(db, family[0]!.register, family[0]!.compute.followups, conditions);
    const plans = family.map((d) => ({ def: d, measure: d.compute.measure, flag: d.compute.where ? conditions.indexOf(d.compute.where) : -1, groups: new Map<string, { num: number; den: number }>() }));
    const labels = by === 'village' ? facts.village : by === 'doctor' ? facts.doctor : null;
    for (let i = 0; i < facts.enrolled.length; i++) {
      const enrolled = facts.enrolled[i]!;
      const ended = facts.ended[i]!;
      if (!managed(enrolled, ended, facts.status[i]!, S, E)) continue;
      const g = labels ? (labels[i] ?? UNKNOWN_GROUP) : '';
      const dates = facts.dates[i]!;
      const flags = facts.flags[i]!;
      for (const p of plans) {
        let num = 1;
        let den = 1;
        if (p.measure === 'managed') den = 0;
        else if (p.measure === 'visits') {
          // Face-to-face (or whatever `where` says) follow-ups in P and in the managed span, at least q of them.
          const lo = S > enrolled ? S : enrolled;
          const endOrE = ended ?? E;
          const hi = E < endOrE ? E : endOrE;
          let n = 0;
          for (let j = 0; j < dates.length; j++) {
            const d = dates[j]!;
            if (d >= lo && d <= hi && (p.flag < 0 || flags[j]![p.flag] === '1')) n++;
          }
          const q = lo > hi ? 0 : quarterOf(hi) - quarterOf(lo) + 1;
          num = n >= q ? 1 : 0;
        } else {
          // The latest follow-up in P (dates in order; the last imported on a tie) meets `where`; none in P: 0.
          num = 0;
          for (let j = dates.length - 1; j >= 0; j--) {
            const d = dates[j]!;
            if (d <= E && d >= S) {
              num = p.flag < 0 || flags[j]![p.flag] === '1' ? 1 : 0;
              break;
            }
          }
        }
        const c = p.groups.get(g);
        if (c) {
          c.num += num;
          c.den += den;
        } else p.groups.set(g, { num, den });
      }
    }
    for (const p of plans) out.set(p.def.id, p.groups);
  }
  return out;
}
