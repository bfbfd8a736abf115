// Gets the summary's facts from the database: indicators for the unit and by village, population totals; a missing database is a stated fact, not a failure.
import fs from 'node:fs';
import type { ComputeResult, Period } from '../indicators/types.js';
import type { Target } from '../catalog/target.js';
import type { PopulationTotals } from './summary.js';
import type { SummaryCompute } from './render.js';

type Db = { prepare(sql: string): { all(...a: unknown[]): unknown[]; get(...a: unknown[]): unknown } ; close(): void };

/** Population totals for the year of the period's end (null when the table is missing or has no rows for that year). */
export function populationTotals(db: Db, year: number): PopulationTotals | null {
  try {
    const rows = db.prepare('SELECT * FROM population WHERE year = ? ORDER BY village').all(year) as Array<Record<string, unknown>>;
    if (!rows.length) return null;
    const sum = (col: string) => {
      const vals = rows.map((r) => r[col]).filter((v): v is number => typeof v === 'number');
      return vals.length ? vals.reduce((a, b) => a + b, 0) : null;
    };
    return {
      year,
      villages: rows.map((r) => String(r.village ?? '')).filter(Boolean),
      resident_population: sum('resident_population'),
      registered_population: sum('registered_population'),
      children_0_6: sum('children_0_6'),
      elderly_65: sum('elderly_65'),
      hypertension_estimated: sum('hypertension_estimated'),
      diabetes_estimated: sum('diabetes_estimated'),
      smi_estimated: sum('smi_estimated'),
    };
  } catch {
    return null;
  }
}

/** Compute what the summary needs; a missing database gives no numbers and a reason. */
export async function computeForSummary(
  dbFile: string,
  periodText: string,
  targets: Array<{ indicatorId: string; target: Target }>,
): Promise<SummaryCompute> {
  const { parsePeriod } = await import('../indicators/period.js');
  const period: Period = parsePeriod(periodText);
  if (!fs.existsSync(dbFile)) {
    return { total: null, byVillage: null, population: null, period, dataProblem: `未找到登记表数据库（${dbFile}），本总结中的指标均无数据；请先用 gongwei registers import 导入登记表。` };
  }
  const { openDatabase } = await import('../db.js');
  const { computeIndicators } = await import('../indicators/compute.js');
  const { loadIndicatorCatalog } = await import('../catalog/indicators.js');
  const { isPerDose } = await import('./summary.js');
  // The summary shows every indicator except per-dose immunization entries the plan does not target.
  const targeted = new Set(targets.map((t) => t.indicatorId));
  const only = loadIndicatorCatalog().all.map((d) => d.id).filter((id) => targeted.has(id) || !isPerDose(id));
  const db = openDatabase(dbFile, { readonly: true, mustExist: true }) as unknown as Db;
  try {
    // One pass by village: the engine returns the whole-unit totals (group null) first, then the villages.
    const byVillage: ComputeResult = computeIndicators(db as never, { period, by: 'village', targets, only });
    const total: ComputeResult = { ...byVillage, by: null, results: byVillage.results.filter((r) => r.group === null) };
    const population = populationTotals(db, Number(period.end.slice(0, 4)));
    return { total, byVillage, population, period };
  } finally {
    db.close();
  }
}
