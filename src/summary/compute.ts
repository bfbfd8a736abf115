// The summary's facts from the database: indicators for the unit and by village, population totals; a missing
// database is a stated fact, not a failure.
import fs from 'node:fs';
import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import { loadRegisterCatalog } from '../catalog/registers.js';
import type { Target } from '../catalog/target.js';
import { openDatabase, type Database } from '../db.js';
import { computeIndicators } from '../indicators/compute.js';
import { parsePeriod } from '../indicators/period.js';
import { withCustomResults } from '../indicators/values/results.js';
import type { ManualValue } from '../indicators/values/check.js';
import type { CustomTarget } from '../plan/plan-targets.js';
import type { ComputeResult, Period } from '../indicators/types.js';
import { isPerDose, type PopulationTotals, type SummaryCompute } from './data.js';

/** Population totals for the year of the period's end (null when the table is missing or has no rows for that year). */
export function populationTotals(db: Database, year: number): PopulationTotals | null {
  const columns = (loadRegisterCatalog().find((r) => r.id === 'population')?.columns ?? []).filter((c) => c.type === 'integer' && c.name !== 'year');
  try {
    const rows = db.prepare('SELECT * FROM population WHERE year = ? ORDER BY village').all(year) as Array<Record<string, unknown>>;
    if (!rows.length) return null;
    const values: Record<string, number | null> = {};
    for (const c of columns) {
      const vals = rows.map((r) => r[c.name]).filter((v): v is number => typeof v === 'number');
      values[c.name] = vals.length ? vals.reduce((a, b) => a + b, 0) : null;
    }
    return { year, villages: rows.map((r) => String(r.village ?? '')).filter(Boolean), values };
  } catch {
    return null;
  }
}

/** Compute what the summary needs; a missing database gives no numbers and a reason. */
export async function computeForSummary(
  dbFile: string,
  periodText: string,
  targets: Array<{ indicatorId: string; target: Target }>,
  catalog: IndicatorCatalog = loadIndicatorCatalog(),
  sqlTimeoutMs?: number,
  manual: { custom: CustomTarget[]; values: ManualValue[] } = { custom: [], values: [] },
): Promise<SummaryCompute> {
  const period: Period = parsePeriod(periodText);
  if (!fs.existsSync(dbFile)) {
    return { total: null, byVillage: null, population: null, period, dataProblem: `未找到登记表数据库（${dbFile}），本总结中的指标均无数据；请先用 gongwei registers import 导入登记表。` };
  }
  // The summary shows every indicator except per-dose immunization entries the plan does not target.
  const targeted = new Set(targets.map((t) => t.indicatorId));
  const only = catalog.all.map((d) => d.id).filter((id) => targeted.has(id) || !isPerDose(id, catalog));
  const db = openDatabase(dbFile, { readonly: true, mustExist: true });
  try {
    // One pass by village: the engine returns the whole-unit totals (group null) first, then the villages.
    // The plan's 自定义 targets beside them: the values a person supplied (人工填报), or 需人工填报.
    const byVillage: ComputeResult = withCustomResults(computeIndicators(db, { period, by: 'village', targets, only, catalog, sqlTimeoutMs }), manual.custom, manual.values);
    const total: ComputeResult = { ...byVillage, by: null, results: byVillage.results.filter((r) => r.group === null) };
    const population = populationTotals(db, Number(period.end.slice(0, 4)));
    return { total, byVillage, population, period };
  } finally {
    db.close();
  }
}
