// Counting: numerators and denominators of catalogue entries for a period, whole unit and per group, as plain data
// (no targets, no result assembly) — what a helper thread can compute and send back.
import { tableExists, type Database } from '../db.js';
import { countedCompute, type IndicatorDef, type SqlCompute } from '../catalog/indicators.js';
import { quoteIdent, quoteString } from '../sql.js';
import { computeImmunization } from './immunization/compute.js';
import { countFollowups, type FollowupsDef } from './followup-count.js';
import { countRecords, type RecordsDef } from './record-count.js';
import { countChildVisits } from './child-visit-facts.js';
import { databaseState } from './db-state.js';
import { periodYear } from './period.js';
import { boundParameters, runQuery, type QueryOptions } from './sql-query.js';
import { dataQualityNotes } from './quality.js';
import { UNKNOWN_GROUP, type ComputeResult, type DataQualityNote, type Period } from './types.js';

export interface Counts {
  num: number | null;
  den: number | null;
  reason?: string;
}


function tableHasRows(db: Database, table: string, cache: Map<string, boolean>): boolean {
  let v = cache.get(table);
  if (v === undefined) {
    v = tableExists(db, table) && !!db.prepare(`SELECT 1 FROM ${quoteIdent(table)} LIMIT 1`).get();
    cache.set(table, v);
  }
  return v;
}

/** Σ population.<column> for the year of E: total and per village; null when the year has no data. */
function populationSums(db: Database, column: string, year: number, cache: Map<string, { total: number | null; byVillage: Map<string, number> }>) {
  const key = `${column}:${year}`;
  let hit = cache.get(key);
  if (!hit) {
    const byVillage = new Map<string, number>();
    let total: number | null = null;
    if (tableExists(db, 'population')) {
      const rows = db
        .prepare(`SELECT coalesce(village, ${quoteString(UNKNOWN_GROUP)}) AS g, sum(${quoteIdent(column)}) AS v FROM population WHERE year = ? AND ${quoteIdent(column)} IS NOT NULL GROUP BY g`)
        .all(year) as { g: string; v: number }[];
      for (const r of rows) {
        byVillage.set(r.g, r.v);
        total = (total ?? 0) + r.v;
      }
    }
    hit = { total, byVillage };
    cache.set(key, hit);
  }
  return hit;
}

/** Run one SQL entry: { group → {num, den} } (group '' = whole unit when by is null). */
function runSql(db: Database, def: IndicatorDef & { compute: SqlCompute }, period: Period, by: 'village' | 'doctor' | null, opts: QueryOptions) {
  const g = by ? `coalesce(CAST(${by} AS TEXT), ${quoteString(UNKNOWN_GROUP)})` : "''";
  const sql = def.compute.sql;
  const params = boundParameters(def, 'sql', sql, period);
  // Grouped by the plain column (not the label expression) so that an index on it can give the order without a sort.
  const query = `SELECT ${g} AS g, sum(num) AS num, sum(den) AS den, count(*) AS n FROM (${sql})${by ? ` GROUP BY ${by}` : ''}`;
  const rows = runQuery<{ g: string; num: number | null; den: number | null; n: number }>(db, def, 'sql', sql, query, params, opts);
  // NULL and '' villages (or a number and its text) are separate SQL groups with one label: add them up.
  const out = new Map<string, { num: number; den: number }>();
  for (const r of rows) {
    if (!by && !r.n) continue;
    const c = out.get(r.g) ?? { num: 0, den: 0 };
    c.num += r.num ?? 0;
    c.den += r.den ?? 0;
    out.set(r.g, c);
  }
  return out;
}


/** Counts per indicator (whole unit and per group), as plain data a helper thread can send back. */
export interface DefCounts {
  perDef: [string, { total: Counts; groups: [string, Counts][] }][];
  immNotes: ComputeResult['notes'];
  schedule: string;
  /** The data-quality notes, from the thread that claimed that task (opts.notes). */
  notes?: DataQualityNote[];
}

/**
 * Numerators and denominators of `defs` for a period (no targets, no result assembly). With `claim`, the SQL
 * entries are shared with another thread: each call of claim() returns the index (among the SQL entries of
 * `defs`, in order) of the next one to count here, until it passes the end. Follow-up and record entries are all
 * counted here (the helper thread is given none). With `opts.notes` one more task follows the SQL entries: the
 * data-quality scan, so that it runs on whichever thread is free first.
 */
export function countIndicators(db: Database, opts: { schedule?: string; sqlTimeoutMs?: number; notes?: boolean }, period: Period, by: 'village' | 'doctor' | null, defs: IndicatorDef[], claim?: () => number): DefCounts {
  const year = periodYear(period);
  const hasRows = new Map<string, boolean>();
  const popCache = new Map<string, { total: number | null; byVillage: Map<string, number> }>();

  // Per indicator: total counts and per-group counts.
  const perDef = new Map<string, { total: Counts; groups: Map<string, Counts> }>();

  const immIds = defs.filter((d) => d.compute.kind === 'immunization').map((d) => d.id);
  let immNotes: ComputeResult['notes'] = [];
  let scheduleLabel = opts.schedule ?? '2021';
  if (immIds.length) {
    const noChildren = !tableHasRows(db, 'children', hasRows);
    if (noChildren) {
      for (const id of immIds) perDef.set(id, { total: { num: null, den: null, reason: '尚未导入儿童花名册（children）' }, groups: new Map() });
    } else {
      const imm = computeImmunization(db, { period, by, schedule: opts.schedule, only: immIds });
      scheduleLabel = imm.schedule;
      immNotes = imm.notes;
      for (const c of imm.counts) {
        const e = perDef.get(c.id) ?? { total: { num: 0, den: 0 }, groups: new Map<string, Counts>() };
        if (c.group === null) e.total = { num: c.numerator, den: c.denominator };
        else e.groups.set(c.group, { num: c.numerator, den: c.denominator });
        perDef.set(c.id, e);
      }
    }
  }

  const missing = (def: IndicatorDef) => !tableExists(db, def.register) || (!def.custom && !tableHasRows(db, def.register, hasRows));
  const noRegister = (def: IndicatorDef) => perDef.set(def.id, { total: { num: null, den: null, reason: `尚未导入登记表（${def.register}）` }, groups: new Map() });
  /** Whole unit and groups of an entry from its per-group counts, with the population denominator when it has one. */
  const finish = (def: IndicatorDef, rows: Map<string, { num: number; den: number }>, popCol: string | undefined) => {
    const total: Counts = { num: 0, den: 0 };
    for (const c of rows.values()) {
      total.num! += c.num ?? 0;
      total.den! += c.den ?? 0;
    }
    const groups = by ? new Map<string, Counts>([...rows].map(([g, c]) => [g, { ...c }])) : new Map<string, Counts>();
    if (popCol) {
      const pop = populationSums(db, popCol, year, popCache);
      if (pop.total === null) {
        total.den = null;
        total.reason = `缺少${year}年人口基础数据（${popCol}），无法计算`;
      } else total.den = pop.total;
      if (by === 'village') {
        for (const v of pop.byVillage.keys()) if (!groups.has(v)) groups.set(v, { num: 0, den: 0 });
        for (const [g, c] of groups) {
          const d = pop.byVillage.get(g);
          if (d === undefined) {
            c.den = null;
            c.reason = `人口基础数据中没有「${g}」${year}年的数据`;
          } else c.den = d;
        }
      } else if (by === 'doctor') {
        for (const c of groups.values()) {
          c.den = null;
          c.reason = '人口基础数据不分责任医生，无法按医生计算此率';
        }
      }
    }
    perDef.set(def.id, { total, groups });
  };

  // Follow-up and record entries are counted by their kind's counter, which reads once per register family (kept
  // per connection) for all its entries; SQL entries are claimed one at a time.
  const followups: IndicatorDef[] = [];
  const records: IndicatorDef[] = [];
  const sqlDefs = defs.filter((d): d is IndicatorDef & { compute: SqlCompute } => d.compute.kind === 'sql');
  for (const d of defs) (d.compute.kind === 'followups' ? followups : d.compute.kind === 'records' ? records : []).push(d);
  const present = (unit: IndicatorDef[]) =>
    unit.filter((d) => {
      if (!missing(d)) return true;
      noRegister(d);
      return false;
    });
  const direct = (d: FollowupsDef, sql: string) => runSql(db, { ...d, compute: { kind: 'sql', sql } }, period, by, {});
  for (const [unit, count] of [
    [present(followups), (u: IndicatorDef[]) => countFollowups(db, u as FollowupsDef[], period, by, direct)],
    [present(records), (u: IndicatorDef[]) => countRecords(db, u as RecordsDef[], period, by)],
  ] as const) {
    if (!unit.length) continue;
    const counted = count(unit);
    for (const d of unit) finish(d, counted.get(d.id)!, countedCompute(d)?.denominatorPopulation);
  }
  // With opts.notes, the task after the last SQL entry is the data-quality scan (whichever thread is free first).
  let notes: DataQualityNote[] | undefined;
  let next = 0;
  for (let i = claim ? claim() : next++; i < sqlDefs.length + (opts.notes ? 1 : 0); i = claim ? claim() : next++) {
    if (i === sqlDefs.length) {
      notes = dataQualityNotes(db, { period, year });
      continue;
    }
    const def = sqlDefs[i]!;
    if (!present([def]).length) continue;
    // A built-in entry with stored facts counts from them while they are fresh (the same figures), else runs its SQL.
    const stored = def.compute.facts && !def.custom ? countChildVisits(db, databaseState(db), def.compute.facts, period, by) : undefined;
    finish(def, stored ?? runSql(db, def, period, by, { timeoutMs: opts.sqlTimeoutMs }), def.compute.denominatorPopulation);
  }

  return {
    perDef: [...perDef].map(([id, e]) => [id, { total: e.total, groups: [...e.groups] }]),
    immNotes,
    schedule: scheduleLabel,
    ...(notes ? { notes } : {}),
  };
}

