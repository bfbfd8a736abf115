// The schedules in use for a run ('2021', '2025', a file, or 'auto' by birth cohort) and the union of their doses as slots.
import { dateToInt } from '../../calendar.js';
import { DEFAULT_SCHEDULE_VERSION, type Schedule, type ScheduleDose, listScheduleVersions, loadSchedule } from '../../catalog/schedule.js';

export interface ScheduleSet {
  label: string;
  schedules: Schedule[];
  /** For 'auto': the schedule index of a child born on yyyymmdd. */
  pick: (birth: number) => number;
  slots: ScheduleDose[]; // union of (code, dose), first occurrence
  slotOf: Map<string, Map<number, number>>;
  /** For each schedule: slot indices of its doses, in order, aligned with schedule.doses. */
  scheduleSlots: number[][];
}

export function scheduleSet(choice: string | undefined, dirs: string[] = []): ScheduleSet {
  const label = choice ?? DEFAULT_SCHEDULE_VERSION;
  let schedules: Schedule[];
  let pick: (b: number) => number = () => 0;
  if (label === 'auto') {
    schedules = listScheduleVersions(dirs).map((v) => loadSchedule(v, { dirs }));
    const ranges = schedules.map((s) => ({
      from: dateToInt(s.appliesTo?.bornFrom) ?? 0,
      to: dateToInt(s.appliesTo?.bornTo) ?? 99999999,
      has: Boolean(s.appliesTo?.bornFrom || s.appliesTo?.bornTo),
    }));
    const def = Math.max(0, schedules.findIndex((s) => s.version === DEFAULT_SCHEDULE_VERSION));
    pick = (b) => {
      let best = -1;
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i]!;
        if (r.has && b >= r.from && b <= r.to && (best < 0 || ranges[best]!.from <= r.from)) best = i;
      }
      return best < 0 ? def : best;
    };
  } else {
    schedules = [loadSchedule(label, { dirs })];
  }
  const slots: ScheduleDose[] = [];
  const slotOf = new Map<string, Map<number, number>>();
  const scheduleSlots = schedules.map((s) =>
    s.doses.map((d) => {
      let m = slotOf.get(d.code);
      if (!m) slotOf.set(d.code, (m = new Map()));
      let k = m.get(d.dose);
      if (k === undefined) {
        k = slots.length;
        slots.push(d);
        m.set(d.dose, k);
      }
      return k;
    }),
  );
  return { label: label === 'auto' ? 'auto' : schedules[0]!.version, schedules, pick, slots, slotOf, scheduleSlots };
}
