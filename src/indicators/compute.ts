// The indicator engine: runs each catalogue entry's computation for a period, by village or doctor, against targets.
import type { Database } from '../db.js';
import { GongweiError } from '../errors.js';
import type { Target } from '../plan/target.types.js';
import { loadIndicatorCatalog, type IndicatorCatalog, type IndicatorDef } from './catalog.js';
import { computeImmunization } from './immunization/compute.js';
import { parsePeriod, periodYear } from './period.js';
import { dataQualityNotes } from './quality.js';
import { parallelSplit } from './parallel.js';
import { inlineSqlFunctions, registerSqlFunctions } from './sql-functions.js';
import { evaluateTarget } from './targets.js';
import { UNKNOWN_GROUP, type ComputeResult, type IndicatorResult, type Period } from './types.js';

export interface ComputeOptions {
  period: string | Period;
  by?: 'village' | 'doctor' | null;
  /** Ids, names or aliases; default every indicator. */
  only?: string[];
  targets?: Array<{ indicatorId: string; target: Target }>;
  schedule?: string;
  catalog?: IndicatorCatalog;
}

export interface Counts {
  num: number | null;
  den: number | null;
  reason?: string;
}

/** Resolve `--only` entries; unknown ones are a GongweiError with suggestions. */
export function selectIndicators(catalog: IndicatorCatalog, only?: string[]): IndicatorDef[] {
  if (!only?.length) return catalog.all;
  const out: IndicatorDef[] = [];
  for (const raw of only.flatMap((s) => s.split(/[,，、]/)).map((s) => s.trim()).filter(Boolean)) {
    const d = catalog.resolve(raw);
    if (!d) {
      const sug = catalog.suggest(raw).map((x) => `${x.name}（${x.id}）`);
      throw new GongweiError('INDICATOR_UNKNOWN', `未知指标：「${raw}」`, {
        hint: sug.length ? `是否要找：${sug.join('、')}？用 gongwei indicators list 查看全部指标。` : '用 gongwei indicators list 查看全部指标。',
      });
    }
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

function tableExists(db: Database, table: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
}

function tableHasRows(db: Database, table: string, cache: Map<string, boolean>): boolean {
  let v = cache.get(table);
  if (v === undefined) {
    v = tableExists(db, table) && !!db.prepare(`SELECT 1 FROM "${table}" LIMIT 1`).get();
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
        .prepare(`SELECT coalesce(village, '${UNKNOWN_GROUP}') AS g, sum("${column}") AS v FROM population WHERE year = ? AND "${column}" IS NOT NULL GROUP BY g`)
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

function sqlError(def: IndicatorDef, e: unknown): GongweiError {
  const msg = (e as Error).message ?? String(e);
  const where = def.file ? `${def.file}${def.sqlLine ? `:${def.sqlLine}` : ''}` : def.id;
  if (/readonly|read-only|query_only|attempt to write/i.test(msg)) {
    return new GongweiError('INDICATOR_SQL_WRITE', `指标「${def.name}」的 SQL 试图修改数据库，已被拒绝（${where}）`, { hint: '指标 SQL 只能是只读查询（SELECT）。', exitCode: 2, cause: e });
  }
  return new GongweiError('INDICATOR_SQL_ERROR', `指标「${def.name}」的 SQL 执行出错（${where}）：${msg}`, { cause: e, exitCode: 2 });
}

/** Run one SQL entry: { group → {num, den} } (group '' = whole unit when by is null). */
function runSql(db: Database, def: IndicatorDef & { compute: { kind: 'sql' } }, period: Period, by: 'village' | 'doctor' | null) {
  const g = by ? `coalesce(CAST(${by} AS TEXT), '${UNKNOWN_GROUP}')` : "''";
  let own;
  try {
    own = db.prepare(def.compute.sql);
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/more than one statement/i.test(msg)) throw sqlError(def, new Error('只能写一条 SELECT 语句（不能用分号连接多条语句）'));
    throw sqlError(def, e);
  }
  if (!own.readonly || !own.reader) throw sqlError(def, new Error('attempt to write: not a read-only query'));
  let stmt;
  try {
    // Grouped by the plain column (not the label expression) so that an index on it can give the order without a sort.
    stmt = db.prepare(`SELECT ${g} AS g, sum(num) AS num, sum(den) AS den, count(*) AS n FROM (${inlineSqlFunctions(def.compute.sql)})${by ? ` GROUP BY ${by}` : ''}`);
  } catch (e) {
    throw sqlError(def, e);
  }
  const params: Record<string, unknown> = { start: period.start, end: period.end, year: periodYear(period) };
  const names = (def.compute.sql.match(/:[a-z_]+/g) ?? []).map((s) => s.slice(1));
  const bound = Object.fromEntries(names.filter((n) => n in params).map((n) => [n, params[n]]));
  const unknown = names.filter((n) => !(n in params));
  if (unknown.length) throw sqlError(def, new Error(`未知参数 :${unknown[0]}（可用 :start、:end、:year）`));
  let rows: { g: string; num: number | null; den: number | null; n: number }[];
  try {
    rows = stmt.all(bound) as typeof rows;
  } catch (e) {
    throw sqlError(def, e);
  }
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

function makeResult(def: IndicatorDef, period: Period, group: string | null, c: Counts): IndicatorResult {
  const r: IndicatorResult = {
    id: def.id,
    name: def.name,
    unit: def.unit,
    kind: def.kind,
    factor: def.factor,
    period,
    group,
    numerator: c.num,
    denominator: def.kind === 'rate' ? c.den : null,
    value: null,
  };
  if (c.reason) r.reason = c.reason;
  else if (def.kind === 'count') r.value = c.num;
  else if (c.den === null || c.den === 0) r.reason = c.den === 0 ? '分母为0（统计期间内没有应统计的对象）' : '缺少分母数据';
  else r.value = ((c.num ?? 0) / c.den) * def.factor;
  if (r.value !== null && def.unit === '%' && r.value > 100 + 1e-9) r.flags = ['RATE_ABOVE_100'];
  return r;
}

/** Compute indicators for a period; results: whole unit first (group null), then per group in Chinese order. */
export function computeIndicators(db: Database, opts: ComputeOptions): ComputeResult {
  const period = typeof opts.period === 'string' ? parsePeriod(opts.period) : opts.period;
  const by = opts.by ?? null;
  const catalog = opts.catalog ?? loadIndicatorCatalog({ schedule: opts.schedule });
  const defs = selectIndicators(catalog, opts.only);
  registerSqlFunctions(db);
  const custom = defs.some((d) => d.custom);
  const wasQueryOnly = custom ? Boolean(db.pragma('query_only', { simple: true })) : false;
  if (custom) db.pragma('query_only = 1');
  try {
    const split = parallelSplit(db, defs, custom);
    if (!split) return assemble(db, opts, period, by, defs, [countIndicators(db, opts, period, by, defs)]);
    // The helper counts immunization on its own read-only connection; both threads then claim SQL entries in turn.
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const ids = (list: IndicatorDef[]) => list.map((d) => d.id);
    const theirs = split.helper.start({ period, by, schedule: opts.schedule, immunizationIds: ids(split.immunization), sqlIds: ids(split.sql), counter });
    let ours: DefCounts;
    try {
      ours = countIndicators(db, opts, period, by, split.sql, () => Atomics.add(counter, 0, 1));
    } catch (e) {
      Atomics.store(counter, 0, split.sql.length); // nothing more for the helper to claim
      theirs.take(); // its answer must not wait on the port for the next call
      throw e;
    }
    return assemble(db, opts, period, by, defs, [ours, theirs.take()]);
  } finally {
    if (custom && !wasQueryOnly) db.pragma('query_only = 0');
  }
}

/** Counts per indicator (whole unit and per group), as plain data a helper thread can send back. */
export interface DefCounts {
  perDef: [string, { total: Counts; groups: [string, Counts][] }][];
  immNotes: ComputeResult['notes'];
  schedule: string;
}

/**
 * Numerators and denominators of `defs` for a period (no targets, no result assembly). With `claim`, the SQL
 * entries are shared with another thread: each call of claim() returns the index (among the SQL entries of
 * `defs`, in order) of the next one to count here, until it passes the end.
 */
export function countIndicators(db: Database, opts: { schedule?: string }, period: Period, by: 'village' | 'doctor' | null, defs: IndicatorDef[], claim?: () => number): DefCounts {
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

  type SqlDef = IndicatorDef & { compute: { kind: 'sql' } };
  const sqlDefs = defs.filter((d): d is SqlDef => d.compute.kind === 'sql');
  let next = 0;
  for (let i = claim ? claim() : next++; i < sqlDefs.length; i = claim ? claim() : next++) {
    const def = sqlDefs[i]!;
    if (!tableExists(db, def.register) || (!def.custom && !tableHasRows(db, def.register, hasRows))) {
      perDef.set(def.id, { total: { num: null, den: null, reason: `尚未导入登记表（${def.register}）` }, groups: new Map() });
      continue;
    }
    const rows = runSql(db, def, period, by);
    const total: Counts = { num: 0, den: 0 };
    for (const c of rows.values()) {
      total.num! += c.num ?? 0;
      total.den! += c.den ?? 0;
    }
    const groups = by ? new Map<string, Counts>([...rows].map(([g, c]) => [g, { ...c }])) : new Map<string, Counts>();
    const popCol = def.compute.denominatorPopulation;
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
  }

  return {
    perDef: [...perDef].map(([id, e]) => [id, { total: e.total, groups: [...e.groups] }]),
    immNotes,
    schedule: scheduleLabel,
  };
}

/**
 * Counts of a group that has no row for this indicator (it appears in other indicators' results). With a population
 * denominator the group is not a village of the population data for the year (those were all added when counting),
 * so it has no denominator — never a denominator of 0.
 */
function emptyGroup(def: IndicatorDef, g: string, by: 'village' | 'doctor' | null, year: number): Counts {
  const popCol = def.compute.kind === 'sql' ? def.compute.denominatorPopulation : undefined;
  if (!popCol) return { num: 0, den: 0 };
  return by === 'doctor'
    ? { num: 0, den: null, reason: '人口基础数据不分责任医生，无法按医生计算此率' }
    : { num: 0, den: null, reason: `人口基础数据中没有「${g}」${year}年的数据` };
}

function assemble(db: Database, opts: ComputeOptions, period: Period, by: 'village' | 'doctor' | null, defs: IndicatorDef[], counted: DefCounts[]): ComputeResult {
  const year = periodYear(period);
  const perDef = new Map<string, { total: Counts; groups: Map<string, Counts> }>();
  let immNotes: ComputeResult['notes'] = [];
  let scheduleLabel = opts.schedule ?? '2021';
  for (const c of counted) {
    for (const [id, e] of c.perDef) perDef.set(id, { total: e.total, groups: new Map(e.groups) });
    if (c.immNotes.length) immNotes = c.immNotes;
    if (c.perDef.some(([id]) => defs.find((d) => d.id === id)?.compute.kind === 'immunization')) scheduleLabel = c.schedule;
  }
  const targets = new Map((opts.targets ?? []).map((t) => [t.indicatorId, t.target]));
  const results: IndicatorResult[] = [];
  const allGroups = new Set<string>();
  for (const e of perDef.values()) for (const g of e.groups.keys()) allGroups.add(g);
  const order = [...allGroups].sort((a, b) => (a === UNKNOWN_GROUP ? 1 : b === UNKNOWN_GROUP ? -1 : a.localeCompare(b, 'zh-CN')));
  const withTarget = (def: IndicatorDef, r: IndicatorResult) => {
    const t = targets.get(def.id);
    if (t) {
      r.target = t;
      const ev = evaluateTarget(r, t);
      r.status = ev.status;
      if (ev.gap !== undefined) {
        r.gap = ev.gap;
        r.gapUnit = def.gapUnit;
      }
      if (ev.reason && !r.reason) r.reason = ev.reason;
    } else if (opts.targets) r.status = r.value === null ? '无数据' : '无目标';
    return r;
  };
  for (const def of defs) {
    const e = perDef.get(def.id);
    if (e) results.push(withTarget(def, makeResult(def, period, null, e.total)));
  }
  if (by) {
    for (const g of order) {
      for (const def of defs) {
        const e = perDef.get(def.id);
        if (!e) continue;
        const c = e.groups.get(g) ?? (e.total.num === null ? { num: null, den: null, reason: e.total.reason } : emptyGroup(def, g, by, year));
        results.push(withTarget(def, makeResult(def, period, g, c)));
      }
    }
  }
  const notes = [...dataQualityNotes(db, { period, year }), ...immNotes];
  const above = results.filter((r) => r.flags?.includes('RATE_ABOVE_100'));
  if (above.length) {
    notes.push({
      code: 'DQ_RATE_ABOVE_100',
      severity: 'warning',
      message: `${above.length} 个结果超过100%，通常是分母（人口基础数据）偏小或登记重复，请核实`,
      count: above.length,
      examples: above.slice(0, 5).map((r) => `${r.group ?? '全院'}·${r.name} ${r.value!.toFixed(1)}%`),
    });
  }
  return { period, by, schedule: scheduleLabel, results, notes };
}
