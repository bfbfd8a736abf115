// The per-child facts stored at import (registers/child-doses.ts) against the registers themselves: the same counts,
// notes and gap lists; kept in step by re-imports; a database written without them (an older build) is read as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db.js';
import { computeImmunization, immunizationGaps } from '../../src/indicators/immunization/compute.js';
import { importFiles } from '../../src/registers/import.js';
import { childDosesFresh, refreshChildDoses } from '../../src/registers/child-doses.js';
import { period, tempDb, type ChildRow, type VacRow } from './immunization-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-imm-facts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const DERIVED = ['derived_child_doses', 'derived_vaccine_values', 'derived_children_chunks', 'derived_child_doses_state'];

/** A copy of the file without the stored facts: what the registers alone say. */
function registersOnly(file: string, from: Database): Database {
  from.pragma('wal_checkpoint(TRUNCATE)'); // the copy must hold every committed row
  const copy = path.join(dir, `plain-${Math.random().toString(36).slice(2)}.sqlite`);
  fs.copyFileSync(file, copy);
  const db = openDatabase(copy);
  for (const t of DERIVED) db.exec(`DROP TABLE IF EXISTS ${t}`);
  expect(childDosesFresh(db)).toBe(false);
  return db;
}

const runs = ['2025', '2025-03', '2024Q4', '2019'].flatMap((p) =>
  (['village', 'doctor', null] as const).flatMap((by) => (['2021', 'auto'] as const).map((schedule) => ({ p, by, schedule }))),
);

function sameAsRegisters(db: Database, plain: Database): number {
  let nonEmpty = 0;
  for (const { p, by, schedule } of runs) {
    const o = { period: period(p), by, schedule };
    const got = computeImmunization(db, o);
    expect(got, `${p} ${by} ${schedule}`).toEqual(computeImmunization(plain, o));
    nonEmpty += got.counts.filter((c) => c.denominator > 0).length;
  }
  for (const id of ['coverage.HepB.3', 'timely-coverage.MMR.1', 'dtap-dropout-rate', 'vaccination-certificate-rate']) {
    expect(immunizationGaps(db, id, { period: period('2025'), by: 'village' })).toEqual(immunizationGaps(plain, id, { period: period('2025'), by: 'village' }));
  }
  return nonEmpty;
}

describe('stored facts = the registers', () => {
  it('odd values: birth dates that are no dates, statuses with spaces, names and codes, unknown vaccines, orphans, text doses, missing dates', () => {
    const children: ChildRow[] = [
      { child_id: 'a', birth_date: '2025-03-10' },
      { child_id: 'b', birth_date: '2024-01-31', status: ' 在册 ', village: '  ' },
      { child_id: 'c', birth_date: '2020-13-01' },
      { child_id: 'd', birth_date: '2010-02-30' },
      { child_id: 'e', birth_date: 'abc' },
      { child_id: 'f', birth_date: null },
      { child_id: 'g', birth_date: '2023-06-15', status: '迁出', status_date: '2025-08-01', village: null, doctor: null },
      { child_id: 'h', birth_date: '2022-12-31', status: '', resident_since: '2024-05-01', certificate_date: '2023-01-10' },
      { child_id: 'i', birth_date: '2019-05-20', status: null },
      { child_id: '', birth_date: '2024-02-29' },
      { child_id: 'j', birth_date: '2018-01-01', village: '东溪村', doctor: '王医生' },
    ];
    const vacs: VacRow[] = [
      ['a', 'HepB', 1, '2025-03-10'],
      ['a', '乙肝疫苗', 2, '2025-04-12'],
      ['a', 'HepB', 2, '2025-04-20'],
      ['a', 'HepB', 3, null],
      ['b', 'HepB', 3, '2024-08-01'],
      ['b', 'DTaP', 1, '2024-05-01'],
      ['b', 'DTaP', 2, null],
      ['b', 'HepB', 5, '2025-01-01'],
      ['b', '水痘疫苗', 1, '2025-03-01'],
      ['c', 'BCG', 1, '2020-01-01'],
      ['g', 'MMR', 1, '2024-03-20'],
      ['g', '麻腮风', 2, '2025-01-05'],
      ['h', 'DTaP', 1, '2023-03-01'],
      ['h', 'DTaP', 2, '2023-05-01'],
      ['h', 'DTaP', 3, 'not a date'],
      ['i', 'MMR', 2, '2025-11-20'],
      ['j', 'DT', 1, '2024-01-05'],
      ['zz', 'BCG', 1, '2025-01-01'],
      ['zz', '卡介苗', 2, '2025-01-01'],
      ['', 'BCG', 1, '2025-01-01'],
    ];
    const t = tempDb(children, vacs);
    // Doses the compact form cannot hold (text, empty) and a vaccine left empty.
    t.db.prepare('INSERT INTO vaccinations (child_id, vaccine, dose, vaccination_date) VALUES (?, ?, ?, ?)').run('a', 'HepB', 'x', '2025-05-01');
    t.db.prepare('INSERT INTO vaccinations (child_id, vaccine, dose, vaccination_date) VALUES (?, ?, ?, ?)').run('h', null, 1, '2023-01-01');
    t.db.prepare('INSERT INTO vaccinations (child_id, vaccine, dose, vaccination_date) VALUES (?, ?, ?, ?)').run('b', 'MMR', null, '2025-02-01');
    const plain = registersOnly(t.file, t.db);
    refreshChildDoses(t.db);
    expect(childDosesFresh(t.db)).toBe(true);
    expect(sameAsRegisters(t.db, plain)).toBeGreaterThan(20);
    const notes = computeImmunization(t.db, { period: period('2025') }).notes.map((n) => n.code);
    for (const code of ['DQ_UNKNOWN_VACCINE', 'DQ_VACCINATION_CHILD_NOT_IN_ROSTER', 'DQ_DOSE_NOT_IN_SCHEDULE', 'DQ_VACCINATION_NO_DATE', 'DQ_CHILD_NO_BIRTH_DATE', 'DQ_CHILD_STATUS_EMPTY']) expect(notes).toContain(code);
    plain.close();
    t.cleanup();
  });

  it('generated registers: 2,500 children over three blocks, both schedules', () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const children: ChildRow[] = [];
    const vacs: VacRow[] = [];
    const codes = [['HepB', 3], ['BCG', 1], ['Polio', 4], ['DTaP', 5], ['MMR', 2], ['JE-L', 2], ['DT', 1], ['乙肝疫苗', 3], ['水痘疫苗', 2]] as const;
    for (let i = 0; i < 2500; i++) {
      const b = new Date(Date.UTC(2017, 0, 1) + Math.floor(rnd() * 3200) * 86400000).toISOString().slice(0, 10);
      children.push({ child_id: `C${i}`, birth_date: b, village: ['青石村', '东溪村', null][i % 3], status: rnd() < 0.9 ? '在册' : '迁出', status_date: rnd() < 0.5 ? '2025-06-01' : null });
      for (const [code, doses] of codes) {
        for (let d = 1; d <= doses; d++) {
          if (rnd() < 0.3) continue;
          const date = new Date(Date.parse(b) + Math.floor(rnd() * 2500) * 86400000).toISOString().slice(0, 10);
          vacs.push([`C${i}`, code, d, rnd() < 0.02 ? null : date]);
        }
      }
    }
    const t = tempDb(children, vacs);
    const plain = registersOnly(t.file, t.db);
    refreshChildDoses(t.db);
    expect(sameAsRegisters(t.db, plain)).toBeGreaterThan(200);
    plain.close();
    t.cleanup();
  });
});

function csv(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, lines.join('\r\n'));
  return f;
}
const ROSTER = '儿童编号,姓名,出生日期,所属村,责任医生,状态,状态变更日期';
const VACS = '儿童编号,疫苗名称,剂次,接种日期';

describe('kept in step by imports', () => {
  it('import → compute → re-import changed rows → compute reflects the change (and equals the registers)', async () => {
    const file = path.join(dir, 'steps.sqlite');
    const db = openDatabase(file);
    const roster = ['A1,王小明,2025-03-10,青石村,赵医生,在册,', 'A2,李小红,2025-03-11,东溪村,钱医生,在册,', 'A3,张小华,2024-09-30,青石村,赵医生,在册,'];
    await importFiles(db, [csv('roster.csv', [ROSTER, ...roster]), csv('vacs.csv', [VACS, 'A1,乙肝疫苗,1,2025-03-10', 'A2,乙肝疫苗,1,2025-03-15', 'A3,百白破,1,2024-12-30'])]);
    expect(childDosesFresh(db)).toBe(true);
    const get = (r: ReturnType<typeof computeImmunization>, id: string, g: string | null = null) => {
      const c = r.counts.find((x) => x.id === id && x.group === g)!;
      return [c.numerator, c.denominator];
    };
    const before = computeImmunization(db, { period: period('2025-03'), by: 'village' });
    expect(get(before, 'hepb-birth-dose-timely-rate')).toEqual([1, 2]);

    // A2's dose corrected to the day after birth (an update), a new child and dose (inserts), A3 moved out.
    await importFiles(db, [csv('vacs2.csv', [VACS, 'A2,乙肝疫苗,1,2025-03-12', 'A4,乙肝疫苗,1,2025-03-20'])]);
    await importFiles(db, [csv('roster2.csv', [ROSTER, ...roster.slice(0, 2), 'A3,张小华,2024-09-30,青石村,赵医生,迁出,2025-02-01', 'A4,赵小刚,2025-03-20,南岭村,孙医生,在册,'])]);
    expect(childDosesFresh(db)).toBe(true);
    const after = computeImmunization(db, { period: period('2025-03'), by: 'village' });
    expect(get(after, 'hepb-birth-dose-timely-rate')).toEqual([3, 3]);
    expect(get(after, 'hepb-birth-dose-timely-rate', '南岭村')).toEqual([1, 1]);
    const plain = registersOnly(file, db);
    expect(sameAsRegisters(db, plain)).toBeGreaterThan(3);
    plain.close();
    db.close();
  });

  it('a database written without them (older build, another tool) is read from the registers, and the next import rebuilds them', async () => {
    const file = path.join(dir, 'old.sqlite');
    const db = openDatabase(file);
    await importFiles(db, [csv('roster3.csv', [ROSTER, 'B1,王一,2025-03-10,青石村,赵医生,在册,', 'B2,王二,2025-03-11,青石村,赵医生,在册,']), csv('vacs3.csv', [VACS, 'B1,乙肝疫苗,1,2025-03-10'])]);
    expect(childDosesFresh(db)).toBe(true);
    const hepb = () => computeImmunization(db, { period: period('2025-03') }).counts.find((c) => c.id === 'hepb-birth-dose-timely-rate')!;
    expect([hepb().numerator, hepb().denominator]).toEqual([1, 2]);
    // An older build imports a file: its rows and its imports row, no facts refreshed.
    const imp = db.prepare("INSERT INTO imports (file, register, inserted, updated, started_at) VALUES ('old.csv', 'vaccinations', 0, 1, '2025-04-01')").run().lastInsertRowid;
    db.prepare("UPDATE vaccinations SET vaccination_date = '2025-03-20', _import_id = ? WHERE child_id = 'B1'").run(imp);
    expect(childDosesFresh(db)).toBe(false);
    expect([hepb().numerator, hepb().denominator]).toEqual([0, 2]);
    // Another tool adds a row (no import at all): the register's last rowid moved.
    refreshChildDoses(db);
    expect(childDosesFresh(db)).toBe(true);
    db.prepare("INSERT INTO vaccinations (child_id, vaccine, dose, vaccination_date) VALUES ('B2', 'HepB', 1, '2025-03-11')").run();
    expect(childDosesFresh(db)).toBe(false);
    expect([hepb().numerator, hepb().denominator]).toEqual([1, 2]);
    // A database from before the facts existed: no derived tables at all; the next import builds them.
    for (const t of DERIVED) db.exec(`DROP TABLE ${t}`);
    expect(childDosesFresh(db)).toBe(false);
    expect([hepb().numerator, hepb().denominator]).toEqual([1, 2]);
    await importFiles(db, [csv('roster4.csv', [ROSTER, 'B3,王三,2025-03-12,东溪村,钱医生,在册,'])]);
    expect(childDosesFresh(db)).toBe(true);
    expect([hepb().numerator, hepb().denominator]).toEqual([1, 3]);
    // Facts of another (older) format are rebuilt, not read.
    db.exec('UPDATE derived_child_doses_state SET format = format - 1');
    expect(childDosesFresh(db)).toBe(false);
    refreshChildDoses(db);
    expect(childDosesFresh(db)).toBe(true);
    const plain = registersOnly(file, db);
    expect(sameAsRegisters(db, plain)).toBeGreaterThan(0);
    plain.close();
    db.close();
  });
});
