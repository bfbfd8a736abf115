// Per-patient follow-up facts: one read of a patient register and its follow-ups per database state, kept per
// connection, from which every period of the `followups` entries is counted in JavaScript (12 months read once).
// Each follow-up keeps its date and one flag per `where` condition of the entries (evaluated by SQLite once, at the
// read: the conditions do not depend on the period). Only text dates are kept: a number or blob never lies between
// two text dates in SQLite, so it could never count.
// Compact form: a patient whose dates are all plain has them as day numbers (text-day.ts: in the order of the
// texts); any other patient keeps the texts as stored (`odd`). A fresh copy stored at import (stored-facts.ts) is
// read instead of the registers when there is one.
import { tableExists, type Database } from '../db.js';
import { quoteIdent } from '../sql.js';
import { connectionCache } from './db-state.js';
import { labelTable, readStoredFacts, storedFactsFresh, writeStoredFacts, type StoredFacts } from './stored-facts.js';
import { inlineSqlFunctions, registerSqlFunctions } from './sql-functions.js';
import { textDay, plainDay } from './text-day.js';
import { Int32List } from '../int32-list.js';

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
  /** What flag bit j stands for: the SQL condition on the follow-up `f` and the patient `p`. */
  conditions: string[];
  /** Group labels as the SQL engine gives them (CAST(… AS TEXT)); village[i] and doctor[i] index them, −1 when empty. */
  labels: string[];
  village: Int32Array;
  doctor: Int32Array;
  /** Day numbers (text-day.ts); 0 for no date. */
  enrolled: Int32Array;
  ended: Int32Array;
  /** 1 when the status is exactly 在管. */
  inCare: Int32Array;
  /** Follow-ups of patient i: from[i] … from[i + 1] − 1 in dates (day numbers) and flags (bit j: condition j). */
  from: Int32Array;
  dates: Int32Array;
  flags: Int32Array;
  /** Patients not in the compact form, by index. */
  odd: Map<number, OddPatient>;
}

/** Per database state: the stored facts of a (patients, follow-ups) pair, checked once, and the facts read per condition set. */
const facts = connectionCache<{ stored: PatientFacts | undefined; read: Map<string, PatientFacts> }>();
/** Per database state: the periods asked of a (patients, follow-ups, conditions) family. */
const asked = connectionCache<Set<string>>();

const storeKey = (patients: string, followups: string) => `followups\u0000${patients}\u0000${followups}`;

/**
 * The facts of `patients` (a patient register) with its follow-ups in `followups`, with a flag for each of
 * `conditions` (SQL on the follow-up `f` and the patient `p`), in the database state `state` (databaseState): the
 * stored copy when it is fresh and has every condition; otherwise read from the registers once another period was
 * asked in this state before — undefined for the first one (one period alone is counted as cheaply by the SQL form);
 * `period` null: read now.
 */
export function patientFacts(db: Database, state: string, patients: string, followups: string, conditions: string[], period: string | null): PatientFacts | undefined {
  const e = facts(db, `${patients}\u0000${followups}`, state, () => ({ stored: storedFacts(db, patients, followups), read: new Map() }));
  if (e.stored && conditions.every((c) => e.stored!.conditions.includes(c))) return e.stored;
  const key = conditions.join('\u0000');
  let f = e.read.get(key);
  if (f) return f;
  if (period !== null) {
    const periods = asked(db, `${patients}\u0000${followups}\u0000${key}`, state, () => new Set());
    periods.add(period);
    if (periods.size === 1) return undefined;
  }
  e.read.set(key, (f = readFacts(db, patients, followups, conditions)));
  return f;
}

/** Read the facts of a family from the registers and store them (inside the caller's transaction). */
export function storeFollowupFacts(db: Database, patients: string, followups: string, conditions: string[]): void {
  writeStoredFacts(db, storeKey(patients, followups), [patients, followups], encode(readFacts(db, patients, followups, conditions)));
}

/** Whether the stored facts of a family describe its registers as they are. */
export const followupFactsFresh = (db: Database, patients: string, followups: string): boolean => storedFactsFresh(db, storeKey(patients, followups), [patients, followups]);

function storedFacts(db: Database, patients: string, followups: string): PatientFacts | undefined {
  const s = readStoredFacts(db, storeKey(patients, followups), [patients, followups]);
  return s && decode(s);
}

/** Stored form: columns enrolled, ended, inCare, village, doctor, follow-ups per patient, dates, flags; JSON texts. */
function encode(f: PatientFacts): StoredFacts {
  const perPatient = new Int32Array(f.count);
  for (let i = 0; i < f.count; i++) perPatient[i] = f.from[i + 1]! - f.from[i]!;
  return {
    columns: [f.enrolled, f.ended, f.inCare, f.village, f.doctor, perPatient, f.dates, f.flags],
    texts: JSON.stringify({ conditions: f.conditions, labels: f.labels, odd: [...f.odd] }),
  };
}

function decode(s: StoredFacts): PatientFacts {
  const [enrolled, ended, inCare, village, doctor, perPatient, dates, flags] = s.columns as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  const from = new Int32Array(perPatient.length + 1);
  for (let i = 0; i < perPatient.length; i++) from[i + 1] = from[i]! + perPatient[i]!;
  const t = JSON.parse(s.texts) as { conditions: string[]; labels: string[]; odd: [number, OddPatient][] };
  // The same key order as readFacts gives (one object shape for the counting loop).
  return { count: perPatient.length, conditions: t.conditions, labels: t.labels, village, doctor, enrolled, ended, inCare, from, dates, flags, odd: new Map(t.odd) };
}

const DIGITS = (x: string) => `(substr(${x}, 1, 4) || substr(${x}, 6, 2) || substr(${x}, 9, 2))`;

function readFacts(db: Database, patients: string, followups: string, conditions: string[]): PatientFacts {
  registerSqlFunctions(db);
  const k = conditions.length;
  const flags = k ? conditions.map((c) => `CASE WHEN (${c}) THEN '1' ELSE '0' END`).join(' || ') + ' || ' : '';
  // No follow-up table yet: no follow-ups (the patients are still managed).
  const hasFollowups = tableExists(db, followups);
  // Plain dates: one string of fixed-width items (flags, then 8 digits); otherwise a JSON array of flags || date.
  const list = hasFollowups
    ? `(SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(f.followup_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') THEN group_concat(${flags}${DIGITS('f.followup_date')}, '' ORDER BY f.followup_date, f.rowid) ELSE '#' END
         FROM ${quoteIdent(followups)} f WHERE f.patient_id = p.patient_id AND typeof(f.followup_date) = 'text')`
    : 'NULL';
  // A patient with a follow-up date that is not plain ('#' above): its follow-ups as stored, read on their own.
  const oddList = hasFollowups
    ? db.prepare(inlineSqlFunctions(`SELECT json_group_array(${flags}f.followup_date ORDER BY f.followup_date, f.rowid)
        FROM ${quoteIdent(patients)} p JOIN ${quoteIdent(followups)} f ON f.patient_id = p.patient_id
        WHERE p.rowid = ? AND typeof(f.followup_date) = 'text'`)).pluck()
    : undefined;
  const sql = inlineSqlFunctions(`SELECT CAST(p.village AS TEXT), CAST(p.doctor AS TEXT), p.rowid, p.enrolled_date, p.ended_date, p.status, ${list}
    FROM ${quoteIdent(patients)} p`);
  const { labels, label } = labelTable();
  const village = new Int32List();
  const doctor = new Int32List();
  const enrolled = new Int32List();
  const ended = new Int32List();
  const inCare = new Int32List();
  const from = new Int32List();
  from.push(0);
  const dates = new Int32List();
  const bits = new Int32List();
  const odd = new Map<number, OddPatient>();
  const width = k + 8;
  const digits = (list: string, at: number, n: number) => {
    let v = 0;
    for (let j = at; j < at + n; j++) v = v * 10 + (list.charCodeAt(j) - 48);
    return v;
  };
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    const i = village.length;
    village.push(label(r[0]));
    doctor.push(label(r[1]));
    // No date: 0; a plain date: its day number; anything else: −1, the patient is kept as stored.
    const e = r[3] === null ? 0 : plainDay(r[3]);
    const x = r[4] === null ? 0 : plainDay(r[4]);
    enrolled.push(Math.max(e, 0));
    ended.push(Math.max(x, 0));
    inCare.push(r[5] === '在管' ? 1 : 0);
    const list = r[6] as string | null;
    let plain = e >= 0 && x >= 0 && list !== '#';
    const first = dates.length;
    if (plain && list !== null) {
      for (let p = 0; p < list.length; p += width) {
        let b = 0;
        for (let j = 0; j < k; j++) if (list.charCodeAt(p + j) === 49) b |= 1 << j;
        const [y, m, d] = [digits(list, p + k, 4), digits(list, p + k + 4, 2), digits(list, p + k + 6, 2)];
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) {
          plain = false; // shaped like a date but not plain (2025-13-01): kept as stored
          break;
        }
        bits.push(b);
        dates.push(textDay(y, m, d));
      }
    }
    if (!plain) {
      // Kept as stored: the texts decide, exactly as SQLite compares them.
      dates.length = first;
      bits.length = first;
      const items: string[] = list === null ? [] : list === '#' ? (JSON.parse(oddList!.get(r[2]) as string) as string[]) : splitPlain(list, k);
      odd.set(i, { enrolled: text(r[3]), ended: text(r[4]), status: text(r[5]), dates: items.map((it) => it.slice(k)), flags: items.map((it) => it.slice(0, k)) });
    }
    from.push(dates.length);
  }
  return {
    count: village.length,
    conditions,
    labels,
    village: village.values(),
    doctor: doctor.values(),
    enrolled: enrolled.values(),
    ended: ended.values(),
    inCare: inCare.values(),
    from: from.values(),
    dates: dates.values(),
    flags: bits.values(),
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


/** Dates and statuses as SQLite compares them: text (a number stored in a TEXT column comes back as text already). */
function text(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
}
