// Immunization indicators, gap rows and data-quality notes from the `children` and `vaccinations` tables in one pass.
//
// Entry points (called by the indicators engine for catalogue entries whose computation kind is `immunization`):
//   computeImmunization(db, { period, by?, schedule?, scheduleDirs?, only?, notes? }) → { schedule, counts, notes }
//     counts: one { id, group, numerator, denominator } per indicator id, group null (whole unit) first,
//     then one row per village/doctor of the children read (UNKNOWN_GROUP for empty values), sorted by name.
//   immunizationGaps(db, id, { period, by?, schedule? }) → ImmunizationGapRow[] (personal data: caller masks).
//   immunizationDataQuality(db, { period, schedule? }) → DataQualityNote[] (also returned by computeImmunization).
// The whole computation is one read of `children` and one SQL statement over `vaccinations` that keeps only the rows
// a dose due in P can need; due dates are integer calendar arithmetic per child (see dates.ts), never a query per
// dose. The read covers P's calendar year(s) and is reused by every later period within them while the data do not
// change (monthly runs: one read, twelve loops).
import type { Database } from 'better-sqlite3';
import { GongweiError } from '../../errors.js';
import type { DataQualityNote } from '../types.js';
import { countPass } from './count.js';
import { FIXED_IMMUNIZATION_IDS, isImmunizationIndicator } from '../../catalog/immunization-entries.js';
import { scheduleSet } from './schedule-set.js';
import type { ImmunizationComputation, ImmunizationCount, ImmunizationGapRow, ImmunizationOptions } from './types.js';

export { isImmunizationIndicator } from '../../catalog/immunization-entries.js';
export { birthWindow } from './load.js';
export type { GapReasonCode, ImmunizationComputation, ImmunizationCount, ImmunizationGapRow, ImmunizationOptions } from './types.js';

/** Chinese order (the same as localeCompare(…, 'zh-CN'), without building a collator per comparison). */
const zh = new Intl.Collator('zh-CN');

/** Numerator and denominator of every immunization indicator, for the whole unit and per group. */
export function computeImmunization(db: Database, opts: ImmunizationOptions): ImmunizationComputation {
  const r = countPass(db, opts);
  const only = opts.only ? new Set(opts.only) : undefined;
  const G = r.groups.length + 1;
  const order = r.groups.map((g, i) => ({ g, i })).filter(({ i }) => r.groupSeen[i]).sort((a, b) => zh.compare(a.g, b.g));
  const counts: ImmunizationCount[] = [];
  const chosen = r.ids.map((id, k) => ({ id, k })).filter(({ id }) => !only || only.has(id));
  for (const { id, k } of chosen) counts.push({ id, group: null, numerator: r.num[k * G]!, denominator: r.den[k * G]! });
  if (opts.by) {
    for (const { g, i } of order) {
      for (const { id, k } of chosen) counts.push({ id, group: g, numerator: r.num[k * G + i + 1]!, denominator: r.den[k * G + i + 1]! });
    }
  }
  return { schedule: r.set.label, counts, notes: r.notes };
}

/**
 * The children in the denominator but not the numerator of one immunization indicator, with the reason
 * (应种未种 / 未及时 / 未建证), sorted for field work: village, doctor, birth date, child, due date.
 * Contains personal data (name): the caller masks it on the terminal.
 */
export function immunizationGaps(db: Database, id: string, opts: ImmunizationOptions): ImmunizationGapRow[] {
  if (!isImmunizationIndicator(id)) {
    throw new GongweiError('INDICATOR_NOT_IMMUNIZATION', `「${id}」不是免疫规划指标`);
  }
  const rows = countPass(db, { notes: false, ...opts, gapsFor: id }).gaps;
  const cmp = (a: string | null | undefined, b: string | null | undefined) => zh.compare(a ?? '\uffff', b ?? '\uffff');
  rows.sort(
    (a, b) =>
      cmp(a.village, b.village) ||
      cmp(a.doctor, b.doctor) ||
      (a.birthDate < b.birthDate ? -1 : a.birthDate > b.birthDate ? 1 : 0) ||
      (a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : 0) ||
      cmp(a.dueDate, b.dueDate) ||
      (a.vaccine ?? '').localeCompare(b.vaccine ?? '') ||
      (a.dose ?? 0) - (b.dose ?? 0),
  );
  return rows;
}

/** Data-quality notes of the immunization registers: unknown vaccines, vaccinations for children not in the roster, … */
export function immunizationDataQuality(db: Database, opts: ImmunizationOptions): DataQualityNote[] {
  return countPass(db, { ...opts, only: [] }).notes;
}

/** Every immunization indicator id for a schedule choice (version, file or 'auto'), per-dose ones first. */
export function immunizationIndicatorIds(schedule?: string, scheduleDirs?: string[]): string[] {
  const set = scheduleSet(schedule, scheduleDirs);
  return [...set.slots.flatMap((d) => [`coverage.${d.code}.${d.dose}`, `timely-coverage.${d.code}.${d.dose}`]), ...FIXED_IMMUNIZATION_IDS];
}
