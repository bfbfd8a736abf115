// Derived facts of the children and vaccinations registers, stored beside them, so that the immunization indicators
// read a few large rows instead of 110,000 children and a million doses:
//   derived_child_doses    one row per child id of vaccinations: every vaccination of that child in a compact form
//                          (vaccine value id, dose, date as yyyymmdd), and how many rows;
//   derived_vaccine_values the vaccine values (the register's text) with their row counts;
//   derived_children_chunks the children in blocks of 1,024 rowids: their fields as typed arrays (dates as yyyymmdd,
//                          texts as indices into the block's own list) and their doses, in rowid order.
// Only the registers' values, never a rule of the indicators (which status is 在册, which vaccine a name means).
// Kept in step by the import (refreshChildDoses at the end of its transaction, for the rows the import touched);
// a database written otherwise (an older build, another tool) is detected as stale (childDosesFresh) and the
// indicators then read the registers themselves.
import { tableExists, type Database } from '../db.js';
import { leadingDateInt } from '../calendar.js';
import { blobOfInt32s, int32sOfBlob } from '../int32-blob.js';
import type { WrittenDoses } from './written-doses.js';

export const CHILD_DOSES_TABLE = 'derived_child_doses';
export const VACCINE_VALUES_TABLE = 'derived_vaccine_values';
export const CHILDREN_CHUNKS_TABLE = 'derived_children_chunks';
const STATE_TABLE = 'derived_child_doses_state';
/** Bumped when the stored form changes: facts of another format are stale. */
const FORMAT = 4;
/** Children per stored block (rowid >> CHUNK_BITS). */
const CHUNK_BITS = 10;
/** A record's dose that is not a plain whole number 0…65534 (text, a fraction, empty): readers take that child's rows from the register. */
export const IRREGULAR_DOSE = 0xffff;
const MAX_VALUE_ID = 0x7fff;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${CHILD_DOSES_TABLE} (child_id TEXT, n INTEGER NOT NULL, doses BLOB NOT NULL)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS ${CHILD_DOSES_TABLE}_child ON ${CHILD_DOSES_TABLE} (child_id)`,
  `CREATE TABLE IF NOT EXISTS ${VACCINE_VALUES_TABLE} (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE, n INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${CHILDREN_CHUNKS_TABLE} (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL, texts TEXT NOT NULL, ids TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (format INTEGER NOT NULL, import_id INTEGER NOT NULL, max_rowid INTEGER NOT NULL, children_max_rowid INTEGER NOT NULL, orphans TEXT NOT NULL)`,
];
/** Every table of the stored child facts. */
export const CHILD_FACTS_TABLES = [CHILD_DOSES_TABLE, VACCINE_VALUES_TABLE, CHILDREN_CHUNKS_TABLE, STATE_TABLE];

const maxRowid = (db: Database, table: string) => (db.prepare(`SELECT max(rowid) FROM ${table}`).pluck().get() as number | null) ?? 0;

/** The registers' present state: the last import id and the last rowids of vaccinations and children. */
function sourceState(db: Database): { importId: number; maxRowid: number; childrenMaxRowid: number } {
  const importId = tableExists(db, 'imports') ? ((db.prepare('SELECT max(id) FROM imports').pluck().get() as number | null) ?? 0) : 0;
  return { importId, maxRowid: maxRowid(db, 'vaccinations'), childrenMaxRowid: maxRowid(db, 'children') };
}

/**
 * Whether the stored facts describe the vaccinations register as it is: same format, no row added since, and no import
 * that changed vaccinations since (an import by an older build, which does not refresh them, makes them stale).
 */
export function childDosesFresh(db: Database): boolean {
  if (![...CHILD_FACTS_TABLES, 'vaccinations', 'children'].every((t) => tableExists(db, t))) return false;
  const st = readState(db);
  if (!st || st.format !== FORMAT) return false;
  if (maxRowid(db, 'vaccinations') !== st.maxRowid || maxRowid(db, 'children') !== st.childrenMaxRowid) return false;
  if (!tableExists(db, 'imports')) return true;
  const changed = db.prepare("SELECT 1 FROM imports WHERE id > ? AND register IN ('vaccinations', 'children') AND (inserted > 0 OR updated > 0) LIMIT 1").get(st.importId);
  return !changed;
}

function readState(db: Database): { format: number; importId: number; maxRowid: number; childrenMaxRowid: number } | undefined {
  let st: number[][];
  try {
    st = db.prepare(`SELECT format, import_id, max_rowid, children_max_rowid FROM ${STATE_TABLE}`).raw().all() as number[][];
  } catch {
    return undefined; // a state table of another format
  }
  if (st.length !== 1) return undefined;
  const [format, importId, maxRowid, childrenMaxRowid] = st[0]!;
  return { format: format!, importId: importId!, maxRowid: maxRowid!, childrenMaxRowid: childrenMaxRowid! };
}

/** The records of one child's blob: Int32 pairs [value id × 65536 + dose, date yyyymmdd or 0], little-endian. */
export const doseRecords = int32sOfBlob;

/** Vaccinations whose child id is not in the children register: how many rows, and the first five such ids (NULL as ''), in id order. */
export function vaccinationOrphans(db: Database): { rows: number; examples: string[] } {
  return JSON.parse(db.prepare(`SELECT orphans FROM ${STATE_TABLE}`).pluck().get() as string) as { rows: number; examples: string[] };
}

function countOrphans(db: Database): { rows: number; examples: string[] } {
  const out = { rows: 0, examples: [] as string[] };
  const sql = `SELECT child_id, n FROM ${CHILD_DOSES_TABLE} WHERE child_id IS NULL OR child_id NOT IN (SELECT child_id FROM children) ORDER BY child_id`;
  for (const r of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
    out.rows += Number(r[1]);
    if (out.examples.length < 5) out.examples.push(r[0] == null ? '' : String(r[0]));
  }
  return out;
}

/** Vaccine values by id (the register's text; an empty or missing value is ''), with how many rows hold each. */
export function vaccineValues(db: Database): Array<{ id: number; value: string; n: number }> {
  return db.prepare(`SELECT id, value, n FROM ${VACCINE_VALUES_TABLE} ORDER BY id`).all() as Array<{ id: number; value: string; n: number }>;
}

class Builder {
  private readonly ids = new Map<string, number>();
  private readonly counts = new Map<number, number>();
  private nextId = 1;
  /** Written by finish(): better-sqlite3 cannot write while the register is being read. */
  private readonly newValues: Array<[number, string]> = [];
  private readonly newChildren: Array<[string | null, number, Buffer]> = [];
  private readonly recs: number[] = [];

  constructor(private readonly db: Database) {
    for (const r of db.prepare(`SELECT id, value FROM ${VACCINE_VALUES_TABLE}`).raw().iterate() as IterableIterator<[number, string]>) {
      this.ids.set(r[1], r[0]);
      this.nextId = Math.max(this.nextId, r[0] + 1);
    }
  }

  private valueId(v: unknown): number {
    const text = v == null ? '' : String(v);
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(text, id);
      this.newValues.push([id, text]);
    }
    return id;
  }

  /** Subtract the counts of a child's stored records (before they are replaced). */
  forget(blob: Buffer): void {
    const r = doseRecords(blob);
    for (let i = 0; i < r.length; i += 2) {
      const id = r[i]! >>> 16;
      this.counts.set(id, (this.counts.get(id) ?? 0) - 1);
    }
  }

  /** One record of the child being built: the vaccine (the register's value), the dose, the date as yyyymmdd (or 0). */
  add(vaccine: unknown, dose: unknown, date: number): void {
    let id = this.valueId(vaccine);
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    // More distinct values than fit: the record keeps its count under the value but is read from the register.
    const regular = typeof dose === 'number' && Number.isInteger(dose) && dose >= 0 && dose < IRREGULAR_DOSE && id <= MAX_VALUE_ID;
    if (id > MAX_VALUE_ID) id = 0;
    this.recs.push(id * 65536 + (regular ? (dose as number) : IRREGULAR_DOSE), date);
  }

  /** The child whose records were just added (none: nothing stored). */
  endChild(childId: unknown): void {
    if (!this.recs.length) return;
    this.newChildren.push([childId == null ? null : String(childId), this.recs.length / 2, blobOfInt32s(Int32Array.from(this.recs))]);
    this.recs.length = 0;
  }

  /** Store one child's rows [vaccine, dose, date][]. */
  child(childId: unknown, rows: unknown[][]): void {
    for (const [vaccine, dose, date] of rows) this.add(vaccine, dose, leadingDateInt(date));
    this.endChild(childId);
  }

  /** Write the children's rows, the new values and the value counts. */
  finish(): void {
    const insertValue = this.db.prepare(`INSERT INTO ${VACCINE_VALUES_TABLE} (id, value, n) VALUES (?, ?, 0)`);
    for (const [id, value] of this.newValues) insertValue.run(id, value);
    const insertChild = this.db.prepare(`INSERT INTO ${CHILD_DOSES_TABLE} (child_id, n, doses) VALUES (?, ?, ?)`);
    for (const c of this.newChildren) insertChild.run(...c);
    const add = this.db.prepare(`UPDATE ${VACCINE_VALUES_TABLE} SET n = n + ? WHERE id = ?`);
    for (const [id, d] of this.counts) if (d) add.run(d, id);
  }
}

/**
 * Rebuild every child's facts: from the rows this import wrote when they are the whole register (`written`), else
 * in one pass over vaccinations in natural-key order. The same facts either way (tested).
 */
function rebuildAll(db: Database, written?: WrittenDoses): void {
  db.exec(`DELETE FROM ${CHILD_DOSES_TABLE}; DELETE FROM ${VACCINE_VALUES_TABLE};`);
  const b = new Builder(db);
  if (written?.usable) {
    written.eachChild((vaccine, dose, date) => b.add(vaccine, dose, date), (childId) => b.endChild(childId));
    b.finish();
    return;
  }
  let current: unknown = undefined;
  let rows: unknown[][] = [];
  let started = false;
  const sql = 'SELECT child_id, vaccine, dose, vaccination_date FROM vaccinations ORDER BY child_id, vaccine, dose';
  for (const r of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
    if (!started || r[0] !== current) {
      if (started) b.child(current, rows);
      started = true;
      current = r[0];
      rows = [];
    }
    rows.push([r[1], r[2], r[3]]);
  }
  if (started) b.child(current, rows);
  b.finish();
}

/** Rebuild the facts of the given children (their stored rows replaced by the register's). */
function rebuildChildren(db: Database, children: unknown[]): void {
  const b = new Builder(db);
  const old = db.prepare(`SELECT rowid, doses FROM ${CHILD_DOSES_TABLE} WHERE child_id IS ?`).raw();
  const drop = db.prepare(`DELETE FROM ${CHILD_DOSES_TABLE} WHERE rowid = ?`);
  const rowsOf = db.prepare('SELECT vaccine, dose, vaccination_date FROM vaccinations WHERE child_id IS ? ORDER BY vaccine, dose').raw();
  for (const c of children) {
    for (const [rowid, blob] of old.all(c) as Array<[number, Buffer]>) {
      b.forget(blob);
      drop.run(rowid);
    }
    const rows = rowsOf.all(c) as unknown[][];
    if (rows.length) b.child(c, rows);
  }
  b.finish();
}

/** The fields of a stored child, in the order of the typed arrays of a block. */
export const CHUNK_FIELDS = ['rowid', 'birth', 'birthFlag', 'status', 'statusDate', 'residentSince', 'certificate', 'village', 'doctor', 'doseStart', 'doseCount'] as const;
/** birthFlag: 0 a calendar date (birth = yyyymmdd); 1 shaped YYYY-MM-DD but not a calendar date (birth = its digits); 2 empty or another shape. */
export const BIRTH_DATE = 0;
export const BIRTH_NOT_A_DATE = 1;
export const BIRTH_OTHER = 2;
const DATE_SHAPE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;

/** One stored block decoded: per field an Int32Array of its children, the dose records, the ids and the texts. */
export interface ChildrenChunk {
  n: number;
  fields: Record<(typeof CHUNK_FIELDS)[number], Int32Array>;
  /** Int32 pairs as in doseRecords, for every child of the block. */
  records: Int32Array;
  /** The children's ids, read when asked for (examples, gap rows). */
  ids: () => string[];
  /** The texts that status, village and doctor point into; -1 = empty (NULL). */
  texts: string[];
}

export function decodeChunk(data: Buffer, texts: string, ids: string): ChildrenChunk {
  const all = doseRecords(data);
  const n = all[0]!;
  const nRec = all[1]!;
  const fields = {} as ChildrenChunk['fields'];
  CHUNK_FIELDS.forEach((f, k) => (fields[f] = all.subarray(2 + k * n, 2 + (k + 1) * n)));
  let idList: string[] | undefined;
  const idsOf = () => (idList ??= JSON.parse(ids) as string[]);
  return { n, fields, records: all.subarray(2 + CHUNK_FIELDS.length * n, 2 + CHUNK_FIELDS.length * n + nRec * 2), ids: idsOf, texts: JSON.parse(texts) as string[] };
}

/** The stored blocks in rowid order. */
export function* childrenChunks(db: Database): Generator<ChildrenChunk> {
  for (const [data, texts, ids] of db.prepare(`SELECT data, texts, ids FROM ${CHILDREN_CHUNKS_TABLE} ORDER BY chunk`).raw().iterate() as IterableIterator<[Buffer, string, string]>) {
    yield decodeChunk(data, texts, ids);
  }
}

/** Rebuild the stored blocks of children (and their doses, from derived_child_doses). */
function rebuildChunks(db: Database, chunks: Iterable<number>): void {
  const read = db.prepare(`SELECT c.rowid, c.child_id, c.birth_date, c.status, c.status_date, c.resident_since, c.certificate_date, c.village, c.doctor, f.doses
    FROM children c LEFT JOIN ${CHILD_DOSES_TABLE} f ON f.child_id = c.child_id WHERE c.rowid BETWEEN ? AND ? ORDER BY c.rowid`).raw();
  const drop = db.prepare(`DELETE FROM ${CHILDREN_CHUNKS_TABLE} WHERE chunk = ?`);
  const put = db.prepare(`INSERT INTO ${CHILDREN_CHUNKS_TABLE} (chunk, data, texts, ids) VALUES (?, ?, ?, ?)`);
  for (const chunk of chunks) {
    const rows = read.all(chunk << CHUNK_BITS, ((chunk + 1) << CHUNK_BITS) - 1) as unknown[][];
    drop.run(chunk);
    const kept = rows.filter((r) => r[1] != null && String(r[1]) !== ''); // a child without an id is never counted
    if (!kept.length) continue;
    const n = kept.length;
    const blobs = kept.map((r) => (r[9] as Buffer | null) ?? null);
    const nRec = blobs.reduce((a, b) => a + (b ? b.byteLength >> 3 : 0), 0);
    const out = new Int32Array(2 + CHUNK_FIELDS.length * n + nRec * 2);
    out[0] = n;
    out[1] = nRec;
    const field = Object.fromEntries(CHUNK_FIELDS.map((f, k) => [f, 2 + k * n])) as Record<(typeof CHUNK_FIELDS)[number], number>;
    const at = (f: (typeof CHUNK_FIELDS)[number], i: number) => field[f] + i;
    const texts: string[] = [];
    const textIndex = new Map<string, number>();
    const text = (v: unknown): number => {
      if (v == null) return -1;
      const t = String(v);
      let k = textIndex.get(t);
      if (k === undefined) {
        k = texts.length;
        texts.push(t);
        textIndex.set(t, k);
      }
      return k;
    };
    let rec = 2 + CHUNK_FIELDS.length * n;
    const ids: string[] = [];
    kept.forEach((r, i) => {
      ids.push(String(r[1]));
      out[at('rowid', i)] = r[0] as number;
      const b = leadingDateInt(r[2]);
      const shaped = typeof r[2] === 'string' && DATE_SHAPE.test(r[2]);
      out[at('birth', i)] = b || (shaped ? Number((r[2] as string).slice(0, 10).replaceAll('-', '')) : 0);
      out[at('birthFlag', i)] = b ? BIRTH_DATE : shaped ? BIRTH_NOT_A_DATE : BIRTH_OTHER;
      out[at('status', i)] = text(r[3]);
      out[at('statusDate', i)] = leadingDateInt(r[4]);
      out[at('residentSince', i)] = leadingDateInt(r[5]);
      out[at('certificate', i)] = leadingDateInt(r[6]);
      out[at('village', i)] = text(r[7]);
      out[at('doctor', i)] = text(r[8]);
      const blob = blobs[i];
      const recs = blob ? doseRecords(blob) : undefined;
      out[at('doseStart', i)] = (rec - (2 + CHUNK_FIELDS.length * n)) >> 1;
      out[at('doseCount', i)] = recs ? recs.length >> 1 : 0;
      if (recs) {
        out.set(recs, rec);
        rec += recs.length;
      }
    });
    put.run(chunk, blobOfInt32s(out), JSON.stringify(texts), JSON.stringify(ids));
  }
}

const allChunks = (db: Database) => {
  const last = maxRowid(db, 'children') >> CHUNK_BITS;
  return Array.from({ length: last + 1 }, (_, i) => i);
};

/**
 * Bring the stored facts in step with the registers (inside the caller's transaction, or in its own): built in full
 * when missing, of another format, or when most children changed; otherwise only the children whose rows were added
 * or changed since (rows carry the id of the import that last wrote them). `written`: the rows of a first import into
 * an empty vaccinations register, as it wrote them (written-doses.ts), when it wrote every row the register has.
 */
export function refreshChildDoses(db: Database, written?: WrittenDoses): void {
  if (!tableExists(db, 'vaccinations') || !tableExists(db, 'children')) return;
  const run = () => {
    const st = readState(db);
    const valid = !!st && st.format === FORMAT;
    if (!valid) for (const t of CHILD_FACTS_TABLES) db.exec(`DROP TABLE IF EXISTS ${t}`);
    for (const sql of SCHEMA) db.exec(sql);
    const now = sourceState(db);
    const fresh = valid && childDosesFresh(db);
    if (!fresh) {
      // Children whose vaccinations changed since the stored state (none to list when the facts are of another format).
      // Rows all written by this import after that state: every child of the register, counted without reading it.
      const touchedRows = () => db.prepare('SELECT DISTINCT child_id FROM vaccinations WHERE rowid > ? OR _import_id > ?').pluck().all(st!.maxRowid, st!.importId);
      const allWritten = valid && written?.usable && written.minImportId > st.importId;
      let touched = valid && !allWritten ? touchedRows() : undefined;
      const nTouched = allWritten ? written!.children : touched?.length;
      if (nTouched === undefined || nTouched * 4 > (db.prepare(`SELECT count(*) FROM ${CHILD_DOSES_TABLE}`).pluck().get() as number)) {
        rebuildAll(db, written);
        rebuildChunks(db, allChunks(db));
      } else {
        touched ??= touchedRows();
        rebuildChildren(db, touched);
        const chunks = new Set<number>();
        for (const rowid of db.prepare('SELECT rowid FROM children WHERE rowid > ? OR _import_id > ?').pluck().iterate(st!.childrenMaxRowid, st!.importId) as IterableIterator<number>) {
          chunks.add(rowid >> CHUNK_BITS);
        }
        const rowidOf = db.prepare('SELECT rowid FROM children WHERE child_id = ?').pluck();
        for (const c of touched) {
          const rowid = c == null ? undefined : (rowidOf.get(c) as number | undefined);
          if (rowid !== undefined) chunks.add(rowid >> CHUNK_BITS);
        }
        rebuildChunks(db, [...chunks].sort((a, b) => a - b));
      }
    }
    const orphans = fresh ? (db.prepare(`SELECT orphans FROM ${STATE_TABLE}`).pluck().get() as string) : JSON.stringify(countOrphans(db));
    db.exec(`DELETE FROM ${STATE_TABLE}`);
    db.prepare(`INSERT INTO ${STATE_TABLE} (format, import_id, max_rowid, children_max_rowid, orphans) VALUES (?, ?, ?, ?, ?)`).run(FORMAT, now.importId, now.maxRowid, now.childrenMaxRowid, orphans);
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
}
