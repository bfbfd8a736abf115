// Per-patient follow-up facts: one read of a patient register and its follow-ups per database state, kept per
// connection, from which every period of the `followups` entries is counted in JavaScript (12 months read once).
// Each follow-up keeps its date and one flag per `where` condition of the entries (evaluated by SQLite once, at the
// read: the conditions do not depend on the period). Only text dates are kept: a number or blob never lies between
// two text dates in SQLite, so it could never count.
// Compact form: a patient whose dates are all plain YYYY-MM-DD has them as YYYYMMDD numbers (for such dates the
// order of the numbers is the order of the texts); any other patient keeps the texts as stored (`odd`).
import { tableExists, type Database } from '../db.js';
import { quoteIdent } from '../sql.js';
import { connectionCache, databaseState } from './db-state.js';
import { inlineSqlFunctions, registerSqlFunctions } from './sql-functions.js';

/** A patient kept as stored: dates in (date, rowid) order, flags[j] the '0'/'1' of each condition. */
export interface OddPatient {
  enrolled: string | null;
  ended: string | null;
  status: string | null;
  dates: string[];
  flags: string[];
}

export interface PatientFacts {
  count: number;
  /** Group labels as the SQL engine gives them: CAST(… AS TEXT), null when empty. */
  village: (string | null)[];
  doctor: (string | null)[];
  /** YYYYMMDD; 0 for no date. */
  enrolled: Int32Array;
  ended: Int32Array;
  /** 1 when the status is exactly 在管. */
  inCare: Uint8Array;
  /** Follow-ups of patient i: from[i] … from[i + 1] − 1 in dates (YYYYMMDD) and flags (bit j: condition j). */
  from: Int32Array;
  dates: Int32Array;
  flags: Int32Array;
  /** Patients not in the compact form, by index. */
  odd: Map<number, OddPatient>;
}

const cache = connectionCache<{ facts?: PatientFacts; periods: Set<string> }>();

/**
 * Whether the facts should be read for this period: they are already read for this database state, or another
 * period was asked in it before (one period alone is counted as cheaply by the SQL form).
 */
export function factsPay(db: Database, patients: string, followups: string, conditions: string[], period: string): boolean {
  const e = entry(db, [patients, followups, ...conditions].join('\u0000'));
  e.periods.add(period);
  return !!e.facts || e.periods.size > 1;
}

function entry(db: Database, key: string) {
  return cache(db, key, databaseState(db), () => ({ periods: new Set<string>() }));
}

/**
 * The facts of `patients` (a patient register) with its follow-ups in `followups`, one flag per condition (SQL on
 * the follow-up `f` and the patient `p`). Read again when the database changed (data_version, this connection's changes).
 */
export function patientFacts(db: Database, patients: string, followups: string, conditions: string[]): PatientFacts {
  const e = entry(db, [patients, followups, ...conditions].join('\u0000'));
  return (e.facts ??= readFacts(db, patients, followups, conditions));
}

const PLAIN = (x: string) => `(${x} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')`;
const DIGITS = (x: string) => `(substr(${x}, 1, 4) || substr(${x}, 6, 2) || substr(${x}, 9, 2))`;
const NUM = (x: string) => `CAST(${DIGITS(x)} AS INTEGER)`;

function readFacts(db: Database, patients: string, followups: string, conditions: string[]): PatientFacts {
  registerSqlFunctions(db);
  const k = conditions.length;
  const flags = k ? conditions.map((c) => `CASE WHEN (${c}) THEN '1' ELSE '0' END`).join(' || ') + ' || ' : '';
  // No follow-up table yet: no follow-ups (the patients are still managed).
  const hasFollowups = tableExists(db, followups);
  // Plain dates: one string of fixed-width items (flags, then 8 digits); otherwise a JSON array of flags || date.
  const list = hasFollowups
    ? `(SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(${PLAIN('f.followup_date')}) THEN group_concat(${flags}${DIGITS('f.followup_date')}, '' ORDER BY f.followup_date, f.rowid) ELSE '#' END
         FROM ${quoteIdent(followups)} f WHERE f.patient_id = p.patient_id AND typeof(f.followup_date) = 'text')`
    : 'NULL';
  // A patient with a follow-up date that is not plain ('#' above): its follow-ups as stored, read on their own.
  const oddList = hasFollowups
    ? db.prepare(inlineSqlFunctions(`SELECT json_group_array(${flags}f.followup_date ORDER BY f.followup_date, f.rowid)
        FROM ${quoteIdent(patients)} p JOIN ${quoteIdent(followups)} f ON f.patient_id = p.patient_id
        WHERE p.rowid = ? AND typeof(f.followup_date) = 'text'`)).pluck()
    : undefined;
  // 0 stands for no date: a year 0000 is kept as stored.
  const plainDate = (x: string) => `(${x} IS NULL OR (${PLAIN(x)} AND ${x} >= '0001'))`;
  const plainPatient = `${plainDate('p.enrolled_date')} AND ${plainDate('p.ended_date')}`;
  const sql = inlineSqlFunctions(`SELECT CAST(p.village AS TEXT), CAST(p.doctor AS TEXT), p.rowid,
      CASE WHEN ${plainPatient} THEN coalesce(${NUM('p.enrolled_date')}, 0) END, coalesce(${NUM('p.ended_date')}, 0),
      coalesce(p.status = '在管', 0), ${list},
      CASE WHEN NOT (${plainPatient}) THEN json_array(p.enrolled_date, p.ended_date, p.status) END
    FROM ${quoteIdent(patients)} p`);
  const village: (string | null)[] = [];
  const doctor: (string | null)[] = [];
  const enrolled: number[] = [];
  const ended: number[] = [];
  const inCare: number[] = [];
  const from: number[] = [0];
  const dates: number[] = [];
  const bits: number[] = [];
  const odd = new Map<number, OddPatient>();
  const width = k + 8;
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    const i = village.length;
    village.push(r[0] as string | null);
    doctor.push(r[1] as string | null);
    enrolled.push((r[3] as number | null) ?? 0);
    ended.push(r[4] as number);
    inCare.push(r[5] as number);
    const list = r[6] as string | null;
    const raw = r[7] as string | null;
    if (raw !== null || list === '#') {
      // Kept as stored: the texts decide, exactly as SQLite compares them.
      const [e, x, s] = raw !== null ? (JSON.parse(raw) as [unknown, unknown, unknown]) : [undefined, undefined, undefined];
      const items: string[] = list === null ? [] : list === '#' ? (JSON.parse(oddList!.get(r[2]) as string) as string[]) : splitPlain(list, k);
      odd.set(i, {
        enrolled: raw !== null ? text(e) : dateText(enrolled[i]!),
        ended: raw !== null ? text(x) : dateText(ended[i]!),
        status: raw !== null ? text(s) : null,
        dates: items.map((it) => it.slice(k)),
        flags: items.map((it) => it.slice(0, k)),
      });
      if (raw === null) odd.get(i)!.status = inCare[i] ? '在管' : null;
      from.push(dates.length);
      continue;
    }
    if (list !== null) {
      for (let p = 0; p < list.length; p += width) {
        let b = 0;
        for (let j = 0; j < k; j++) if (list.charCodeAt(p + j) === 49) b |= 1 << j;
        bits.push(b);
        let d = 0;
        for (let j = k; j < width; j++) d = d * 10 + (list.charCodeAt(p + j) - 48);
        dates.push(d);
      }
    }
    from.push(dates.length);
  }
  return {
    count: village.length,
    village,
    doctor,
    enrolled: Int32Array.from(enrolled),
    ended: Int32Array.from(ended),
    inCare: Uint8Array.from(inCare),
    from: Int32Array.from(from),
    dates: Int32Array.from(dates),
    flags: Int32Array.from(bits),
    odd,
  };
}

/** Fixed-width items (flags, 8 digits) back to flags || YYYY-MM-DD texts. */
function splitPlain(list: string, k: number): string[] {
  const out: string[] = [];
  for (let p = 0; p < list.length; p += k + 8) {
    const it = list.slice(p, p + k + 8);
    out.push(`${it.slice(0, k)}${it.slice(k, k + 4)}-${it.slice(k + 4, k + 6)}-${it.slice(k + 6)}`);
  }
  return out;
}

const dateText = (n: number) => (n ? `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}` : null);

/** Dates and statuses as SQLite compares them: text (a number stored in a TEXT column comes back as text already). */
function text(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
}
