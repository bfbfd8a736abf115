// One row of an immunization gap list: the child, the dose, and the reason in words (应种未种 / 未及时 / 未建证).
import { intToDate } from '../../calendar.js';
import type { Loaded } from './load.js';
import type { ScheduleDose } from '../../catalog/schedule.js';
import type { GapReasonCode, ImmunizationGapRow } from './types.js';

/** The gap row of child `ci` for indicator `gapId` (due, timely-by and given dates as yyyymmdd integers). */
export function gapRowOf(L: Loaded, gapId: string, ci: number, reasonCode: GapReasonCode, d?: ScheduleDose, due?: number, by?: number, given?: number): ImmunizationGapRow {
  const x = L.extra[ci]!;
  const reason = reasonCode === 'NOT_VACCINATED' ? '应种未种' : reasonCode === 'NOT_TIMELY' ? '未及时' : '未建证';
  const row: ImmunizationGapRow = {
    indicatorId: gapId,
    childId: L.childId(ci),
    name: x.name,
    birthDate: intToDate(L.birth[ci]!),
    village: x.village,
    doctor: x.doctor,
    reasonCode,
    reason,
    detail: '',
  };
  if (d) {
    row.vaccine = d.code;
    row.vaccineName = d.vaccineName;
    row.dose = d.dose;
    if (due) row.dueDate = intToDate(due);
    if (by) row.timelyBy = intToDate(by);
    if (given) row.vaccinationDate = intToDate(given);
    row.detail =
      `${d.vaccineName}第${d.dose}剂` +
      (row.dueDate ? `，应种日期${row.dueDate}` : '') +
      (reasonCode === 'NOT_TIMELY' && row.timelyBy ? `，及时时限${row.timelyBy}` : '') +
      (row.vaccinationDate ? `，接种日期${row.vaccinationDate}` : '');
  } else {
    row.detail = '接种证未建立或发证日期晚于期末';
  }
  return row;
}
