// The indicator engine: runs each catalogue entry's computation for a period, by village or doctor, against targets.
import { databaseError, type Database } from '../db.js';
import { GongweiError } from '../errors.js';
import type { Target } from '../catalog/target.js';
import { countedCompute, loadIndicatorCatalog, type IndicatorCatalog, type IndicatorDef } from '../catalog/indicators.js';
import { countIndicators, type Counts, type DefCounts } from './count.js';
import { parsePeriod, periodYear } from './period.js';
import { dataQualityNotes } from './quality.js';
import { claimImmunization, parallelSplit, startHelperEarly } from './parallel.js';
import { registerSqlFunctions } from './sql-functions.js';
import { evaluateTarget } from './evaluate-target.js';
import { UNKNOWN_GROUP, type ComputeResult, type IndicatorResult, type Period } from './types.js';


export interface ComputeOptions {
  period: string | Period;
  by?: 'village' | 'doctor' | null;
  /** Ids, names or aliases; default every indicator. */
  only?: string[];
  targets?: Array<{ indicatorId: string; target: Target }>;
  schedule?: string;
  catalog?: IndicatorCatalog;
  /** Time limit of each custom entry's SQL, in ms (default 30 s). */
  sqlTimeoutMs?: number;
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


/**
 * Compute indicators for a period; results: whole unit first (group null), then per group in Chinese order.
 * A damaged database or a disk error is a GongweiError (DB_CORRUPT, DB_IO_ERROR …) naming the file.
 */
export function computeIndicators(db: Database, opts: ComputeOptions): ComputeResult {
  try {
    return computeAll(db, opts);
  } catch (e) {
    throw databaseError(e, db.name);
  }
}

function computeAll(db: Database, opts: ComputeOptions): ComputeResult {
  const period = typeof opts.period === 'string' ? parsePeriod(opts.period) : opts.period;
  const by = opts.by ?? null;
  // The built-in catalogue has no custom SQL: on a large database the helper thread starts loading meanwhile.
  if (!opts.catalog) startHelperEarly(db);
  const catalog = opts.catalog ?? loadIndicatorCatalog({ schedule: opts.schedule });
  const defs = selectIndicators(catalog, opts.only);
  registerSqlFunctions(db);
  // Custom SQL runs on its own (a child process under the time limit): count everything here, in order.
  const split = parallelSplit(db, defs, defs.some((d) => d.custom));
  if (!split) return assemble(db, opts, period, by, defs, [countIndicators(db, opts, period, by, defs)]);
  // The helper counts immunization on its own read-only connection; both threads then claim SQL entries in turn.
  // Follow-up and record entries stay with this thread (what they read is kept for the next period on this connection).
  // When this thread is done and the helper has not yet claimed immunization (it is still starting: a loaded
  // machine), this thread counts it too, and does not wait for the helper when that left it nothing.
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const sqlTasks = split.sql.filter((d) => d.compute.kind === 'sql');
  // The data-quality scan is one more task for either thread (notes: true).
  const theirs = split.helper.start({ period, by, schedule: opts.schedule, immunization: split.immunization, sql: sqlTasks, counter, notes: true });
  let claimedHere = 0;
  const claim = () => {
    const i = Atomics.add(counter, 0, 1);
    if (i <= sqlTasks.length) claimedHere++;
    return i;
  };
  const counted: DefCounts[] = [];
  let immunizationHere = false;
  try {
    counted.push(countIndicators(db, { ...opts, notes: true }, period, by, split.sql, claim));
    immunizationHere = split.immunization.length > 0 && claimImmunization(counter);
    if (immunizationHere) counted.push(countIndicators(db, opts, period, by, split.immunization));
    if (claimedHere === sqlTasks.length + 1 && (immunizationHere || !split.immunization.length)) return assemble(db, opts, period, by, defs, counted);
  } catch (e) {
    Atomics.store(counter, 0, sqlTasks.length + 1); // nothing more for the helper to claim
    claimImmunization(counter);
    throw e;
  }
  const helped = theirs.take();
  // A helper that could not start claimed nothing: its immunization entries are counted here (unless they were already).
  if (helped) counted.push(helped);
  else if (!immunizationHere) counted.push(countIndicators(db, opts, period, by, split.immunization));
  return assemble(db, opts, period, by, defs, counted);
}

/**
 * Counts of a group that has no row for this indicator (it appears in other indicators' results). With a population
 * denominator the group is not a village of the population data for the year (those were all added when counting),
 * so it has no denominator — never a denominator of 0.
 */
function emptyGroup(def: IndicatorDef, g: string, by: 'village' | 'doctor' | null, year: number): Counts {
  const popCol = countedCompute(def)?.denominatorPopulation;
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
        if (def.gapVerb) r.gapVerb = def.gapVerb;
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
  const scanned = counted.find((c) => c.notes)?.notes;
  const notes = [...(scanned ?? dataQualityNotes(db, { period, year })), ...immNotes];
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
