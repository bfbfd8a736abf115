// The facts of the built-in follow-up and record entries, and what the data-quality notes need of each register,
// stored beside the registers at the end of an import (importFiles' afterImport hook, passed by the CLI) for every
// family or register the import changed, or whose stored copy is missing or of another format: a fresh process then
// counts from them from the first period on.
import { tableExists, type Database } from '../db.js';
import { loadIndicatorCatalog } from '../catalog/indicators.js';
import { followupFactsFresh, storeFollowupFacts } from './followup-facts.js';
import { recordFactsFresh, storeRecordFacts, type RecordsFamily } from './record-facts.js';
import { registerSqlFunctions } from './sql-functions.js';
import { storeQualityFacts } from './quality.js';
import { allStoredFactsFresh } from './stored-facts.js';

const distinct = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();

/** Families of the built-in catalogue: follow-ups by (patients, follow-ups), records by (register, created, where). */
function families() {
  const followups = new Map<string, { patients: string; followups: string; conditions: (string | undefined)[] }>();
  const records = new Map<string, { family: RecordsFamily; nums: (string | undefined)[]; withins: (string | undefined)[] }>();
  for (const d of loadIndicatorCatalog().all) {
    const c = d.compute;
    if (c.kind === 'followups') {
      const k = `${d.register}\u0000${c.followups}`;
      const f = followups.get(k) ?? { patients: d.register, followups: c.followups, conditions: [] };
      followups.set(k, f);
      f.conditions.push(c.where);
    } else if (c.kind === 'records') {
      const k = [d.register, c.created, c.where ?? ''].join('\u0000');
      const f = records.get(k) ?? { family: { register: d.register, created: c.created, where: c.where }, nums: [], withins: [] };
      records.set(k, f);
      f.nums.push(c.num);
      f.withins.push(c.numWithin);
    }
  }
  return { followups: [...followups.values()], records: [...records.values()] };
}

/** The registers a stored row was read from, by its key (`followups` patients follow-ups, `records` register …, `quality` register). */
const registersOf = (key: string) => {
  const [kind, a, b] = key.split('\u0000');
  return kind === 'followups' ? [a!, b!] : [a!];
};

const tablesOf = (db: Database) => new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);

/**
 * Store the facts of every family that is not fresh (inside the caller's transaction, or in its own). When every
 * stored row is fresh (an import of other registers) the catalogue is not even read. A family the catalogue gains
 * is stored once another row is refreshed, or at once with a new FORMAT (stored-facts.ts).
 */
export function refreshIndicatorFacts(db: Database): void {
  if (allStoredFactsFresh(db, registersOf)) return;
  const run = () => {
    registerSqlFunctions(db);
    const { followups, records } = families();
    for (const f of followups) {
      if (tableExists(db, f.patients) && tableExists(db, f.followups) && !followupFactsFresh(db, f.patients, f.followups)) {
        storeFollowupFacts(db, f.patients, f.followups, distinct(f.conditions));
      }
    }
    for (const r of records) {
      if (tableExists(db, r.family.register) && !recordFactsFresh(db, r.family)) storeRecordFacts(db, r.family, distinct(r.nums), distinct(r.withins));
    }
    storeQualityFacts(db, tablesOf(db));
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
}
