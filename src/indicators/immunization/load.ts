// Reading `children` and `vaccinations` for a run: one read of the roster, one statement over the doses P can need,
// earliest date per child and dose in a flat typed array; cached per connection until the data change.
import type { Database } from 'better-sqlite3';
import { quoteIdent, quoteString } from '../../sql.js';
import { UNKNOWN_GROUP } from '../types.js';
import { type CalendarAge, addAgeInt, daysInMonth, intToDate } from '../../calendar.js';
import { parseVaccineName } from '../../catalog/vaccine-names.js';
import type { ScheduleSet } from './schedule-set.js';

/**
 * Statuses that mean 在册. indicators.md: "status 在册, or a status change dated after E" — an empty status is not
 * 在册 (the child counts only with a status date after E) and is reported as DQ_CHILD_STATUS_EMPTY.
 */
const IN_REGISTER_STATUSES = new Set(['在册']);

export function tableColumns(db: Database, table: string): Set<string> {
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


/** SQL condition on (v, c): the vaccination row is for a dose whose due date (or, for DTaP 1, DTaP 3's) can fall in P for this child. */
function relevanceSql(set: ScheduleSet, S: number, E: number): string {
  const windows = new Map<string, Map<number, Array<[number, number]>>>();
  const add = (code: string, dose: number, w: [number, number] | undefined) => {
    if (!w) return;
    let m = windows.get(code);
    if (!m) windows.set(code, (m = new Map()));
    const list = m.get(dose) ?? [];
    list.push(w);
    m.set(dose, list);
  };
  for (const s of set.schedules) {
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
    const all = [...(set.slotOf.get(code)?.keys() ?? [])].join(', ');
    codeCases.push(`WHEN ${quoteString(code)} THEN CASE v.dose ${doseCases.join(' ')} ELSE v.dose NOT IN (${all || 0}) END`);
  }
  // Codes of the schedules with no dose due in P: their doses are irrelevant; unknown names: returned for the notes.
  for (const code of set.slotOf.keys()) {
    if (!windows.has(code)) {
      const doses = [...set.slotOf.get(code)!.keys()].join(', ');
      codeCases.push(`WHEN ${quoteString(code)} THEN v.dose NOT IN (${doses})`);
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
function vaccinationNotesTally(db: Database, set: ScheduleSet, hasRoster: boolean, resolveCode: (v: string) => string | null): NotesTally {
  const stamp = dbStamp(db);
  const key = set.schedules.map((s) => s.files.join('|')).join(';');
  let perDb = notesCache.get(db);
  if (!perDb) notesCache.set(db, (perDb = new Map()));
  const hit = perDb.get(key);
  if (hit && hit.stamp === stamp) return hit.tally;
  const codes = [...set.slotOf.keys()].map(quoteString).join(', ') || "''";
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

export interface Loaded {
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

export function dbStamp(db: Database): string {
  return `${db.pragma('data_version', { simple: true })}:${(db.prepare('SELECT total_changes()').pluck().get() as number) ?? 0}`;
}

export function loadChildren(db: Database, set: ScheduleSet, o: LoadOptions): Loaded {
  const stamp = dbStamp(db);
  const key = `${set.schedules.map((s) => s.files.join('|')).join(';')}#${o.by ?? ''}`;
  const c = loadCache.get(db);
  if (c && c.stamp === stamp && c.key === key && c.minBirth <= o.minBirth) {
    if (c.full) return c.full;
    c.full = readChildren(db, set, { ...o, minBirth: c.minBirth, wantNames: true, notes: true }, true);
    return c.full;
  }
  loadCache.set(db, { stamp, key, minBirth: o.minBirth });
  return readChildren(db, set, o, false);
}

/** One read of `children`, one SQL statement over `vaccinations` (only the rows P can need unless `full`). */
function readChildren(db: Database, set: ScheduleSet, o: LoadOptions, full: boolean): Loaded {
  const { childCols, vacCols, E, S, minBirth } = o;
  const nSlots = set.slots.length;
  const col = (c: string) => (childCols.has(c) ? quoteIdent(c) : 'NULL');
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
      schedOf.push(set.pick(b));
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
  const known = new Set(set.slots.map((d) => d.code));
  const resolveCode = (v: string): string | null => {
    let code = codeCache.get(v);
    if (code !== undefined) return code;
    if (known.has(v)) code = v;
    else {
      let found: string | undefined;
      for (const s of set.schedules) {
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
    if (o.notes) tally = vaccinationNotesTally(db, set, childCols.has('child_id'), resolveCode);
    const vsql =
      childCols.has('child_id') && childCols.has('birth_date')
        ? `SELECT c.rowid, v.vaccine, v.dose, ${dateCol} FROM children c CROSS JOIN vaccinations v ON v.child_id = c.child_id
         WHERE c.birth_date >= '${intToDate(minBirth)}'${full ? '' : ` AND c.birth_date <= '${intToDate(E)}' AND ${relevanceSql(set, S, E)}`}`
        : undefined;
    for (const r of (vsql ? db.prepare(vsql).raw().iterate() : []) as Iterable<unknown[]>) {
      const code = resolveCode(r[1] == null ? '' : String(r[1]));
      if (code === null) continue;
      const doseNo = typeof r[2] === 'number' ? r[2] : Number(r[2]);
      const k = set.slotOf.get(code)!.get(doseNo);
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
