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
// dose. A second call on the same connection with unchanged data loads everything once and reuses it (monthly runs).
import type { Database } from 'better-sqlite3';
import type { DataQualityNote, Period } from '../types.js';
import { GongweiError } from '../../errors.js';
import { type CalendarAge, addAgeInt, ageInYearsInt, dateToInt, daysInMonth, intToDate } from './dates.js';
import {
  DEFAULT_SCHEDULE_VERSION,
  type Schedule,
  type ScheduleDose,
  listScheduleVersions,
  loadSchedule,
  parseVaccineName,
} from './schedule.js';
import { FIXED_IMMUNIZATION_IDS, doseAgeGroup, isImmunizationIndicator } from './definitions.js';

export { isImmunizationIndicator } from './definitions.js';

/**
 * Statuses that mean 在册. indicators.md: "status 在册, or a status change dated after E" — an empty status is not
 * 在册 (the child counts only with a status date after E) and is reported as DQ_CHILD_STATUS_EMPTY.
 */
const IN_REGISTER_STATUSES = new Set(['在册']);

/** Group label for children whose village/doctor is empty. */
export const UNKNOWN_GROUP = '（未填写）';

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

// ---- schedule selection ----

interface Plan {
  label: string;
  schedules: Schedule[];
  /** For 'auto': the schedule index of a child born on yyyymmdd. */
  pick: (birth: number) => number;
  slots: ScheduleDose[]; // union of (code, dose), first occurrence
  slotOf: Map<string, Map<number, number>>;
  /** For each schedule: slot indices of its doses, in order, aligned with schedule.doses. */
  scheduleSlots: number[][];
}

function planSchedules(choice: string | undefined, dirs: string[] = []): Plan {
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

// ---- reading the tables ----

function tableColumns(db: Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
}

/** Fast 'YYYY-MM-DD…' → yyyymmdd for values read from the database (validated); 0 when not a calendar date. */
function fastDate(v: unknown): number {
  if (typeof v !== 'string' || v.length < 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return 0;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return 0;
    y = y * 10 + c;
  }
  const m1 = v.charCodeAt(5) - 48;
  const m2 = v.charCodeAt(6) - 48;
  const d1 = v.charCodeAt(8) - 48;
  const d2 = v.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 1 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 3 || d2 < 0 || d2 > 9) return 0;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (m < 1 || m > 12 || d < 1 || (d > 28 && d > daysInMonth(y, m))) return 0;
  return y * 10000 + m * 100 + d;
}

function periodInts(p: Period): { S: number; E: number } {
  const S = dateToInt(p?.start);
  const E = dateToInt(p?.end);
  if (S === undefined || E === undefined || S > E) {
    throw new GongweiError('PERIOD_INVALID', `统计期间不正确：${p?.start ?? ''}..${p?.end ?? ''}`);
  }
  return { S, E };
}

/** Births whose due date for a dose of this age falls in [S, E] (due date is non-decreasing in the birth date). */
export function birthWindow(age: CalendarAge, S: number, E: number): [number, number] | undefined {
  const neg: CalendarAge = { years: -(age.years ?? 0), months: -(age.months ?? 0), days: -(age.days ?? 0) };
  const step = (x: number, days: number) => addAgeInt(x, { days });
  let lo = addAgeInt(S, neg);
  while (addAgeInt(lo, age) < S) lo = step(lo, 1);
  while (addAgeInt(step(lo, -1), age) >= S) lo = step(lo, -1);
  let hi = addAgeInt(E, neg);
  while (addAgeInt(hi, age) > E) hi = step(hi, -1);
  while (addAgeInt(step(hi, 1), age) <= E) hi = step(hi, 1);
  return lo <= hi ? [lo, hi] : undefined;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** SQL condition on (v, c): the vaccination row is for a dose whose due date (or, for DTaP 1, DTaP 3's) can fall in P for this child. */
function relevanceSql(plan: Plan, S: number, E: number): string {
  const windows = new Map<string, Map<number, Array<[number, number]>>>();
  const add = (code: string, dose: number, w: [number, number] | undefined) => {
    if (!w) return;
    let m = windows.get(code);
    if (!m) windows.set(code, (m = new Map()));
    const list = m.get(dose) ?? [];
    list.push(w);
    m.set(dose, list);
  };
  for (const s of plan.schedules) {
    for (const d of s.doses) {
      const w = birthWindow(d.due, S, E);
      add(d.code, d.dose, w);
      if (d.code === 'DTaP' && d.dose === 3) add('DTaP', 1, w); // dropout: DTaP 1 of the children whose DTaP 3 is due
    }
  }
  const codeCases: string[] = [];
  for (const [code, m] of windows) {
    const doseCases: string[] = [];
    for (const [dose, list] of m) {
      const cond = list.map(([a, b]) => `c.birth_date BETWEEN '${intToDate(a)}' AND '${intToDate(b)}'`).join(' OR ');
      doseCases.push(`WHEN ${dose} THEN (${cond})`);
    }
    const all = [...(plan.slotOf.get(code)?.keys() ?? [])].join(', ');
    codeCases.push(`WHEN ${sqlString(code)} THEN CASE v.dose ${doseCases.join(' ')} ELSE v.dose NOT IN (${all || 0}) END`);
  }
  // Codes of the plan with no dose due in P: their doses are irrelevant; unknown names: returned for the notes.
  for (const code of plan.slotOf.keys()) {
    if (!windows.has(code)) {
      const doses = [...plan.slotOf.get(code)!.keys()].join(', ');
      codeCases.push(`WHEN ${sqlString(code)} THEN v.dose NOT IN (${doses})`);
    }
  }
  return `(CASE v.vaccine ${codeCases.join(' ')} ELSE 1 END)`;
}

interface NotesTally {
  unknown: Map<string, number>;
  orphans: number;
  orphanExamples: string[];
}
const notesCache = new WeakMap<Database, Map<string, { stamp: string; tally: NotesTally }>>();

/**
 * Period-independent notes over the whole vaccinations table (unknown vaccine names, children not in the roster):
 * one covering-index scan, cached per connection until the database changes (data_version + total_changes).
 */
function vaccinationNotesTally(db: Database, plan: Plan, hasRoster: boolean, resolveCode: (v: string) => string | null): NotesTally {
  const stamp = dbStamp(db);
  const key = plan.schedules.map((s) => s.files.join('|')).join(';');
  let perDb = notesCache.get(db);
  if (!perDb) notesCache.set(db, (perDb = new Map()));
  const hit = perDb.get(key);
  if (hit && hit.stamp === stamp) return hit.tally;
  const codes = [...plan.slotOf.keys()].map(sqlString).join(', ') || "''";
  const tally: NotesTally = { unknown: new Map(), orphans: 0, orphanExamples: [] };
  // Unknown names: a covering-index scan that returns only the rows whose vaccine is not a code of the schedule.
  for (const v of db.prepare(`SELECT vaccine FROM vaccinations WHERE vaccine IS NULL OR vaccine NOT IN (${codes})`).pluck().iterate()) {
    const vname = v == null ? '' : String(v);
    if (resolveCode(vname) === null) tally.unknown.set(vname, (tally.unknown.get(vname) ?? 0) + 1);
  }
  // Children not in the roster: grouped in index order, one probe per distinct child.
  if (hasRoster) {
    const sql = 'SELECT child_id, count(*) FROM vaccinations GROUP BY child_id HAVING child_id IS NULL OR child_id NOT IN (SELECT child_id FROM children)';
    for (const r of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
      tally.orphans += Number(r[1]);
      if (tally.orphanExamples.length < 5) tally.orphanExamples.push(r[0] == null ? '' : String(r[0]));
    }
  } else {
    tally.orphans = Number(db.prepare('SELECT count(*) FROM vaccinations').pluck().get());
  }
  perDb.set(key, { stamp, tally });
  return tally;
}

interface Loaded {
  childIds: string[];
  birth: Int32Array;
  groupOf: Int32Array; // -1 without breakdown
  schedOf: Uint8Array;
  resSince: Int32Array;
  cert: Int32Array;
  statusOk: Uint8Array; // status 在册
  statusEmpty: Uint8Array; // status empty (not 在册)
  statusDate: Int32Array;
  extra: Array<{ name: string | null; village: string | null; doctor: string | null }>;
  doseDate: Int32Array; // [child * slots + slot] earliest date, 0 = none
  groups: string[];
  noBirth: number;
  noDate: number;
  extraDoses: Map<string, number>;
  unknownVaccines: Map<string, number>;
  notInRoster: number;
  notInRosterExamples: string[];
}

interface LoadOptions {
  S: number;
  E: number;
  minBirth: number;
  by: 'village' | 'doctor' | null;
  wantNames: boolean;
  childCols: Set<string>;
  vacCols: Set<string>;
  notes: boolean;
}

interface LoadCache {
  stamp: string;
  key: string;
  minBirth: number;
  /** The first call on a connection reads only the rows P needs; a second call with the same data loads everything once and reuses it. */
  full?: Loaded;
}
const loadCache = new WeakMap<Database, LoadCache>();

function dbStamp(db: Database): string {
  return `${db.pragma('data_version', { simple: true })}:${(db.prepare('SELECT total_changes()').pluck().get() as number) ?? 0}`;
}

function loadChildren(db: Database, plan: Plan, o: LoadOptions): Loaded {
  const stamp = dbStamp(db);
  const key = `${plan.schedules.map((s) => s.files.join('|')).join(';')}#${o.by ?? ''}`;
  const c = loadCache.get(db);
  if (c && c.stamp === stamp && c.key === key && c.minBirth <= o.minBirth) {
    if (c.full) return c.full;
    c.full = readChildren(db, plan, { ...o, minBirth: c.minBirth, wantNames: true, notes: true }, true);
    return c.full;
  }
  loadCache.set(db, { stamp, key, minBirth: o.minBirth });
  return readChildren(db, plan, o, false);
}

/** One read of `children`, one SQL statement over `vaccinations` (only the rows P can need unless `full`). */
function readChildren(db: Database, plan: Plan, o: LoadOptions, full: boolean): Loaded {
  const { childCols, vacCols, E, S, minBirth } = o;
  const nSlots = plan.slots.length;
  const col = (c: string) => (childCols.has(c) ? `"${c}"` : 'NULL');
  const groupCol = o.by === 'village' ? col('village') : o.by === 'doctor' ? col('doctor') : 'NULL';
  const childIds: string[] = [];
  const birth: number[] = [];
  const groupOf: number[] = [];
  const schedOf: number[] = [];
  const resSince: number[] = [];
  const cert: number[] = [];
  const statusOk: number[] = [];
  const statusEmpty: number[] = [];
  const statusDate: number[] = [];
  const extra: Loaded['extra'] = [];
  const childIndex = new Map<number, number>(); // children.rowid → index
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  let noBirth = 0;
  if (childCols.has('child_id') && childCols.has('birth_date')) {
    const sql = `SELECT child_id, birth_date, ${col('status')}, ${col('status_date')}, ${groupCol}, ${col('resident_since')}, ${col('certificate_date')}${
      o.wantNames ? `, ${col('name')}, ${col('village')}, ${col('doctor')}` : ''
    }, rowid FROM children
      WHERE birth_date >= '${intToDate(minBirth)}' OR birth_date IS NULL OR birth_date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'`;
    const rowidAt = o.wantNames ? 10 : 7;
    for (const r of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
      const id = r[0] == null ? '' : String(r[0]);
      if (!id) continue;
      const b = fastDate(r[1]);
      if (!b) {
        noBirth++;
        continue;
      }
      if (b < minBirth || (!full && b > E)) continue;
      const status = r[2] == null ? '' : String(r[2]).trim();
      let g = -1;
      if (o.by) {
        const gv = r[4] == null || String(r[4]).trim() === '' ? UNKNOWN_GROUP : String(r[4]);
        g = groupIndex.get(gv) ?? -1;
        if (g < 0) {
          g = groups.length;
          groups.push(gv);
          groupIndex.set(gv, g);
        }
      }
      childIndex.set(r[rowidAt] as number, childIds.length);
      childIds.push(id);
      birth.push(b);
      statusOk.push(IN_REGISTER_STATUSES.has(status) ? 1 : 0);
      statusEmpty.push(status === '' ? 1 : 0);
      statusDate.push(fastDate(r[3]));
      groupOf.push(g);
      schedOf.push(plan.pick(b));
      resSince.push(fastDate(r[5]));
      cert.push(fastDate(r[6]));
      if (o.wantNames) {
        const t = (v: unknown) => (v == null || v === '' ? null : String(v));
        extra.push({ name: t(r[7]), village: t(r[8]), doctor: t(r[9]) });
      }
    }
  }
  const n = childIds.length;
  const doseDate = new Int32Array(n * nSlots);
  const codeCache = new Map<string, string | null>();
  const known = new Set(plan.slots.map((d) => d.code));
  const resolveCode = (v: string): string | null => {
    let code = codeCache.get(v);
    if (code !== undefined) return code;
    if (known.has(v)) code = v;
    else {
      let found: string | undefined;
      for (const s of plan.schedules) {
        found = parseVaccineName(v, s).code;
        if (found) break;
      }
      code = found && known.has(found) ? found : null;
    }
    codeCache.set(v, code);
    return code;
  };
  let noDate = 0;
  const extraDoses = new Map<string, number>();
  let tally: NotesTally = { unknown: new Map(), orphans: 0, orphanExamples: [] };
  if (vacCols.has('child_id') && vacCols.has('vaccine') && vacCols.has('dose')) {
    const dateCol = vacCols.has('vaccination_date') ? 'v.vaccination_date' : 'NULL';
    if (o.notes) tally = vaccinationNotesTally(db, plan, childCols.has('child_id'), resolveCode);
    const vsql =
      childCols.has('child_id') && childCols.has('birth_date')
        ? `SELECT c.rowid, v.vaccine, v.dose, ${dateCol} FROM children c CROSS JOIN vaccinations v ON v.child_id = c.child_id
         WHERE c.birth_date >= '${intToDate(minBirth)}'${full ? '' : ` AND c.birth_date <= '${intToDate(E)}' AND ${relevanceSql(plan, S, E)}`}`
        : undefined;
    for (const r of (vsql ? db.prepare(vsql).raw().iterate() : []) as Iterable<unknown[]>) {
      const code = resolveCode(r[1] == null ? '' : String(r[1]));
      if (code === null) continue;
      const doseNo = typeof r[2] === 'number' ? r[2] : Number(r[2]);
      const k = plan.slotOf.get(code)!.get(doseNo);
      if (k === undefined) {
        const key = `${code} 第${r[2]}剂`;
        extraDoses.set(key, (extraDoses.get(key) ?? 0) + 1);
        continue;
      }
      const d = fastDate(r[3]);
      if (!d) {
        noDate++;
        continue;
      }
      const ci = childIndex.get(r[0] as number);
      if (ci === undefined) continue; // a child outside the birth window of every indicator
      const at = ci * nSlots + k;
      const prev = doseDate[at]!;
      if (prev === 0 || d < prev) doseDate[at] = d;
    }
  }
  return {
    childIds,
    birth: Int32Array.from(birth),
    groupOf: Int32Array.from(groupOf),
    schedOf: Uint8Array.from(schedOf),
    resSince: Int32Array.from(resSince),
    cert: Int32Array.from(cert),
    statusOk: Uint8Array.from(statusOk),
    statusEmpty: Uint8Array.from(statusEmpty),
    statusDate: Int32Array.from(statusDate),
    extra,
    doseDate,
    groups,
    noBirth,
    noDate,
    extraDoses,
    unknownVaccines: tally.unknown,
    notInRoster: tally.orphans,
    notInRosterExamples: tally.orphanExamples,
  };
}

interface RunOptions extends ImmunizationOptions {
  gapsFor?: string;
}

interface RunResult {
  plan: Plan;
  ids: string[];
  groups: string[];
  num: Int32Array; // [idIndex * (groups + 1) + groupIndex + 1], group slot 0 = total
  den: Int32Array;
  notes: DataQualityNote[];
  gaps: ImmunizationGapRow[];
}


function run(db: Database, opts: RunOptions): RunResult {
  const { S, E } = periodInts(opts.period);
  const plan = planSchedules(opts.schedule, opts.scheduleDirs);
  const nSlots = plan.slots.length;

  // Indicator ids: per slot coverage + timely, then the fixed ones.
  const ids: string[] = [];
  for (const d of plan.slots) ids.push(`coverage.${d.code}.${d.dose}`, `timely-coverage.${d.code}.${d.dose}`);
  const FIX = ids.length;
  ids.push(...FIXED_IMMUNIZATION_IDS);
  const ID_HEPB_BIRTH = FIX;
  const ID_0Y = FIX + 1;
  const ID_16Y = FIX + 2;
  const ID_DROPOUT = FIX + 3;
  const ID_CERT = FIX + 4;
  const schedGroups = plan.schedules.map((s) => s.doses.map((d) => doseAgeGroup(d)));
  const hepb1 = plan.slotOf.get('HepB')?.get(1) ?? -1;
  const dtap1 = plan.slotOf.get('DTaP')?.get(1) ?? -1;
  const dtap3 = plan.slotOf.get('DTaP')?.get(3) ?? -1;

  const gapId = opts.gapsFor;
  let gapIdx = -1;
  if (gapId !== undefined) {
    gapIdx = ids.indexOf(gapId);
    if (gapIdx < 0) {
      throw new GongweiError('INDICATOR_NOT_IN_SCHEDULE', `免疫程序 ${plan.label} 中没有指标「${gapId}」`, {
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
  for (const d of plan.slots) maxDueMonths = Math.max(maxDueMonths, (d.due.years ?? 0) * 12 + (d.due.months ?? 0) + Math.ceil((d.due.days ?? 0) / 28) + 1);
  const minBirth = addAgeInt(S, { months: -maxDueMonths });
  const L = loadChildren(db, plan, { S, E, minBirth, by: opts.by ?? null, wantNames, childCols, vacCols, notes: opts.notes !== false });
  const { childIds, birth, groupOf, schedOf, resSince, cert, statusOk, statusEmpty, statusDate, extra, doseDate, groups } = L;
  const n = childIds.length;
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
  const windows = plan.schedules.map((s) => {
    const w = new Int32Array(s.doses.length * 2);
    s.doses.forEach((d, j) => {
      const x = birthWindow(d.due, S, E);
      w[2 * j] = x ? x[0] : 1;
      w[2 * j + 1] = x ? x[1] : 0;
    });
    return w;
  });
  const gapRow = (ci: number, reasonCode: GapReasonCode, d?: ScheduleDose, due?: number, by?: number, given?: number): void => {
    const x = extra[ci]!;
    const reason = reasonCode === 'NOT_VACCINATED' ? '应种未种' : reasonCode === 'NOT_TIMELY' ? '未及时' : '未建证';
    const row: ImmunizationGapRow = {
      indicatorId: gapId!,
      childId: childIds[ci]!,
      name: x.name,
      birthDate: intToDate(birth[ci]!),
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
    gaps.push(row);
  };

  for (let ci = 0; ci < n; ci++) {
    const b = birth[ci]!;
    if (b > E || b < minBirth) continue;
    const g = groupOf[ci]!;
    const sd = statusDate[ci]!;
    if (statusEmpty[ci] && !(sd > E)) {
      statusBlank++;
      if (statusBlankExamples.length < 5) statusBlankExamples.push(childIds[ci]!);
    } else if (!statusOk[ci] && !sd) {
      statusNoDate++;
      if (statusNoDateExamples.length < 5) statusNoDateExamples.push(childIds[ci]!);
    }
    const base = ci * nSlots;
    // 乙肝首针及时: born in P, any status.
    if (b >= S && hepb1 >= 0) {
      inc(den, ID_HEPB_BIRTH, g);
      const d = doseDate[base + hepb1]!;
      const by = addAgeInt(b, { days: 1 });
      if (d && d <= by) inc(num, ID_HEPB_BIRTH, g);
      else if (gapIdx === ID_HEPB_BIRTH) gapRow(ci, d ? 'NOT_TIMELY' : 'NOT_VACCINATED', plan.slots[hepb1], b, by, d);
    }
    if (!statusOk[ci] && !(sd > E)) continue; // in register at E: status 在册, or a status change dated after E
    // 建证率
    if (ageInYearsInt(b, E) < 7 && (resSince[ci]! || b) <= E3) {
      inc(den, ID_CERT, g);
      const c = cert[ci]!;
      if (c && c <= E) inc(num, ID_CERT, g);
      else if (gapIdx === ID_CERT) gapRow(ci, 'NO_CERTIFICATE');
    }
    // Schedule doses.
    const si = schedOf[ci]!;
    const sched = plan.schedules[si]!;
    const sslots = plan.scheduleSlots[si]!;
    const win = windows[si]!;
    for (let j = 0; j < sslots.length; j++) {
      if (b < win[2 * j]! || b > win[2 * j + 1]!) continue;
      const d = sched.doses[j]!;
      const due = addAgeInt(b, d.due);
      const k = sslots[j]!;
      const cov = 2 * k;
      const tim = cov + 1;
      const given = doseDate[base + k]!;
      const done = given !== 0 && given <= E;
      inc(den, cov, g);
      inc(den, tim, g);
      const grp = schedGroups[si]![j];
      if (grp === '0y') inc(den, ID_0Y, g);
      else if (grp === '1-6y') inc(den, ID_16Y, g);
      if (done) {
        inc(num, cov, g);
        if (grp === '0y') inc(num, ID_0Y, g);
        else if (grp === '1-6y') inc(num, ID_16Y, g);
      } else if (gapIdx === cov || (gapIdx === ID_0Y && grp === '0y') || (gapIdx === ID_16Y && grp === '1-6y')) {
        gapRow(ci, 'NOT_VACCINATED', d, due, undefined, given);
      }
      // 及时: given within the timely window (indicators.md: no "≤ E" condition, as for hepb-birth-dose-timely-rate).
      const by = addAgeInt(due, d.timely);
      if (given !== 0 && given <= by) inc(num, tim, g);
      else if (gapIdx === tim) gapRow(ci, given !== 0 ? 'NOT_TIMELY' : 'NOT_VACCINATED', d, due, by, given);
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

  // -- data-quality notes --
  const { unknownVaccines, notInRoster, notInRosterExamples, extraDoses, noDate, noBirth } = L;
  if (unknownVaccines.size > 0 && opts.notes !== false) {
    const total = [...unknownVaccines.values()].reduce((a, b) => a + b, 0);
    const top = [...unknownVaccines.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    notes.push({
      code: 'DQ_UNKNOWN_VACCINE',
      severity: 'warning',
      message: `${total}条接种记录的疫苗不在免疫程序（${plan.label}）中，未计入任何指标：${top.map(([k, v]) => `${k || '（空）'} ${v}条`).join('、')}`,
      count: total,
      examples: top.map(([k]) => k),
    });
  }
  if (notInRoster > 0 && opts.notes !== false) {
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
  return { plan, ids, groups, num, den, notes, gaps };
}

/** Numerator and denominator of every immunization indicator, for the whole unit and per group. */
export function computeImmunization(db: Database, opts: ImmunizationOptions): ImmunizationComputation {
  const r = run(db, opts);
  const only = opts.only ? new Set(opts.only) : undefined;
  const G = r.groups.length + 1;
  const order = r.groups.map((g, i) => ({ g, i })).sort((a, b) => a.g.localeCompare(b.g, 'zh-CN'));
  const counts: ImmunizationCount[] = [];
  const chosen = r.ids.map((id, k) => ({ id, k })).filter(({ id }) => !only || only.has(id));
  for (const { id, k } of chosen) counts.push({ id, group: null, numerator: r.num[k * G]!, denominator: r.den[k * G]! });
  if (opts.by) {
    for (const { g, i } of order) {
      for (const { id, k } of chosen) counts.push({ id, group: g, numerator: r.num[k * G + i + 1]!, denominator: r.den[k * G + i + 1]! });
    }
  }
  return { schedule: r.plan.label, counts, notes: r.notes };
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
  const rows = run(db, { notes: false, ...opts, gapsFor: id }).gaps;
  const cmp = (a: string | null | undefined, b: string | null | undefined) => (a ?? '\uffff').localeCompare(b ?? '\uffff', 'zh-CN');
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
  return run(db, { ...opts, only: [] }).notes;
}

/** Every immunization indicator id for a schedule choice (version, file or 'auto'), per-dose ones first. */
export function immunizationIndicatorIds(schedule?: string, scheduleDirs?: string[]): string[] {
  const plan = planSchedules(schedule, scheduleDirs);
  return [...plan.slots.flatMap((d) => [`coverage.${d.code}.${d.dose}`, `timely-coverage.${d.code}.${d.dose}`]), ...FIXED_IMMUNIZATION_IDS];
}
