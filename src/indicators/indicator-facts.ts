// The facts of the built-in follow-up and record entries, and what the data-quality notes need of each register,
// stored beside the registers at the end of an import (importFiles' afterImport hook, passed by the CLI) for every
// family or register the import changed, or whose stored copy is missing or of another format: a fresh process then
// counts from them from the first period on.
import { tableExists, type Database } from '../db.js';
import { loadIndicatorCatalog } from '../catalog/indicators.js';
import { followupFactsFresh, storeFollowupFacts } from './followup-facts.js';
import { recordFactsFresh, storeRecordFacts, type RecordsFamily } from './record-facts.js';
import { registerSqlFunctions } from './sql-functions.js';
import { childVisitFactsFresh, storeChildVisitFacts } from './child-visit-facts.js';
import { storeQualityFacts } from './quality.js';
import { allStoredFactsFresh, readStoredFacts, writeStoredFacts } from './stored-facts.js';

const distinct = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();

/** Families of the built-in catalogue: follow-ups by (patients, follow-ups), records by (register, created, where). */
function families() {
  let childVisits = false;
  const followups = new Map<string, { patients: string; followups: string; conditions: (string | undefined)[] }>();
  const records = new Map<string, { family: RecordsFamily; nums: (string | undefined)[]; withins: (string | undefined)[] }>();
  for (const d of loadIndicatorCatalog().all) {
    const c = d.compute;
    if (c.kind === 'followups') {
      const k = `${d.register}\u0000${c.followups}`;
      const f = followups.get(k) ?? { patients: d.register, followups: c.followups, conditions: [] };
      followups.set(k, f);
      f.conditions.push(c.where);
    } else if (c.kind === 'sql' && c.facts) {
      childVisits = true;
    } else if (c.kind === 'records') {
      const k = [d.register, c.created, c.where ?? ''].join('\u0000');
      const f = records.get(k) ?? { family: { register: d.register, created: c.created, where: c.where }, nums: [], withins: [] };
      records.set(k, f);
      f.nums.push(c.num);
      f.withins.push(c.numWithin);
    }
  }
  return { followups: [...followups.values()], records: [...records.values()], childVisits };
}

/**
 * The registers a stored row was read from, by its key (`followups` patients follow-ups, `childvisits` children
 * child_visits, `records` register …, `quality` register; `tables`: none, see below).
 */
const registersOf = (key: string) => {
  const [kind, a, b] = key.split('\u0000');
  return kind === 'tables' ? [] : kind === 'followups' || kind === 'childvisits' ? [a!, b!] : [a!];
};

const tablesOf = (db: Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
/** The row naming the tables the database had when the facts were last refreshed: a register table new since then has no facts yet. */
const TABLES_KEY = 'tables';

/**
 * Store the facts of every family that is not fresh (inside the caller's transaction, or in its own). When every
 * stored row is fresh and no table was created since (an import of registers no family reads) the catalogue is not
 * even read. A family the catalogue gains is stored once another row is refreshed, or at once with a new FORMAT
 * (stored-facts.ts).
 */
export function refreshIndicatorFacts(db: Database): void {
  if (allStoredFactsFresh(db, registersOf) && readStoredFacts(db, TABLES_KEY, [])?.texts === JSON.stringify(tablesOf(db))) return;
  const run = () => {
    registerSqlFunctions(db);
    const { followups, records, childVisits } = families();
    for (const f of followups) {
      if (tableExists(db, f.patients) && tableExists(db, f.followups) && !followupFactsFresh(db, f.patients, f.followups)) {
        storeFollowupFacts(db, f.patients, f.followups, distinct(f.conditions));
      }
    }
    for (const r of records) {
      if (tableExists(db, r.family.register) && !recordFactsFresh(db, r.family)) storeRecordFacts(db, r.family, distinct(r.nums), distinct(r.withins));
    }
    if (childVisits && tableExists(db, 'children') && tableExists(db, 'child_visits') && !childVisitFactsFresh(db)) storeChildVisitFacts(db);
    storeQualityFacts(db, new Set(tablesOf(db)));
    writeStoredFacts(db, TABLES_KEY, [], { columns: [], texts: JSON.stringify(tablesOf(db)) });
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
}
