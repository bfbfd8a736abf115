// Shapes shared by indicator computation, reporters and document rendering.
import type { IndicatorUnit } from '../catalog/indicators.js';
import type { Target } from '../catalog/target.js';

export type { IndicatorUnit } from '../catalog/indicators.js';

/** Group label for rows whose village/doctor is empty. */
export const UNKNOWN_GROUP = '（未填写）';

/** Period P = [start, end], inclusive ISO dates, with its label as the user typed it. */
export interface Period {
  label: string; // '2025', '2025Q2', '2025-03', '2025-01..2025-06'
  start: string; // 'YYYY-MM-DD'
  end: string; // 'YYYY-MM-DD'
}

/** 需人工填报: a 自定义 indicator (not in the catalogue) whose value no one has supplied yet. */
export type IndicatorStatus = '达标' | '未达标' | '无目标' | '无数据' | '需人工填报';

/** Where a value a person supplied comes from (a values file row): shown beside the value in every output. */
export interface ManualSource {
  /** 数据来源 as written (required in the values file). */
  source: string;
  /** 备注. */
  note?: string;
  /** file:row of the value. */
  at: string;
}

export interface IndicatorResult {
  id: string; // 'hypertension-standard-management-rate', 'coverage.HepB.3'
  name: string; // 中文名称
  unit: IndicatorUnit;
  /** 'rate' when value = numerator / denominator × factor; 'count' when only a numerator. */
  kind: 'rate' | 'count';
  factor: number; // 100, 1000, 100000, 1
  period: Period;
  /** Breakdown: null for the whole unit, else the village or doctor name. */
  group: string | null;
  numerator: number | null;
  denominator: number | null;
  /** Unrounded; null when there is no value (see reason). */
  value: number | null;
  /** Chinese reason when value is null ("分母为0", "缺少2025年人口数据"). */
  reason?: string;
  target?: Target;
  status?: IndicatorStatus;
  /** Smallest number of additional people that would meet the target; 0 when met. */
  gap?: number;
  /** What the gap counts: 人, 例 (report cards), or a count's own unit (次, 份). Present with gap. */
  gapUnit?: string;
  /** The catalogue's verb for closing the gap (规范管理, 接种 …), when it has one. Present with gap. */
  gapVerb?: string;
  /** Data-problem flags on this result, e.g. 'RATE_ABOVE_100'. */
  flags?: string[];
  /** A 自定义 indicator of the plan (id `custom:<名称>`): never computed from the registers. */
  custom?: boolean;
  /** The value was supplied by a person (人工填报), with its 数据来源. */
  manual?: ManualSource;
}

export interface DataQualityNote {
  code: string; // 'DQ_VILLAGE_NOT_IN_POPULATION', 'DQ_STATUS_NO_END_DATE', …
  severity: 'warning' | 'info';
  message: string; // Chinese
  count?: number;
  examples?: string[]; // masked
}

export interface ComputeResult {
  period: Period;
  by: 'village' | 'doctor' | null;
  schedule: string; // '2021', '2025'
  results: IndicatorResult[]; // totals (group null) first, then per group
  notes: DataQualityNote[];
}
