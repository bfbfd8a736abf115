// Per-patient follow-up facts: one read of a patient register and its follow-ups per database state, kept per
// connection, from which every period of the `followups` entries is counted in JavaScript (12 months read once).
// Each follow-up keeps its date as stored and one flag per `where` condition of the entries (evaluated by SQLite
// once, at the read: the conditions do not depend on the period). Only text dates are kept: a number or blob never
// lies between two text dates in SQLite, so it could never count.
import type { Database } from '../db.js';
import { quoteIdent } from '../sql.js';
import { databaseState } from './db-state.js';
import { inlineSqlFunctions, registerSqlFunctions } from './sql-functions.js';

export interface PatientFacts {
  /** Group labels as the SQL engine gives them: CAST(… AS TEXT), null when empty. */
  village: (string | null)[];
  doctor: (string | null)[];
  enrolled: (string | null)[];
  ended: (string | null)[];
  status: (string | null)[];
  /** Follow-up dates of each patient in (date, rowid) order; flags[i][j] is '1' when condition j holds for follow-up i. */
  dates: string[][];
  flags: string[][];
}

const cache = new WeakMap<Database, Map<string, { state: string; facts: PatientFacts }>>();

/**
 * The facts of `patients` (a patient register) with its follow-ups in `followups`, one flag per condition (SQL on
 * the follow-up `f` and the patient `p`). Read again when the database changed (data_version, this connection's changes).
 */
export function patientFacts(db: Database, patients: string, followups: string, conditions: string[]): PatientFacts {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const key = [patients, followups, ...conditions].join('\u0000');
  const state = databaseState(db);
  const hit = perDb.get(key);
  if (hit && hit.state === state) return hit.facts;
  const facts = readFacts(db, patients, followups, conditions);
  perDb.set(key, { state, facts });
  return facts;
}

function readFacts(db: Database, patients: string, followups: string, conditions: string[]): PatientFacts {
  registerSqlFunctions(db);
  const flags = conditions.length ? conditions.map((c) => `CASE WHEN (${c}) THEN '1' ELSE '0' END`).join(' || ') + ' || ' : '';
  // No follow-up table yet: no follow-ups (the patients are still managed).
  const hasFollowups = !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(followups);
  const list = hasFollowups
    ? `(SELECT json_group_array(${flags}f.followup_date ORDER BY f.followup_date, f.rowid)
         FROM ${quoteIdent(followups)} f WHERE f.patient_id = p.patient_id AND typeof(f.followup_date) = 'text')`
    : "'[]'";
  const sql = inlineSqlFunctions(`SELECT CAST(p.village AS TEXT), CAST(p.doctor AS TEXT), p.enrolled_date, p.ended_date, p.status, ${list}
    FROM ${quoteIdent(patients)} p`);
  const k = conditions.length;
  const out: PatientFacts = { village: [], doctor: [], enrolled: [], ended: [], status: [], dates: [], flags: [] };
  const none: string[] = [];
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    out.village.push(r[0] as string | null);
    out.doctor.push(r[1] as string | null);
    out.enrolled.push(text(r[2]));
    out.ended.push(text(r[3]));
    out.status.push(text(r[4]));
    const all = r[5] as string;
    if (all === '[]') {
      out.dates.push(none);
      out.flags.push(none);
      continue;
    }
    const items = JSON.parse(all) as string[];
    const d: string[] = new Array(items.length);
    const f: string[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      f[i] = items[i]!.slice(0, k);
      d[i] = items[i]!.slice(k);
    }
    out.dates.push(d);
    out.flags.push(f);
  }
  return out;
}

/** Dates and statuses as SQLite compares them: text (a number stored in a TEXT column comes back as text already). */
function text(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
}
