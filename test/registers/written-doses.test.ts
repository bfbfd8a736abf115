// The per-child facts built from the rows a first import into an empty vaccinations register wrote (written-doses.ts)
// are the very facts built by reading the register back: the same stored tables, row for row and byte for byte.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db.js';
import { loadRegisterCatalog } from '../../src/catalog/registers.js';
import { importFiles } from '../../src/registers/import.js';
import { CHILD_FACTS_TABLES, refreshChildDoses } from '../../src/registers/child-doses.js';
import { WrittenDoses } from '../../src/registers/written-doses.js';
import { tmp, writeCsv } from './helpers.js';

const VACS = ['儿童编号', '疫苗名称', '剂次', '接种日期'];
const ROSTER = ['儿童编号', '姓名', '出生日期', '所属村', '责任医生', '状态'];

/** Every stored child fact, in rowid order (blobs as hex); `anyOrder`: sorted (a partial refresh appends its rows). */
function facts(db: Database, anyOrder = false): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of CHILD_FACTS_TABLES) {
    const rows = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all().map((r) => JSON.stringify((r as unknown[]).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))));
    out[t] = anyOrder ? rows.sort() : rows;
  }
  return out;
}

/** The facts as the register alone gives them: dropped and rebuilt by reading vaccinations back. */
function readBack(db: Database, anyOrder = false): Record<string, unknown[]> {
  for (const t of CHILD_FACTS_TABLES) db.exec(`DROP TABLE ${t}`);
  refreshChildDoses(db);
  return facts(db, anyOrder);
}

let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Vaccination rows in no particular order: several names of one vaccine, ids that sort differently as numbers and texts. */
function shuffledRows(n: number, ids: readonly string[]): (string | number | null)[][] {
  const names = ['乙肝疫苗', 'HepB', '卡介苗', 'BCG', '脊灰疫苗', '百白破', 'DTaP', '麻腮风', 'MMR', '乙脑减毒活疫苗', '水痘疫苗', 'A群流脑'];
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + Math.floor(rnd() * 28);
    const date = rnd() < 0.03 ? null : rnd() < 0.02 ? '2025-02-30' : `20${pick(['23', '24', '25'])}-0${1 + Math.floor(rnd() * 9)}-${String(day).padStart(2, '0')}`;
    rows.push([pick(ids), pick(names), rnd() < 0.05 ? `第${1 + Math.floor(rnd() * 4)}剂` : 1 + Math.floor(rnd() * 5), date]);
  }
  return rows;
}

describe('facts from the rows written = facts read back from the register', () => {
  const ids = ['C10', 'C9', 'C100', 'c1', 'Ｃ1', '甲1', '乙2', '10', '9', '0010', 'C1 ', 'é', 'e'];

  it('a first import into an empty database: shuffled rows, in-file duplicates (same and different), rejected rows', async () => {
    const dir = tmp();
    const rows = shuffledRows(3000, ids);
    rows.push([...rows[5]!], [rows[7]![0]!, rows[7]![1]!, rows[7]![2]!, '2025-01-01'], ['C9', '乙肝疫苗', '零', '2025-01-01'], ['', '乙肝疫苗', 1, '2025-01-01']);
    const file = writeCsv(path.join(dir, 'v.csv'), [VACS, ...rows]);
    const db = openDatabase(path.join(dir, 'a.sqlite'));
    const [s] = await importFiles(db, [file]);
    expect(s!.inserted).toBeGreaterThan(100);
    expect(s!.updated + s!.unchanged).toBeGreaterThan(100); // keys repeat: later rows replace earlier ones
    expect(s!.rejected).toBeGreaterThan(0);
    const written = facts(db);
    expect(written.derived_child_doses!.length).toBeGreaterThan(8); // Ｃ1 and 'C1 ' are read as C1
    expect(written).toEqual(readBack(db));
    db.close();
  });

  it('the roster imported first (stored facts of an empty register), then the vaccinations; then a second vaccinations file', async () => {
    const dir = tmp();
    const db = openDatabase(path.join(dir, 'b.sqlite'));
    await importFiles(db, [writeCsv(path.join(dir, 'r.csv'), [ROSTER, ...ids.slice(0, 8).map((id, i) => [id, '王小明', `2024-0${1 + i}-10`, '青石村', '李医生', '在册'])])]);
    await importFiles(db, [writeCsv(path.join(dir, 'v1.csv'), [VACS, ...shuffledRows(2000, ids)])]);
    const first = facts(db);
    expect(first.derived_children_chunks!.length).toBe(1);
    expect(first).toEqual(readBack(db));
    // Not empty any more: the next file's facts come from the register (only the children it touched).
    await importFiles(db, [writeCsv(path.join(dir, 'v2.csv'), [VACS, ['C9', 'BCG', 1, '2025-05-05'], ['新1', 'BCG', 1, '2025-05-05']])]);
    expect(facts(db, true)).toEqual(readBack(db, true));
    db.close();
  });

  it('an id that UTF-16 and SQLite order differently (a character beyond U+FFFF): read back from the register, the same facts', async () => {
    const dir = tmp();
    const db = openDatabase(path.join(dir, 'c.sqlite'));
    await importFiles(db, [writeCsv(path.join(dir, 'v.csv'), [VACS, ...shuffledRows(500, [...ids, '𠀀1', '\uff61'])])]);
    expect(facts(db)).toEqual(readBack(db));
    db.close();
  });
});

describe('WrittenDoses: the order SQLite gives', () => {
  const reg = loadRegisterCatalog().find((r) => r.id === 'vaccinations')!;
  const col = (n: string) => reg.columns.findIndex((c) => c.name === n);
  const values = (child: string, vaccine: string, dose: number, date: string | null) => {
    const v: (string | number | null)[] = reg.columns.map(() => null);
    v[col('child_id')] = child;
    v[col('vaccine')] = vaccine;
    v[col('dose')] = dose;
    v[col('vaccination_date')] = date;
    return v;
  };

  it('children and their rows in ORDER BY child_id, vaccine, dose (with updates at a rowid), dates as yyyymmdd', () => {
    const w = WrittenDoses.of(reg)!;
    const sq = new Sqlite(':memory:');
    sq.exec('CREATE TABLE v (child_id TEXT, vaccine TEXT, dose INTEGER, d TEXT, UNIQUE (child_id, vaccine, dose))');
    const ins = sq.prepare('INSERT OR REPLACE INTO v (rowid, child_id, vaccine, dose, d) VALUES (?, ?, ?, ?, ?)');
    const texts = ['b', 'B', 'a', 'ä', '乙', '甲', 'Ａ', '10', '9', '', 'a '];
    const rowOf = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const v = values(pick(texts), pick(texts), Math.floor(rnd() * 256), rnd() < 0.1 ? null : rnd() < 0.05 ? 'soon' : `2025-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 10)}`);
      const key = JSON.stringify([v[col('child_id')], v[col('vaccine')], v[col('dose')]]);
      const rowid = rowOf.get(key) ?? rowOf.size + 1; // a key again: an update of its row
      rowOf.set(key, rowid);
      w.put(rowid, v, 3);
      ins.run(rowid, v[col('child_id')], v[col('vaccine')], v[col('dose')], v[col('vaccination_date')]);
    }
    expect(w.usable).toBe(true);
    const got: unknown[] = [];
    w.eachChild((vaccine, dose, date) => got.push([vaccine, dose, date]), (child) => got.push(child));
    const want: unknown[] = [];
    let current: string | undefined;
    for (const [c, v, dose, d] of sq.prepare('SELECT child_id, vaccine, dose, d FROM v ORDER BY child_id, vaccine, dose').raw().all() as [string, string, number, string | null][]) {
      if (current !== undefined && c !== current) want.push(current);
      current = c;
      want.push([v, dose, /^\d{4}-\d\d-\d\d$/.test(d ?? '') ? Number(d!.replaceAll('-', '')) : 0]);
    }
    want.push(current);
    expect(got).toEqual(want);
    expect(w.children).toBe(texts.length);
  });

  it('unusable (read back instead) for rows it cannot order exactly: text or large doses, empty values, characters beyond U+FFFF', () => {
    const bad: (string | number | null)[][] = [
      values('a', 'HepB', 256, null),
      values('a', 'HepB', 1.5, null),
      values('a', null as unknown as string, 1, null),
      values(null as unknown as string, 'HepB', 1, null),
      values('𠀀', 'HepB', 1, null),
    ];
    const textDose = values('a', 'HepB', 1, null);
    textDose[col('dose')] = '1';
    for (const v of [...bad, textDose]) {
      const w = WrittenDoses.of(reg)!;
      w.put(1, values('a', 'HepB', 1, '2025-01-01'), 1);
      expect(w.usable).toBe(true);
      w.put(2, v, 1);
      expect(w.usable, JSON.stringify(v)).toBe(false);
    }
    expect(WrittenDoses.of(loadRegisterCatalog().find((r) => r.id === 'children')!)).toBeUndefined();
  });
});
