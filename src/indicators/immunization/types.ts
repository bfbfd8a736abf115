// The immunization computation's options and results (counts per indicator and group, gap rows).
import type { DataQualityNote, Period } from '../types.js';

export interface ImmunizationOptions {
  period: Period;
  by?: 'village' | 'doctor' | null;
  /** A version ('2021', '2025'), a .yaml file, or 'auto' (by birth cohort). Default '2021'. */
  schedule?: string;
  scheduleDirs?: string[];
  /** Indicator ids to return; default every immunization id of the schedule(s) in use. */
  only?: string[];
  /** Whole-table data-quality scan (unknown vaccines, children not in the roster); default true. Cached per connection. */
  notes?: boolean;
}

export interface ImmunizationCount {
  id: string;
  group: string | null;
  numerator: number;
  denominator: number;
}

export interface ImmunizationComputation {
  /** The schedule label in use: '2021', '2025', 'auto', or the version of a file. */
  schedule: string;
  counts: ImmunizationCount[];
  notes: DataQualityNote[];
}

export type GapReasonCode = 'NOT_VACCINATED' | 'NOT_TIMELY' | 'NO_CERTIFICATE';

export interface ImmunizationGapRow {
  indicatorId: string;
  childId: string;
  name: string | null; // personal data: the caller masks it on the terminal
  birthDate: string;
  village: string | null;
  doctor: string | null;
  reasonCode: GapReasonCode;
  /** 应种未种 / 未及时 / 未建证 */
  reason: string;
  /** Words for the list: "乙肝疫苗第3剂 应种日期2025-03-01" … */
  detail: string;
  vaccine?: string;
  vaccineName?: string;
  dose?: number;
  dueDate?: string;
  /** The last day a dose counts as timely (timely indicators). */
  timelyBy?: string;
  /** The earliest recorded date of the dose, when it exists (late or after E). */
  vaccinationDate?: string;
}
