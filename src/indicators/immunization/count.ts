// The counting pass: every child once — due dates, 应种/实种/及时 counts per indicator and group, and gap rows when asked.
import type { Database } from 'better-sqlite3';
import { GongweiError } from '../../errors.js';
import type { DataQualityNote, Period } from '../types.js';
import { addAgeInt, ageInYearsInt, dateToInt } from '../../calendar.js';
import { FIXED_IMMUNIZATION_IDS, doseAgeGroup } from '../../catalog/immunization-entries.js';
import { gapRowOf } from './gap-rows.js';
import { birthWindow, loadChildren, tableColumns, type Loaded } from './load.js';
import { loadNotes } from './notes.js';
import type { ScheduleDose } from '../../catalog/schedule.js';
import { scheduleSet, type ScheduleSet } from './schedule-set.js';
import type { GapReasonCode, ImmunizationGapRow, ImmunizationOptions } from './types.js';

export interface RunOptions extends ImmunizationOptions {
  gapsFor?: string;
}

export interface RunResult {
  set: ScheduleSet;
  ids: string[];
  groups: string[];
  /** 1 for the groups of the children in P's birth window (the only ones to report). */
  groupSeen: Uint8Array;
  num: Int32Array; // [idIndex * (groups + 1) + groupIndex + 1], group slot 0 = total
  den: Int32Array;
  notes: DataQualityNote[];
  gaps: ImmunizationGapRow[];
}

function periodInts(p: Period): { S: number; E: number } {
  const S = dateToInt(p?.start);
  const E = dateToInt(p?.end);
  if (S === undefined || E === undefined || S > E) {
    throw new GongweiError('PERIOD_INVALID', `统计期间不正确：${p?.start ?? ''}..${p?.end ?? ''}`);
  }
  return { S, E };
}


const orders = new WeakMap<Int32Array, { byBirth: Int32Array; births: Int32Array }>();

/** The children of a read in birth-date order (kept with the read: every period of its years reuses it). */
function birthOrder(L: Loaded): { byBirth: Int32Array; births: Int32Array } {
  let o = orders.get(L.birth);
  if (!o) {
    const byBirth = new Int32Array(L.n);
    const births = new Int32Array(L.n);
    if (L.n < 1048576) {
      // birth × 2^20 + index: exact in a double (births < 2^25, indices < 2^20), sorted natively without a comparator.
      const keys = new Float64Array(L.n);
      for (let i = 0; i < L.n; i++) keys[i] = L.birth[i]! * 1048576 + i;
      keys.sort();
      for (let i = 0; i < L.n; i++) byBirth[i] = keys[i]! % 1048576;
    } else {
      for (let i = 0; i < L.n; i++) byBirth[i] = i;
      byBirth.sort((a, b) => L.birth[a]! - L.birth[b]! || a - b);
    }
    for (let i = 0; i < L.n; i++) births[i] = L.birth[byBirth[i]!]!;
    o = { byBirth, births };
    orders.set(L.birth, o);
  }
  return o;
}

/** The first index of a sorted array whose value is ≥ x. */
function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function countPass(db: Database, opts: RunOptions): RunResult {
  const { S, E } = periodInts(opts.period);
  const set = scheduleSet(opts.schedule, opts.scheduleDirs);
  const nSlots = set.slots.length;

  // Indicator ids: per slot coverage + timely, then the fixed ones.
  const ids: string[] = [];
  for (const d of set.slots) ids.push(`coverage.${d.code}.${d.dose}`, `timely-coverage.${d.code}.${d.dose}`);
  const FIX = ids.length;
  ids.push(...FIXED_IMMUNIZATION_IDS);
  const ID_HEPB_BIRTH = FIX;
  const ID_0Y = FIX + 1;
  const ID_16Y = FIX + 2;
  const ID_DROPOUT = FIX + 3;
  const ID_CERT = FIX + 4;
  const schedGroups = set.schedules.map((s) => s.doses.map((d) => doseAgeGroup(d)));
  const hepb1 = set.slotOf.get('HepB')?.get(1) ?? -1;
  const dtap1 = set.slotOf.get('DTaP')?.get(1) ?? -1;
  const dtap3 = set.slotOf.get('DTaP')?.get(3) ?? -1;

  const gapId = opts.gapsFor;
  let gapIdx = -1;
  if (gapId !== undefined) {
    gapIdx = ids.indexOf(gapId);
    if (gapIdx < 0) {
      throw new GongweiError('INDICATOR_NOT_IN_SCHEDULE', `免疫程序 ${set.label} 中没有指标「${gapId}」`, {
        hint: '检查 --schedule 与指标编号（如 coverage.HepB.3）',
      });
    }
  }

  const notes: DataQualityNote[] = [];
  const childCols = tableColumns(db, 'children');
  const vacCols = tableColumns(db, 'vaccinations');

  // -- children and their doses: read once (or reused from the per-connection cache) --
  if (opts.by === 'doctor' && !childCols.has('doctor') && childCols.size > 0) {
    notes.push({ code: 'DQ_NO_DOCTOR_COLUMN', severity: 'warning', message: '儿童花名册没有“责任医生”列，无法按医生分组，全部归入“未填写”。' });
  }
  const wantNames = gapIdx >= 0;
  // Oldest child any indicator can need: due ages up to the largest in the schedule(s), and age < 7 at E.
  let maxDueMonths = 84;
  for (const d of set.slots) maxDueMonths = Math.max(maxDueMonths, (d.due.years ?? 0) * 12 + (d.due.months ?? 0) + Math.ceil((d.due.days ?? 0) / 28) + 1);
  const minBirth = addAgeInt(S, { months: -maxDueMonths });
  const L = loadChildren(db, set, { S, E, dueMonths: maxDueMonths, by: opts.by ?? null, wantNames, childCols, vacCols, notes: opts.notes !== false });
  const { birth, groupOf, schedOf, resSince, cert, statusOk, statusEmpty, statusDate, doseDate, noDateOf, groups } = L;
  const n = L.n;
  // Groups of the children P reads (the cached read may hold more, for other periods); per-dose notes over them.
  const groupSeen = new Uint8Array(groups.length);
  const inWindow = new Uint8Array(n);
  const inRegister = new Uint8Array(n); // in P's birth window and in register at E
  let noDate = 0;
  let statusNoDate = 0;
  const statusNoDateExamples: string[] = [];
  let statusBlank = 0;
  const statusBlankExamples: string[] = [];

  // -- one pass over the children: due dates, counts, gaps --
  const G = groups.length + 1;
  const num = new Int32Array(ids.length * G);
  const den = new Int32Array(ids.length * G);
  const gaps: ImmunizationGapRow[] = [];
  const inc = (arr: Int32Array, id: number, g: number) => {
    arr[id * G]!++;
    if (g >= 0) arr[id * G + g + 1]!++;
  };
  const E3 = addAgeInt(E, { months: -3 });
  // Per schedule dose, the births whose due date is in P: [lo, hi] flattened (lo > hi when none).
  const windows = set.schedules.map((s) => {
    const w = new Int32Array(s.doses.length * 2);
    s.doses.forEach((d, j) => {
      const x = birthWindow(d.due, S, E);
      w[2 * j] = x ? x[0] : 1;
      w[2 * j + 1] = x ? x[1] : 0;
    });
    return w;
  });
  const gapRow = (ci: number, reasonCode: GapReasonCode, d?: ScheduleDose, due?: number, by?: number, given?: number): void => {
    gaps.push(gapRowOf(L, gapId!, ci, reasonCode, d, due, by, given));
  };

  for (let ci = 0; ci < n; ci++) {
    const b = birth[ci]!;
    if (b > E || b < minBirth) continue;
    const g = groupOf[ci]!;
    if (g >= 0) groupSeen[g] = 1;
    inWindow[ci] = 1;
    noDate += noDateOf[ci]!;
    const sd = statusDate[ci]!;
    if (statusEmpty[ci] && !(sd > E)) {
      statusBlank++;
      if (statusBlankExamples.length < 5) statusBlankExamples.push(L.childId(ci));
    } else if (!statusOk[ci] && !sd) {
      statusNoDate++;
      if (statusNoDateExamples.length < 5) statusNoDateExamples.push(L.childId(ci));
    }
    const base = ci * nSlots;
    // 乙肝首针及时: born in P, any status.
    if (b >= S && hepb1 >= 0) {
      inc(den, ID_HEPB_BIRTH, g);
      const d = doseDate[base + hepb1]!;
      const by = addAgeInt(b, { days: 1 });
      // A dose given after E never counts in P (as of E the child is not vaccinated).
      if (d && d <= by && d <= E) inc(num, ID_HEPB_BIRTH, g);
      else if (gapIdx === ID_HEPB_BIRTH) gapRow(ci, d && d <= E ? 'NOT_TIMELY' : 'NOT_VACCINATED', set.slots[hepb1], b, by, d);
    }
    if (!statusOk[ci] && !(sd > E)) continue; // in register at E: status 在册, or a status change dated after E
    inRegister[ci] = 1;
    // 建证率
    if (ageInYearsInt(b, E) < 7 && (resSince[ci]! || b) <= E3) {
      inc(den, ID_CERT, g);
      const c = cert[ci]!;
      if (c && c <= E) inc(num, ID_CERT, g);
      else if (gapIdx === ID_CERT) gapRow(ci, 'NO_CERTIFICATE');
    }
  }

  // Schedule doses: per dose, only the children born in its window (births in order, found by bisection).
  const { byBirth, births } = birthOrder(L);
  for (let si = 0; si < set.schedules.length; si++) {
    const sched = set.schedules[si]!;
    const sslots = set.scheduleSlots[si]!;
    const win = windows[si]!;
    for (let j = 0; j < sslots.length; j++) {
      const lo = win[2 * j]!;
      const hi = win[2 * j + 1]!;
      if (lo > hi) continue;
      const d = sched.doses[j]!;
      const k = sslots[j]!;
      const cov = 2 * k;
      const tim = cov + 1;
      const grp = schedGroups[si]![j];
      // Children come in birth order: the due date and the timely limit change only with the birth date.
      let lastB = 0;
      let due = 0;
      let by = 0;
      for (let at = lowerBound(births, lo); at < n && births[at]! <= hi; at++) {
        const ci = byBirth[at]!;
        if (!inRegister[ci] || schedOf[ci] !== si) continue;
        const b = birth[ci]!;
        const g = groupOf[ci]!;
        const base = ci * nSlots;
        if (b !== lastB) {
          lastB = b;
          due = addAgeInt(b, d.due);
          by = addAgeInt(due, d.timely);
        }
        const given = doseDate[base + k]!;
        const done = given !== 0 && given <= E;
        inc(den, cov, g);
        inc(den, tim, g);
        if (grp === '0y') inc(den, ID_0Y, g);
        else if (grp === '1-6y') inc(den, ID_16Y, g);
        if (done) {
          inc(num, cov, g);
          if (grp === '0y') inc(num, ID_0Y, g);
          else if (grp === '1-6y') inc(num, ID_16Y, g);
        } else if (gapIdx === cov || (gapIdx === ID_0Y && grp === '0y') || (gapIdx === ID_16Y && grp === '1-6y')) {
          gapRow(ci, 'NOT_VACCINATED', d, due, undefined, given);
        }
        // 及时: given by E (a dose after E never counts in P) and within the timely window, so 及时 ≤ 实种.
        if (done && given <= by) inc(num, tim, g);
        else if (gapIdx === tim) gapRow(ci, done ? 'NOT_TIMELY' : 'NOT_VACCINATED', d, due, by, given);
        if (k === dtap3) {
          const first = dtap1 >= 0 ? doseDate[base + dtap1]! : 0;
          if (first !== 0 && first <= E) {
            inc(den, ID_DROPOUT, g);
            if (!done) {
              inc(num, ID_DROPOUT, g);
              if (gapIdx === ID_DROPOUT) gapRow(ci, 'NOT_VACCINATED', d, due, undefined, given);
            }
          }
        }
      }
    }
  }

  const extraDoses = new Map<string, number>();
  for (const [ci, key] of L.extraDoseRows) if (inWindow[ci]) extraDoses.set(key, (extraDoses.get(key) ?? 0) + 1);
  notes.push(...loadNotes(L, set.label, opts.notes !== false, { statusBlank, statusBlankExamples, statusNoDate, statusNoDateExamples, noDate, extraDoses }));
  return { set, ids, groups, groupSeen, num, den, notes, gaps };
}
