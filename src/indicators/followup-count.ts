// The `followups` entries (patients managed in P, their follow-ups in P): counted per group from the per-patient facts
// with the same rules, written in JavaScript, as the SQL functions managed() and required_followups() inlined
// (sql-functions.ts): on YYYYMMDD numbers for plain dates, on the texts as SQLite compares them otherwise.
import { tableExists, type Database } from '../db.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import { quoteIdent } from '../sql.js';
import { factsPay, patientFacts, type OddPatient } from './followup-facts.js';
import { UNKNOWN_GROUP, type Period } from './types.js';

export type FollowupsDef = IndicatorDef & { compute: { kind: 'followups' } };
type Plan = { def: FollowupsDef; measure: 'managed' | 'visits' | 'last'; mask: number; flag: number; groups: Map<string, { num: number; den: number }> };
type Direct = (def: FollowupsDef, sql: string) => Map<string, { num: number; den: number }>;

/** SQLite's CAST(text AS INTEGER): the leading integer, 0 when there is none. */
const castInt = (s: string) => parseInt(s, 10) || 0;
const quarterOfText = (d: string) => castInt(d.slice(0, 4)) * 4 + Math.trunc((castInt(d.slice(5, 7)) - 1) / 3);
const quarterOf = (d: number) => Math.floor(d / 10000) * 4 + Math.trunc(((Math.floor(d / 100) % 100) - 1) / 3);
const ymd = (d: string) => Number(d.slice(0, 4) + d.slice(5, 7) + d.slice(8, 10));

/**
 * The entry as one SQL query (village, doctor, num, den per managed patient): the same counts, one period at a time.
 * `last` orders by date alone, as the index gives it: a patient has one follow-up per date (the natural key).
 */
export function followupsSql(def: FollowupsDef): string {
  const c = def.compute;
  const P = quoteIdent(def.register);
  const F = quoteIdent(c.followups);
  const where = c.where ? `(${c.where})` : '1';
  const num =
    c.measure === 'managed' ? '1'
    : c.measure === 'visits'
      ? `(SELECT count(*) FROM ${F} f WHERE f.patient_id = p.patient_id
           AND f.followup_date BETWEEN max(:start, p.enrolled_date) AND min(:end, coalesce(p.ended_date, :end)) AND ${where})
         >= required_followups(p.enrolled_date, p.ended_date, :start, :end)`
      : `coalesce((SELECT CASE WHEN ${where} THEN 1 ELSE 0 END FROM ${F} f
           WHERE f.patient_id = p.patient_id AND f.followup_date BETWEEN :start AND :end
           ORDER BY f.followup_date DESC LIMIT 1), 0)`;
  return `SELECT p.village, p.doctor, ${num} AS num, ${c.measure === 'managed' ? 'NULL' : '1'} AS den
    FROM ${P} p WHERE managed(p.enrolled_date, p.ended_date, p.status, :start, :end)`;
}

/** managed(enrolled, ended, status, S, E) as inlined in SQL, on the texts. */
function managedText(p: OddPatient, S: string, E: string): boolean {
  const { enrolled, ended } = p;
  if (enrolled === null || enrolled.slice(0, 10) > E) return false;
  if (ended !== null) return ended.slice(0, 10) >= S && ended.slice(0, 10) >= enrolled.slice(0, 10);
  return p.status === '在管';
}

/** num of one entry for a patient kept as stored. */
function oddNum(p: OddPatient, plan: Plan, S: string, E: string): number {
  const { dates, flags } = p;
  const ok = (j: number) => plan.flag < 0 || flags[j]![plan.flag] === '1';
  if (plan.measure === 'managed') return 1;
  if (plan.measure === 'visits') {
    const enrolled = p.enrolled!;
    const lo = S > enrolled ? S : enrolled;
    const endOrE = p.ended ?? E;
    const hi = E < endOrE ? E : endOrE;
    let n = 0;
    for (let j = 0; j < dates.length; j++) if (dates[j]! >= lo && dates[j]! <= hi && ok(j)) n++;
    const q = lo > hi ? 0 : quarterOfText(hi) - quarterOfText(lo) + 1;
    return n >= q ? 1 : 0;
  }
  for (let j = dates.length - 1; j >= 0; j--) if (dates[j]! <= E && dates[j]! >= S) return ok(j) ? 1 : 0;
  return 0;
}

function add(plan: Plan, g: string, num: number): void {
  const den = plan.measure === 'managed' ? 0 : 1;
  const c = plan.groups.get(g);
  if (c) {
    c.num += num;
    c.den += den;
  } else plan.groups.set(g, { num, den });
}

/**
 * Counts per group label ('' for the whole unit) of each entry, as the SQL engine would give them. The first period
 * of a database state runs each entry's SQL form through `direct`; from a second period on, the facts are read once.
 */
export function countFollowups(db: Database, defs: FollowupsDef[], period: Period, by: 'village' | 'doctor' | null, direct?: Direct): Map<string, Map<string, { num: number; den: number }>> {
  const out = new Map<string, Map<string, { num: number; den: number }>>();
  // One read per patient register and follow-up table, with the conditions of every entry on them.
  const families = new Map<string, FollowupsDef[]>();
  for (const d of defs) {
    const k = `${d.register}\u0000${d.compute.followups}`;
    families.set(k, [...(families.get(k) ?? []), d]);
  }
  const S = period.start;
  const E = period.end;
  const s = ymd(S);
  const e = ymd(E);
  for (const family of families.values()) {
    const conditions = [...new Set(family.map((d) => d.compute.where).filter((w): w is string => !!w))].sort();
    const [P, F] = [family[0]!.register, family[0]!.compute.followups];
    if (direct && !factsPay(db, P, F, conditions, `${S}..${E}:${by}`) && tableExists(db, F)) {
      for (const d of family) out.set(d.id, direct(d, followupsSql(d)));
      continue;
    }
    const f = patientFacts(db, P, F, conditions);
    const plans: Plan[] = family.map((d) => {
      const flag = d.compute.where ? conditions.indexOf(d.compute.where) : -1;
      return { def: d, measure: d.compute.measure, flag, mask: flag < 0 ? 0 : 1 << flag, groups: new Map() };
    });
    const labels = by === 'village' ? f.village : by === 'doctor' ? f.doctor : null;
    for (let i = 0; i < f.count; i++) {
      const g = labels ? (labels[i] ?? UNKNOWN_GROUP) : '';
      const odd = f.odd.get(i);
      if (odd) {
        if (managedText(odd, S, E)) for (const p of plans) add(p, g, oddNum(odd, p, S, E));
        continue;
      }
      const enrolled = f.enrolled[i]!;
      const ended = f.ended[i]!;
      // managed(): enrolled ≤ E; with an end date, ended ≥ S and ≥ enrolled; without one, status 在管.
      if (!enrolled || enrolled > e || (ended ? ended < s || ended < enrolled : !f.inCare[i])) continue;
      const a = f.from[i]!;
      const b = f.from[i + 1]!;
      for (const p of plans) {
        let num = 1;
        if (p.measure === 'visits') {
          // Follow-ups meeting `where` in P and in the managed span, at least q of them.
          const lo = s > enrolled ? s : enrolled;
          const hi = ended && ended < e ? ended : e;
          let n = 0;
          for (let j = a; j < b; j++) {
            const d = f.dates[j]!;
            if (d >= lo && d <= hi && (f.flags[j]! & p.mask) === p.mask) n++;
          }
          num = n >= (lo > hi ? 0 : quarterOf(hi) - quarterOf(lo) + 1) ? 1 : 0;
        } else if (p.measure === 'last') {
          // The latest follow-up in P (dates in order; the last imported on a tie) meets `where`; none in P: 0.
          num = 0;
          for (let j = b - 1; j >= a; j--) {
            const d = f.dates[j]!;
            if (d <= e && d >= s) {
              num = (f.flags[j]! & p.mask) === p.mask ? 1 : 0;
              break;
            }
          }
        }
        add(p, g, num);
      }
    }
    for (const p of plans) out.set(p.def.id, p.groups);
  }
  return out;
}
