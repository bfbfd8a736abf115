// Reading `children` and `vaccinations` for a run: one read of the roster, one statement over the doses the calendar
// year(s) of P can need (one row per child), earliest date per child and dose in a flat typed array; cached per
// connection until the data change, for every period within those years.
import type { Database, Statement } from 'better-sqlite3';
import { quoteIdent, quoteString } from '../../sql.js';
import { UNKNOWN_GROUP } from '../types.js';
import { type CalendarAge, addAgeInt, dateIntAt as dateAt, leadingDateInt as fastDate, intToDate } from '../../calendar.js';
import { parseVaccineName } from '../../catalog/vaccine-names.js';
import type { ScheduleSet } from './schedule-set.js';
import { BIRTH_DATE, BIRTH_OTHER, IRREGULAR_DOSE, childDosesFresh, childrenChunks, vaccinationOrphans, vaccineValues } from '../../registers/child-doses.js';

/**
 * Statuses that mean 在册. indicators.md: "status 在册, or a status change dated after E" — an empty status is not
 * 在册 (the child counts only with a status date after E) and is reported as DQ_CHILD_STATUS_EMPTY.
 */
const IN_REGISTER_STATUSES = new Set(['在册']);

export function tableColumns(db: Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
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
  const windows = relevanceWindows(set, S, E);
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

/** Per schedule code and dose: the births whose due date for it can fall in S..E (DTaP 1 also those of DTaP 3: dropout). */
function relevanceWindows(set: ScheduleSet, S: number, E: number): Map<string, Map<number, Array<[number, number]>>> {
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
  return windows;
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
function vaccinationNotesTally(db: Database, set: ScheduleSet, hasRoster: boolean, resolveCode: (v: string) => string | null, facts: () => boolean): NotesTally {
  const stamp = dbStamp(db);
  const key = set.schedules.map((s) => s.files.join('|')).join(';');
  let perDb = notesCache.get(db);
  if (!perDb) notesCache.set(db, (perDb = new Map()));
  const hit = perDb.get(key);
  if (hit && hit.stamp === stamp) return hit.tally;
  const tally = facts() ? notesFromFacts(db, hasRoster, resolveCode) : notesFromRegister(db, set, hasRoster, resolveCode);
  perDb.set(key, { stamp, tally });
  return tally;
}

/** The whole-table notes from the stored per-child facts: the vaccine values with their counts, one row per child. */
function notesFromFacts(db: Database, hasRoster: boolean, resolveCode: (v: string) => string | null): NotesTally {
  const tally: NotesTally = { unknown: new Map(), orphans: 0, orphanExamples: [] };
  for (const { value, n } of vaccineValues(db)) if (n > 0 && resolveCode(value) === null) tally.unknown.set(value, n);
  if (hasRoster) {
    const o = vaccinationOrphans(db);
    tally.orphans = o.rows;
    tally.orphanExamples = o.examples;
  } else {
    for (const { n } of vaccineValues(db)) tally.orphans += n;
  }
  return tally;
}

function notesFromRegister(db: Database, set: ScheduleSet, hasRoster: boolean, resolveCode: (v: string) => string | null): NotesTally {
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
  return tally;
}

export interface Loaded {
  /** Children read (indices 0 … n-1) and their ids (looked up when needed: examples, gap rows). */
  n: number;
  childId: (ci: number) => string;
  birth: Int32Array;
  groupOf: Int32Array; // -1 without breakdown
  schedOf: Uint8Array;
  resSince: Int32Array;
  cert: Int32Array;
  statusOk: Uint8Array; // status 在册
  statusEmpty: Uint8Array; // status empty (not 在册)
  statusDate: Int32Array;
  /** Name, village and doctor: only when names were asked for (gap lists). */
  extra: Array<{ name: string | null; village: string | null; doctor: string | null }>;
  doseDate: Int32Array; // [child * slots + slot] earliest date, 0 = none
  /** Per child: vaccination rows of a schedule dose without a valid date. */
  noDateOf: Int32Array;
  /** Vaccination rows of a known vaccine with a dose number outside the schedule: [child index, 'HepB 第4剂']. */
  extraDoseRows: Array<[number, string]>;
  groups: string[];
  noBirth: number;
  unknownVaccines: Map<string, number>;
  notInRoster: number;
  notInRosterExamples: string[];
}

interface LoadOptions {
  /** The period's start and end (yyyymmdd). */
  S: number;
  E: number;
  /** The oldest due age in the schedules, in months: children born that long before S are the oldest P needs. */
  dueMonths: number;
  by: 'village' | 'doctor' | null;
  wantNames: boolean;
  childCols: Set<string>;
  vacCols: Set<string>;
  notes: boolean;
  /** The stored per-child facts of vaccinations are in step with the register (registers/child-doses.ts): read them instead. */
  facts?: boolean;
}

interface LoadCache {
  stamp: string;
  key: string;
  /** The calendar years read: every period inside them reuses the read. */
  from: number;
  to: number;
  names: boolean;
  loaded: Loaded;
}
const loadCache = new WeakMap<Database, LoadCache>();

export function dbStamp(db: Database): string {
  return `${db.pragma('data_version', { simple: true })}:${(db.prepare('SELECT total_changes()').pluck().get() as number) ?? 0}`;
}

/**
 * The children and the doses that periods within the calendar years of P can need: every month and quarter
 * of a year, and the year itself, reuse one read while the data do not change. The whole-table notes come
 * from their own cache.
 */
export function loadChildren(db: Database, set: ScheduleSet, o: LoadOptions): Loaded {
  const stamp = dbStamp(db);
  // Checked only when something is read (not when the caches answer).
  let freshFacts: boolean | undefined;
  const facts = () => (freshFacts ??= VACCINATION_COLUMNS.every((c) => o.vacCols.has(c)) && CHILD_COLUMNS.every((c) => o.childCols.has(c)) && childDosesFresh(db));
  const key = `${set.schedules.map((s) => s.files.join('|')).join(';')}#${o.by ?? ''}`;
  let c = loadCache.get(db);
  if (!c || c.stamp !== stamp || c.key !== key || c.from > o.S || c.to < o.E || (o.wantNames && !c.names)) {
    const from = Math.floor(o.S / 10000) * 10000 + 101;
    const to = Math.floor(o.E / 10000) * 10000 + 1231;
    // Gap lists (names) read the roster itself: the stored blocks hold no names.
    c = { stamp, key, from, to, names: o.wantNames, loaded: readChildren(db, set, { ...o, S: from, E: to, facts: !o.wantNames && facts() }) };
    loadCache.set(db, c);
  }
  const L = c.loaded;
  if (!o.notes || !o.vacCols.has('child_id') || !o.vacCols.has('vaccine') || !o.vacCols.has('dose')) return L;
  const tally = vaccinationNotesTally(db, set, o.childCols.has('child_id'), codeResolver(set), facts);
  return { ...L, unknownVaccines: tally.unknown, notInRoster: tally.orphans, notInRosterExamples: tally.orphanExamples };
}

/** Vaccine value → schedule code: a code as is, a name through the schedules' names; null when unknown. */
function codeResolver(set: ScheduleSet): (v: string) => string | null {
  const cache = new Map<string, string | null>();
  const known = new Set(set.slots.map((d) => d.code));
  return (v) => {
    let code = cache.get(v);
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
    cache.set(v, code);
    return code;
  };
}

type DoseOut = { doseDate: Int32Array; noDateOf: Int32Array; extraDoseRows: Array<[number, string]> };

/** One dose record of child ci → its slot's earliest date, a dose without date, or a dose outside the schedule. */
function doseRecorder(set: ScheduleSet, out: DoseOut): (ci: number, code: string, doseNo: number, doseText: () => unknown, date: number) => void {
  const { doseDate, noDateOf, extraDoseRows } = out;
  const nSlots = set.slots.length;
  return (ci, code, doseNo, doseText, date) => {
    const k = set.slotOf.get(code)!.get(doseNo);
    if (k === undefined) extraDoseRows.push([ci, `${code} 第${doseText()}剂`]);
    else if (!date) noDateOf[ci]!++;
    else {
      const at = ci * nSlots + k;
      const prev = doseDate[at]!;
      if (prev === 0 || date < prev) doseDate[at] = date;
    }
  };
}

const VACCINATION_COLUMNS = ['child_id', 'vaccine', 'dose', 'vaccination_date'];
const CHILD_COLUMNS = ['child_id', 'birth_date', 'status', 'status_date', 'resident_since', 'certificate_date', 'village', 'doctor'];
const DATE_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'";

/**
 * One read of `children` and of their vaccinations, one row per child: crossing from SQLite into JavaScript
 * costs per row (2025 on the bench's county data: 67,000 rows instead of 173,000).
 */
function readChildren(db: Database, set: ScheduleSet, o: LoadOptions): Loaded {
  const { childCols, vacCols, S, E } = o;
  const minBirth = addAgeInt(S, { months: -o.dueMonths });
  const nSlots = set.slots.length;
  const col = (c: string) => (childCols.has(c) ? `c.${quoteIdent(c)}` : 'NULL');
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
  const hasRoster = childCols.has('child_id') && childCols.has('birth_date');
  const groupOfValue = (groupRaw: unknown): number => {
    if (!o.by) return -1;
    const gv = groupRaw == null || String(groupRaw).trim() === '' ? UNKNOWN_GROUP : String(groupRaw);
    let g = groupIndex.get(gv) ?? -1;
    if (g < 0) {
      g = groups.length;
      groups.push(gv);
      groupIndex.set(gv, g);
    }
    return g;
  };
  const statusText = (statusRaw: unknown) => (statusRaw == null ? '' : String(statusRaw).trim());
  /** One child of the roster with a birth date in [minBirth, E]. */
  const add = (id: string, b: number, status: string, sd: number, g: number, rs: number, ct: number, rowid: number): number => {
    const ci = childIds.length;
    childIndex.set(rowid, ci);
    childIds.push(id);
    birth.push(b);
    statusOk.push(IN_REGISTER_STATUSES.has(status) ? 1 : 0);
    statusEmpty.push(status === '' ? 1 : 0);
    statusDate.push(sd);
    groupOf.push(g);
    schedOf.push(set.pick(b));
    resSince.push(rs);
    cert.push(ct);
    return ci;
  };
  if (hasRoster && o.facts) return readFacts(db, set, o, minBirth);
  if (hasRoster) {
    const sql = `SELECT c.child_id, c.birth_date, ${col('status')}, ${col('status_date')}, ${groupCol}, ${col('resident_since')}, ${col('certificate_date')}${
      o.wantNames ? `, ${col('name')}, ${col('village')}, ${col('doctor')}` : ''
    }, c.rowid FROM children c
      WHERE c.birth_date >= '${intToDate(minBirth)}' OR c.birth_date IS NULL OR c.birth_date NOT GLOB ${DATE_GLOB}`;
    const rowidAt = o.wantNames ? 10 : 7;
    for (const r of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
      const id = r[0] == null ? '' : String(r[0]);
      if (!id) continue;
      const b = fastDate(r[1]);
      if (!b) {
        noBirth++;
        continue;
      }
      if (b < minBirth || b > E) continue;
      add(id, b, statusText(r[2]), fastDate(r[3]), groupOfValue(r[4]), fastDate(r[5]), fastDate(r[6]), r[rowidAt] as number);
      if (o.wantNames) {
        const t = (v: unknown) => (v == null || v === '' ? null : String(v));
        extra.push({ name: t(r[7]), village: t(r[8]), doctor: t(r[9]) });
      }
    }
  }
  const n = childIds.length;
  const doseDate = new Int32Array(n * nSlots);
  const noDateOf = new Int32Array(n);
  const extraDoseRows: Array<[number, string]> = [];
  const record = doseRecorder(set, { doseDate, noDateOf, extraDoseRows });
  if (hasRoster && vacCols.has('child_id') && vacCols.has('vaccine') && vacCols.has('dose')) {
    const resolveCode = codeResolver(set);
    const dateCol = vacCols.has('vaccination_date') ? 'v.vaccination_date' : 'NULL';
    const one = (ci: number, vaccine: unknown, dose: unknown, date: unknown): void => {
      const code = resolveCode(vaccine == null ? '' : String(vaccine));
      if (code !== null) record(ci, code, typeof dose === 'number' ? dose : Number(dose), () => dose, fastDate(date));
    };
    let byChild: Statement | undefined;
    const rowByRow = (rowid: number, ci: number) => {
      byChild ??= db.prepare(`SELECT v.vaccine, v.dose, ${dateCol} FROM children c CROSS JOIN vaccinations v ON v.child_id = c.child_id WHERE c.rowid = ? AND ${relevanceSql(set, S, E)}`).raw();
      for (const x of byChild.iterate(rowid) as IterableIterator<unknown[]>) one(ci, x[0], x[1], x[2]);
    };
    const memo: NameMemo = { name: '', code: resolveCode(''), resolve: resolveCode };
    // One row per child: 'dose US date US vaccine' records joined by RS (ASCII unit/record separators), and the
    // number of records, so that a value holding a separator is noticed (that child is then read row by row).
    const sql = `SELECT c.rowid, count(*), group_concat(coalesce(v.dose, '') || char(31) || coalesce(${dateCol}, '') || char(31) || coalesce(v.vaccine, ''), char(30))
      FROM children c CROSS JOIN vaccinations v ON v.child_id = c.child_id
      WHERE c.birth_date >= '${intToDate(minBirth)}' AND c.birth_date <= '${intToDate(E)}' AND ${relevanceSql(set, S, E)} GROUP BY c.rowid`;
    for (const r of db.prepare(sql).raw().iterate() as IterableIterator<[number, number, string]>) {
      const ci = childIndex.get(r[0]);
      if (ci === undefined) continue; // a child outside the birth window, or without an id
      if (!readPacked(r[2], r[1], ci, memo, record)) rowByRow(r[0], ci);
    }
  }
  return {
    n: childIds.length,
    childId: (ci) => childIds[ci]!,
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
    noDateOf,
    extraDoseRows,
    groups,
    noBirth,
    unknownVaccines: new Map(),
    notInRoster: 0,
    notInRosterExamples: [],
  };
}

/**
 * The children and their doses from the stored facts (registers/child-doses.ts): the same children in the same (rowid)
 * order, the same rules, as the statements over the registers in readChildren.
 */
function readFacts(db: Database, set: ScheduleSet, o: LoadOptions, minBirth: number): Loaded {
  const { S, E } = o;
  const chunks = [...childrenChunks(db)];
  let cap = 0;
  for (const k of chunks) cap += k.n;
  const birth = new Int32Array(cap);
  const groupOf = new Int32Array(cap);
  const schedOf = new Uint8Array(cap);
  const resSince = new Int32Array(cap);
  const cert = new Int32Array(cap);
  const statusOk = new Uint8Array(cap);
  const statusEmpty = new Uint8Array(cap);
  const statusDate = new Int32Array(cap);
  const rowids = new Int32Array(cap);
  const where = new Int32Array(cap * 2); // [chunk, index in it]
  const recArr: Int32Array[] = [];
  const recStart = new Int32Array(cap);
  const recCount = new Int32Array(cap);
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  let noBirth = 0;
  let n = 0;
  chunks.forEach((k, kc) => {
    const f = k.fields;
    // Per text of the block (not per child): the status as read, the group.
    const ok = new Uint8Array(k.texts.length + 1);
    const empty = new Uint8Array(k.texts.length + 1);
    empty[0] = 1; // NULL
    k.texts.forEach((t, i) => {
      const st = t.trim();
      ok[i + 1] = IN_REGISTER_STATUSES.has(st) ? 1 : 0;
      empty[i + 1] = st === '' ? 1 : 0;
    });
    const groupField = o.by === 'village' ? f.village : o.by === 'doctor' ? f.doctor : undefined;
    const groupsOf = new Int32Array(k.texts.length + 1).fill(-2); // [text + 1], -2 = not yet looked up
    const groupAt = (t: number): number => {
      let g = groupsOf[t + 1]!;
      if (g !== -2) return g;
      const raw = t < 0 ? null : k.texts[t]!;
      const gv = raw == null || raw.trim() === '' ? UNKNOWN_GROUP : raw;
      g = groupIndex.get(gv) ?? -1;
      if (g < 0) {
        g = groups.length;
        groups.push(gv);
        groupIndex.set(gv, g);
      }
      return (groupsOf[t + 1] = g);
    };
    for (let i = 0; i < k.n; i++) {
      const flag = f.birthFlag[i]!;
      const b = f.birth[i]!;
      if (flag !== BIRTH_DATE) {
        // As the statement's WHERE: an empty or odd-shaped birth date always, a YYYY-MM-DD that is no date from minBirth on.
        if (flag === BIRTH_OTHER || b >= minBirth) noBirth++;
        continue;
      }
      if (b < minBirth || b > E) continue;
      const st = f.status[i]! + 1;
      birth[n] = b;
      statusOk[n] = ok[st]!;
      statusEmpty[n] = empty[st]!;
      statusDate[n] = f.statusDate[i]!;
      groupOf[n] = groupField ? groupAt(groupField[i]!) : -1;
      schedOf[n] = set.pick(b);
      resSince[n] = f.residentSince[i]!;
      cert[n] = f.certificate[i]!;
      rowids[n] = f.rowid[i]!;
      where[2 * n] = kc;
      where[2 * n + 1] = i;
      recArr[n] = k.records;
      recStart[n] = f.doseStart[i]! * 2;
      recCount[n] = f.doseCount[i]!;
      n++;
    }
  });
  const nSlots = set.slots.length;
  const doseDate = new Int32Array(n * nSlots);
  const noDateOf = new Int32Array(n);
  const extraDoseRows: Array<[number, string]> = [];
  const resolveCode = codeResolver(set);
  const record = doseRecorder(set, { doseDate, noDateOf, extraDoseRows });
  // A child whose records the compact form cannot hold: its rows from the register, as readChildren reads them.
  let byChild: Statement | undefined;
  const rowByRow = (rowid: number, ci: number) => {
    byChild ??= db.prepare(`SELECT v.vaccine, v.dose, v.vaccination_date FROM children c CROSS JOIN vaccinations v ON v.child_id = c.child_id WHERE c.rowid = ? AND ${relevanceSql(set, S, E)}`).raw();
    for (const [vaccine, dose, date] of byChild.iterate(rowid) as IterableIterator<unknown[]>) {
      const code = resolveCode(vaccine == null ? '' : String(vaccine));
      if (code === null) continue;
      // As the packed rows read them: an empty dose is '' (dose 0).
      const text = dose == null ? '' : String(dose);
      record(ci, code, typeof dose === 'number' ? dose : Number(text), () => text, fastDate(date));
    }
  };
  recordFacts(db, set, S, E, { arr: recArr, start: recStart, count: recCount }, rowids.subarray(0, n), birth, resolveCode, { doseDate, noDateOf, extraDoseRows }, rowByRow);
  return {
    n,
    childId: (ci) => chunks[where[2 * ci]!]!.ids()[where[2 * ci + 1]!]!,
    birth: birth.subarray(0, n),
    groupOf: groupOf.subarray(0, n),
    schedOf: schedOf.subarray(0, n),
    resSince: resSince.subarray(0, n),
    cert: cert.subarray(0, n),
    statusOk: statusOk.subarray(0, n),
    statusEmpty: statusEmpty.subarray(0, n),
    statusDate: statusDate.subarray(0, n),
    extra: [],
    doseDate,
    noDateOf,
    extraDoseRows,
    groups,
    noBirth,
    unknownVaccines: new Map(),
    notInRoster: 0,
    notInRosterExamples: [],
  };
}

/** What a stored record of one vaccine value and dose does: nothing, or count for its slot (or as a dose outside the schedule). */
interface RecordPlan {
  skip: boolean;
  /** Births [lo, hi, lo, hi …] where it counts (the value is a schedule code whose dose can be due); null: every birth. */
  births: Int32Array | null;
  slot: number; // -1: a dose outside the schedule
  extraKey: string;
}

/**
 * The doses of the children read, from their stored facts. The same rows as the statement over the register keeps
 * (relevanceSql): a record whose vaccine value is a schedule code counts only for a child born in a window where that
 * dose can be due in S..E (or when the dose is outside the schedule); names of vaccines always count. A child with a
 * record the compact form cannot hold (a dose that is not a whole number) is read from the register.
 */
function recordFacts(
  db: Database, set: ScheduleSet, S: number, E: number, recs: { arr: Int32Array[]; start: Int32Array; count: Int32Array }, rowids: Int32Array, birth: Int32Array,
  resolveCode: (v: string) => string | null, out: DoseOut, rowByRow: (rowid: number, ci: number) => void,
): void {
  const windows = relevanceWindows(set, S, E);
  const codeOf: Array<string | null> = [];
  const exact: boolean[] = [];
  for (const { id, value } of vaccineValues(db)) {
    codeOf[id] = resolveCode(value);
    exact[id] = set.slotOf.has(value);
  }
  const plans: Array<RecordPlan | undefined> = [];
  const bigDoses = new Map<number, RecordPlan>();
  const planOf = (id: number, dose: number): RecordPlan => {
    const small = dose < 64;
    let p = small ? plans[id * 64 + dose] : bigDoses.get(id * 65536 + dose);
    if (p) return p;
    const code = codeOf[id] ?? null;
    if (code === null) p = { skip: true, births: null, slot: -1, extraKey: '' };
    else {
      const slot = set.slotOf.get(code)!.get(dose);
      const w = windows.get(code)?.get(dose);
      const skip = exact[id]! && !w && slot !== undefined;
      p = { skip, births: exact[id] && w ? Int32Array.from(w.flat()) : null, slot: slot ?? -1, extraKey: `${code} 第${dose}剂` };
    }
    if (small) plans[id * 64 + dose] = p;
    else bigDoses.set(id * 65536 + dose, p);
    return p;
  };
  const { doseDate, noDateOf, extraDoseRows } = out;
  const nSlots = set.slots.length;
  for (let ci = 0; ci < rowids.length; ci++) {
    const arr = recs.arr[ci];
    if (!arr) continue;
    const from = recs.start[ci]!;
    const to = from + recs.count[ci]! * 2;
    let regular = true;
    for (let i = from; i < to; i += 2) {
      const x = arr[i]!;
      if ((x & 0xffff) === IRREGULAR_DOSE || x >>> 16 === 0) regular = false;
    }
    if (!regular) {
      rowByRow(rowids[ci]!, ci);
      continue;
    }
    const b = birth[ci]!;
    for (let i = from; i < to; i += 2) {
      const x = arr[i]!;
      const p = planOf(x >>> 16, x & 0xffff);
      if (p.skip) continue;
      const w = p.births;
      if (w) {
        let inside = false;
        for (let k = 0; k < w.length; k += 2) if (b >= w[k]! && b <= w[k + 1]!) inside = true;
        if (!inside) continue;
      }
      const date = arr[i + 1]!;
      if (p.slot < 0) extraDoseRows.push([ci, p.extraKey]);
      else if (!date) noDateOf[ci]!++;
      else {
        const at = ci * nSlots + p.slot;
        const prev = doseDate[at]!;
        if (prev === 0 || date < prev) doseDate[at] = date;
      }
    }
  }
}


/** The last vaccine value seen and its code: a child's records come sorted by vaccine (the natural-key index). */
interface NameMemo {
  name: string;
  code: string | null;
  resolve: (v: string) => string | null;
}

/**
 * The records of one child's packed vaccinations (see readChildren) → record(); false, with nothing recorded,
 * when they do not split into `count` records of three fields.
 */
function readPacked(
  s: string,
  count: number,
  ci: number,
  memo: NameMemo,
  record: (ci: number, code: string, doseNo: number, doseText: () => unknown, date: number) => void,
): boolean {
  // Check the shape first (rare failures must not leave half a child recorded), then record.
  let n = 0;
  for (let i = 0; i <= s.length; n++) {
    const a = s.indexOf(US, i);
    const b = a < 0 ? -1 : s.indexOf(US, a + 1);
    if (b < 0) return false;
    let e = s.indexOf(RS, b + 1);
    if (e < 0) e = s.length;
    const extra = s.indexOf(US, b + 1);
    if (extra >= 0 && extra < e) return false;
    i = e + 1;
  }
  if (n !== count) return false;
  for (let i = 0; i <= s.length; ) {
    const a = s.indexOf(US, i);
    const b = s.indexOf(US, a + 1);
    let e = s.indexOf(RS, b + 1);
    if (e < 0) e = s.length;
    if (e - b - 1 !== memo.name.length || !s.startsWith(memo.name, b + 1)) {
      memo.name = s.slice(b + 1, e);
      memo.code = memo.resolve(memo.name);
    }
    const code = memo.code;
    if (code !== null) {
      let doseNo = 0;
      for (let k = i; k < a; k++) {
        const c = s.charCodeAt(k) - 48;
        if (c < 0 || c > 9) {
          doseNo = Number(s.slice(i, a));
          break;
        }
        doseNo = doseNo * 10 + c;
      }
      const from = i;
      record(ci, code, doseNo, () => s.slice(from, a), b - a - 1 >= 10 ? dateAt(s, a + 1) : 0);
    }
    i = e + 1;
  }
  return true;
}
const US = '\x1f';
const RS = '\x1e';
