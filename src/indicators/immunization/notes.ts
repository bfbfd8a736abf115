// Data-quality notes of an immunization run: unknown vaccines, doses outside the schedule, missing dates, roster problems.
import type { DataQualityNote } from '../types.js';
import type { Loaded } from './load.js';

export interface StatusTallies {
  statusBlank: number;
  statusBlankExamples: string[];
  statusNoDate: number;
  statusNoDateExamples: string[];
  /** Over the children the period reads: dose rows without a valid date, doses outside the schedule. */
  noDate: number;
  extraDoses: Map<string, number>;
}

/** The notes of a run over `L` (schedule `label`); `tableNotes`: include the whole-table notes (unknown vaccines, roster). */
export function loadNotes(L: Loaded, label: string, tableNotes: boolean, s: StatusTallies): DataQualityNote[] {
  const notes: DataQualityNote[] = [];
  const { statusBlank, statusBlankExamples, statusNoDate, statusNoDateExamples, noDate, extraDoses } = s;
  const { unknownVaccines, notInRoster, notInRosterExamples, noBirth } = L;
  if (unknownVaccines.size > 0 && tableNotes) {
    const total = [...unknownVaccines.values()].reduce((a, b) => a + b, 0);
    const top = [...unknownVaccines.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    notes.push({
      code: 'DQ_UNKNOWN_VACCINE',
      severity: 'warning',
      message: `${total}条接种记录的疫苗不在免疫程序（${label}）中，未计入任何指标：${top.map(([k, v]) => `${k || '（空）'} ${v}条`).join('、')}`,
      count: total,
      examples: top.map(([k]) => k),
    });
  }
  if (notInRoster > 0 && tableNotes) {
    notes.push({
      code: 'DQ_VACCINATION_CHILD_NOT_IN_ROSTER',
      severity: 'warning',
      message: `${notInRoster}条接种记录的儿童编号不在儿童花名册中，未计入任何指标。`,
      count: notInRoster,
      examples: notInRosterExamples,
    });
  }
  if (extraDoses.size > 0) {
    const total = [...extraDoses.values()].reduce((a, b) => a + b, 0);
    notes.push({
      code: 'DQ_DOSE_NOT_IN_SCHEDULE',
      severity: 'info',
      message: `${total}条接种记录的剂次超出免疫程序（如 ${[...extraDoses.keys()].slice(0, 3).join('、')}），未计入剂次指标。`,
      count: total,
      examples: [...extraDoses.keys()].slice(0, 10),
    });
  }
  if (noDate > 0) {
    notes.push({ code: 'DQ_VACCINATION_NO_DATE', severity: 'warning', message: `${noDate}条接种记录没有有效的接种日期，未计为实种。`, count: noDate });
  }
  if (noBirth > 0) {
    notes.push({ code: 'DQ_CHILD_NO_BIRTH_DATE', severity: 'warning', message: `${noBirth}名儿童没有有效的出生日期，未计入任何指标。`, count: noBirth });
  }
  if (statusBlank > 0) {
    notes.push({
      code: 'DQ_CHILD_STATUS_EMPTY',
      severity: 'warning',
      message: `${statusBlank}名儿童在册状态为空，不计为期末在册（状态变更日期晚于期末的除外）；请补填在册状态。`,
      count: statusBlank,
      examples: statusBlankExamples,
    });
  }
  if (statusNoDate > 0) {
    notes.push({
      code: 'DQ_CHILD_STATUS_NO_DATE',
      severity: 'warning',
      message: `${statusNoDate}名儿童状态为迁出/死亡等但没有状态变更日期，按期末之前已变更处理（不在册）。`,
      count: statusNoDate,
      examples: statusNoDateExamples,
    });
  }
  return notes;
}
