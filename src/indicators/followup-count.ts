// The `followups` entries (patients managed in P, their follow-ups in P): counted per group from the per-patient facts
// with the same rules, written in JavaScript, as the SQL functions managed() and required_followups() inlined
// (sql-functions.ts): on YYYYMMDD numbers for plain dates, on the texts as SQLite compares them otherwise.
import { tableExists, type Database } from '../db.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import { quoteIdent } from '../sql.js';
import { databaseState } from './db-state.js';
import { textDayOf, quarterOfDay } from './text-day.js';
import { patientFacts, type OddPatient, type PatientFacts } from './followup-facts.js';
import { UNKNOWN_GROUP, type Period } from './types.js';

export type FollowupsDef = IndicatorDef & { compute: { kind: 'followups' } };
/** One entry's counts per group slot. */
type Plan = { def: FollowupsDef; measure: 'managed' | 'visits' | 'last'; mask: number; flag: number; num: Int32Array };
type Direct = (def: FollowupsDef, sql: string) => Map<string, { num: number; den: number }>;

/** SQLite's CAST(text AS INTEGER): the leading integer, 0 when there is none. */
const castInt = (s: string) => parseInt(s, 10) || 0;
const quarterOfText = (d: string) => castInt(d.slice(0, 4)) * 4 + Math.trunc((castInt(d.slice(5, 7)) - 1) / 3);

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

/** num of a visits or last entry for a patient kept as stored. */
function oddNum(p: OddPatient, plan: Plan, S: string, E: string): number {
  const { dates, flags } = p;
  const ok = (j: number) => plan.flag < 0 || flags[j]![plan.flag] === '1';
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

/**
 * One pass over the patients for a period (the hot loop, a function of its own so that it is optimised once for
 * every family): each plan's num per group slot, and the patients managed in P per slot, returned.
 */
function countPatients(f: PatientFacts, plans: Plan[], labels: Int32Array | null, S: string, E: string): Int32Array {
  const s = textDayOf(S);
  const e = textDayOf(E);
  const visits = plans.filter((p) => p.measure === 'visits');
  const lasts = plans.filter((p) => p.measure === 'last');
  const none = f.labels.length;
  /** Patients managed in P per group slot. */
  const managed = new Int32Array(none + 1);
  for (let i = 0; i < f.count; i++) {
    const odd = f.odd.size ? f.odd.get(i) : undefined;
    if (odd) {
      if (!managedText(odd, S, E)) continue;
      const g = labels && labels[i]! >= 0 ? labels[i]! : none;
      managed[g]++;
      for (const p of plans) if (p.measure !== 'managed') p.num[g] += oddNum(odd, p, S, E);
      continue;
    }
    const enrolled = f.enrolled[i]!;
    const ended = f.ended[i]!;
    // managed(): enrolled ≤ E; with an end date, ended ≥ S and ≥ enrolled; without one, status 在管.
    if (!enrolled || enrolled > e || (ended ? ended < s || ended < enrolled : !f.inCare[i])) continue;
    const g = labels && labels[i]! >= 0 ? labels[i]! : none;
    managed[g]++;
    const a = f.from[i]!;
    const b = f.from[i + 1]!;
    if (visits.length) {
      // Follow-ups meeting `where` in P and in the managed span, at least q of them.
      const lo = s > enrolled ? s : enrolled;
      const hi = ended && ended < e ? ended : e;
      const q = lo > hi ? 0 : quarterOfDay(hi) - quarterOfDay(lo) + 1;
      for (const p of visits) {
        let n = 0;
        for (let j = a; j < b; j++) {
          const d = f.dates[j]!;
          if (d >= lo && d <= hi && (f.flags[j]! & p.mask) === p.mask) n++;
        }
        if (n >= q) p.num[g]++;
      }
    }
    if (lasts.length) {
      // The latest follow-up in P (dates in order; the last imported on a tie) meets `where`; none in P: 0.
      for (let j = b - 1; j >= a; j--) {
        const d = f.dates[j]!;
        if (d <= e && d >= s) {
          const flags = f.flags[j]!;
          for (const p of lasts) if ((flags & p.mask) === p.mask) p.num[g]++;
          break;
        }
      }
    }
  }
  return managed;
}

/**
 * Counts per group label ('' for the whole unit) of each entry, as the SQL engine would give them: from the stored
 * facts when they are fresh; otherwise the first period of a database state runs each entry's SQL form through
 * `direct`, and from a second period on the facts are read once from the registers.
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
  const state = databaseState(db);
  for (const family of families.values()) {
    const conditions = [...new Set(family.map((d) => d.compute.where).filter((w): w is string => !!w))].sort();
    const [P, F] = [family[0]!.register, family[0]!.compute.followups];
    const f = patientFacts(db, state, P, F, conditions, direct && tableExists(db, F) ? `${S}..${E}:${by}` : null);
    if (!f) {
      for (const d of family) out.set(d.id, direct!(d, followupsSql(d)));
      continue;
    }
    const plans: Plan[] = family.map((d) => {
      const flag = d.compute.where ? f.conditions.indexOf(d.compute.where) : -1;
      return { def: d, measure: d.compute.measure, flag, mask: flag < 0 ? 0 : 1 << flag, num: new Int32Array(f.labels.length + 1) };
    });
    // Group slot of each patient: its label's index, the last slot for an empty label (or the whole unit).
    const labels = by === 'village' ? f.village : by === 'doctor' ? f.doctor : null;
    const none = f.labels.length;
    const managed = countPatients(f, plans, labels, S, E);
    for (const p of plans) {
      // managed: the patients managed in P (den NULL in the SQL form); visits and last: of those, the ones counted.
      const num = p.measure === 'managed' ? managed : p.num;
      const den = p.measure === 'managed' ? new Int32Array(none + 1) : managed;
      const groups = new Map<string, { num: number; den: number }>();
      for (let g = 0; g <= none; g++) {
        if (!managed[g]) continue;
        const key = !labels ? '' : g === none ? UNKNOWN_GROUP : f.labels[g]!;
        const c = groups.get(key); // a label written as UNKNOWN_GROUP and an empty one: one group, as in SQL's result
        if (c) {
          c.num += num[g]!;
          c.den += den[g]!;
        } else groups.set(key, { num: num[g]!, den: den[g]! });
      }
      out.set(p.def.id, groups);
    }
  }
  return out;
}
