// The people behind a rate: denominator members not in the numerator, with the reason in words (the entry's gap
// query and gapReason, catalogue data), sorted for field work.
import { databaseError, type Database } from '../db.js';
import { GongweiError } from '../errors.js';
import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import { immunizationGaps } from './immunization/compute.js';
import { parsePeriod } from './period.js';
import { boundParameters, runQuery } from './sql-query.js';
import type { Period } from './types.js';

export interface GapRow {
  indicatorId: string;
  village: string | null;
  doctor: string | null;
  personId: string;
  /** Personal data: callers mask it on the terminal. */
  name: string | null;
  /** The gap query's `reason` column, else the entry's gapReason (随访不足, 血压未控制 …; immunization: 应种未种 / 未及时 / 未建证). */
  reason: string;
  /** The gap query's `detail` column: the facts behind the reason ("统计期间内已随访2次，应随访4次，最近一次随访2025-05-01" …). */
  detail: string;
  /** The gap query's `sort_date` column: a date to sort by within a doctor's list (due date, last follow-up …). */
  date: string | null;
}

type Raw = Record<string, unknown> & { village: string | null; doctor: string | null; person_id: unknown; name: string | null };

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

type GapOptions = { period: string | Period; schedule?: string; catalog?: IndicatorCatalog; sqlTimeoutMs?: number };

/** Gap rows of one indicator for a period. Indicators without person-level gaps, a damaged database, a disk error are GongweiErrors. */
export function computeGaps(db: Database, idOrName: string, opts: GapOptions): GapRow[] {
  try {
    return gapRows(db, idOrName, opts);
  } catch (e) {
    throw databaseError(e, db.name);
  }
}

function gapRows(db: Database, idOrName: string, opts: GapOptions): GapRow[] {
  const period = typeof opts.period === 'string' ? parsePeriod(opts.period) : opts.period;
  const catalog = opts.catalog ?? loadIndicatorCatalog({ schedule: opts.schedule });
  const def = catalog.resolve(idOrName);
  if (!def) {
    const sug = catalog.suggest(idOrName).map((d) => `${d.name}（${d.id}）`);
    throw new GongweiError('INDICATOR_UNKNOWN', `未知指标：「${idOrName}」`, { hint: sug.length ? `是否要找：${sug.join('、')}？` : undefined });
  }
  let rows: GapRow[];
  if (def.compute.kind === 'immunization') {
    rows = immunizationGaps(db, def.id, { period, schedule: opts.schedule }).map((g) => ({
      indicatorId: def.id,
      village: g.village,
      doctor: g.doctor,
      personId: g.childId,
      name: g.name,
      reason: g.reason,
      detail: g.detail,
      date: g.dueDate ?? g.birthDate,
    }));
  } else {
    const sql = def.compute.gaps;
    if (!sql) {
      const why = def.kind === 'count' ? '它是计数指标' : def.compute.denominatorPopulation ? '它的分母来自人口基础数据，不是一个个具体的人' : '指标定义中没有人员清单查询（gaps）';
      throw new GongweiError('INDICATOR_NO_GAPS', `「${def.name}」没有人员清单：${why}`, {
        hint: '人员清单适用于分母是具体人员的指标，如 高血压患者规范管理率、乙肝疫苗第3剂接种率、新生儿访视率。',
      });
    }
    const raw = runQuery<Raw>(db, def, 'gaps', sql, sql, boundParameters(def, 'gaps', sql, period), { timeoutMs: opts.sqlTimeoutMs });
    rows = raw.map((r) => ({
      indicatorId: def.id,
      village: text(r.village),
      doctor: text(r.doctor),
      personId: text(r.person_id) ?? '',
      name: text(r.name),
      reason: text(r.reason) ?? def.gapReason ?? '未进入分子',
      detail: text(r.detail) ?? '',
      date: text(r.sort_date),
    }));
  }
  const cmp = (a: string | null, b: string | null) => (a ?? '\uffff').localeCompare(b ?? '\uffff', 'zh-CN');
  return rows.sort((a, b) => cmp(a.village, b.village) || cmp(a.doctor, b.doctor) || cmp(a.date, b.date) || a.personId.localeCompare(b.personId));
}
