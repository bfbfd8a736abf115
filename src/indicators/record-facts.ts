// Per-row facts of a `records` family (a register, its creation date column, its row condition): one read of the
// register per database state, kept per connection — or the copy stored beside the registers when it is fresh —
// from which every period of the family's entries is counted in JavaScript. Only rows meeting the row condition
// with a text creation date are kept (a date that is not text never counts: TEXT columns compare as text).
// Compact form: a row whose creation date and `numWithin` dates are plain (or, for a `numWithin` date, not text: it
// never counts) has them as day numbers (text-day.ts); any other row keeps the texts as stored (`odd`).
import type { Database } from '../db.js';
import { quoteIdent } from '../sql.js';
import { connectionCache } from './db-state.js';
import { plainDay } from './text-day.js';
import { labelTable, readStoredFacts, storedFactsFresh, writeStoredFacts, type StoredFacts } from './stored-facts.js';
import { Int32List } from '../int32-list.js';

/** A `records` family: the rows of `register` meeting `where` (SQL, or none), by their `created` date. */
export interface RecordsFamily {
  register: string;
  created: string;
  where: string | undefined;
}

/** A row kept as stored: its creation date and its `numWithin` dates (null when not text). */
export interface OddRecord {
  created: string;
  within: (string | null)[];
}

export interface RecordFacts {
  count: number;
  /** What flag bit k stands for: a `num` condition (SQL on the row). */
  nums: string[];
  /** The `numWithin` columns: within[k] holds the dates of withins[k]. */
  withins: string[];
  /** Group labels as the SQL engine gives them (CAST(… AS TEXT)); village[i] and doctor[i] index them, −1 when empty. */
  labels: string[];
  village: Int32Array;
  doctor: Int32Array;
  /** Day numbers (0 for a row kept as stored). */
  created: Int32Array;
  flags: Int32Array;
  /** Day numbers; 0 when the date is not text (it never counts). */
  within: Int32Array[];
  odd: Map<number, OddRecord>;
}

const facts = connectionCache<{ stored: RecordFacts | undefined; read: Map<string, RecordFacts> }>();

const familyKey = (f: RecordsFamily) => [f.register, f.created, f.where ?? ''].join('\u0000');
const storeKey = (f: RecordsFamily) => `records\u0000${familyKey(f)}`;

/**
 * The facts of a family with a flag for each of `nums` and the dates of each of `withins`, in the database state
 * `state` (databaseState): the stored copy when it is fresh and has them all; otherwise read from the register.
 */
export function recordFacts(db: Database, state: string, family: RecordsFamily, nums: string[], withins: string[]): RecordFacts {
  const e = facts(db, familyKey(family), state, () => ({ stored: storedFacts(db, family), read: new Map() }));
  const s = e.stored;
  if (s && nums.every((n) => s.nums.includes(n)) && withins.every((w) => s.withins.includes(w))) return s;
  const key = [...nums, '', ...withins].join('\u0000');
  let f = e.read.get(key);
  if (!f) e.read.set(key, (f = readFacts(db, family, nums, withins)));
  return f;
}

/** Read the facts of a family from its register and store them (inside the caller's transaction). */
export function storeRecordFacts(db: Database, family: RecordsFamily, nums: string[], withins: string[]): void {
  writeStoredFacts(db, storeKey(family), [family.register], encode(readFacts(db, family, nums, withins)));
}

/** Whether the stored facts of a family describe its register as it is. */
export const recordFactsFresh = (db: Database, family: RecordsFamily): boolean => storedFactsFresh(db, storeKey(family), [family.register]);

function storedFacts(db: Database, family: RecordsFamily): RecordFacts | undefined {
  const s = readStoredFacts(db, storeKey(family), [family.register]);
  return s && decode(s);
}


function readFacts(db: Database, family: RecordsFamily, nums: string[], withins: string[]): RecordFacts {
  const c = quoteIdent(family.created);
  const ws = withins.map(quoteIdent);
  const flags = nums.length ? nums.map((n, k) => `(CASE WHEN (${n}) THEN ${1 << k} ELSE 0 END)`).join(' | ') : '0';
  const sql = `SELECT CAST(village AS TEXT), CAST(doctor AS TEXT), ${flags}, ${c}${ws.map((w) => `, ${w}`).join('')}
    FROM ${quoteIdent(family.register)} WHERE ${family.where ? `(${family.where}) AND ` : ''}typeof(${c}) = 'text'`;
  const { labels, label } = labelTable();
  const village = new Int32List();
  const doctor = new Int32List();
  const created = new Int32List();
  const bits = new Int32List();
  const within = withins.map(() => new Int32List());
  const oddRows = new Map<number, OddRecord>();
  const w = withins.length;
  for (const r of db.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
    const i = village.length;
    village.push(label(r[0]));
    doctor.push(label(r[1]));
    bits.push(r[2] as number);
    const cd = plainDay(r[3]);
    created.push(Math.max(cd, 0));
    let plain = cd >= 0;
    for (let k = 0; k < w; k++) {
      // Not text: never in P (0); text but not a plain date: the row is kept as stored.
      const v = r[4 + k];
      const d = typeof v === 'string' ? plainDay(v) : 0;
      within[k]!.push(Math.max(d, 0));
      if (d < 0) plain = false;
    }
    if (!plain) oddRows.set(i, { created: r[3] as string, within: r.slice(4).map((v) => (typeof v === 'string' ? v : null)) });
  }
  return {
    count: village.length,
    nums,
    withins,
    labels,
    village: village.values(),
    doctor: doctor.values(),
    created: created.values(),
    flags: bits.values(),
    within: within.map((a) => a.values()),
    odd: oddRows,
  };
}

/** Stored form: columns village, doctor, created, flags, within…; JSON texts. */
function encode(f: RecordFacts): StoredFacts {
  return { columns: [f.village, f.doctor, f.created, f.flags, ...f.within], texts: JSON.stringify({ nums: f.nums, withins: f.withins, labels: f.labels, odd: [...f.odd] }) };
}

function decode(s: StoredFacts): RecordFacts {
  const [village, doctor, created, flags, ...within] = s.columns as [Int32Array, Int32Array, Int32Array, Int32Array, ...Int32Array[]];
  const t = JSON.parse(s.texts) as { nums: string[]; withins: string[]; labels: string[]; odd: [number, OddRecord][] };
  return { count: village.length, nums: t.nums, withins: t.withins, labels: t.labels, village, doctor, created, flags, within, odd: new Map(t.odd) };
}
