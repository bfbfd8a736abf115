// The follow-up and record facts stored at import (derived_indicator_facts) against the registers themselves: the
// same figures; read from the first period on; kept in step by re-imports; a database imported without them (an
// older build), with a stale copy or with one of another format is read from the registers, with the same figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { refreshIndicatorFacts } from '../../src/indicators/indicator-facts.js';
import { followupFactsFresh } from '../../src/indicators/followup-facts.js';
import { recordFactsFresh } from '../../src/indicators/record-facts.js';
import { INDICATOR_FACTS_TABLE } from '../../src/indicators/stored-facts.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { importFiles } from '../../src/registers/import.js';
import { gongwei } from '../plan/helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-ind-facts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ids = loadIndicatorCatalog().all.filter((d) => d.compute.kind === 'followups' || d.compute.kind === 'records').map((d) => d.id);
const RESIDENTS = { register: 'residents', created: 'created_date', where: "coalesce(status, '') NOT IN ('死亡', '迁出')" };

function csv(name: string, rows: string[][]): string {
  const file = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
  return file;
}

const villages = ['青石村', '东溪村', '', '南岭村'];
const patients = () => [
  ['高血压患者管理'],
  ['档案编号', '所属村', '责任医生', '出生日期', '纳入管理日期', '管理状态', '终止管理日期'],
  ...Array.from({ length: 60 }, (_, i) => [`H${i}`, villages[i % 4]!, `医生${i % 3}`, `19${50 + (i % 30)}-0${1 + (i % 9)}-15`, `202${i % 7 === 0 ? 3 : 3 + (i % 3)}-${String(1 + (i % 12)).padStart(2, '0')}-0${1 + (i % 9)}`, i % 7 === 0 ? '死亡' : '在管', i % 7 === 0 ? `2025-0${1 + (i % 9)}-20` : '']),
];
/** Four follow-ups a patient in 2025 (one a quarter), some by phone, pressures around the limits; `changed`: H1's last one. */
const followups = (changed = false) => [
  ['高血压患者随访记录'],
  ['档案编号', '随访日期', '随访方式', '收缩压', '舒张压'],
  ...Array.from({ length: 60 }, (_, i) =>
    [0, 1, 2, 3].map((q) => {
      const last = i === 1 && q === 3;
      return [`H${i}`, `2025-${String(q * 3 + 1 + (i % 3)).padStart(2, '0')}-1${q}`, (i + q) % 5 === 0 || (changed && last) ? '电话' : '门诊', String(changed && last ? 175 : 120 + ((i * 7 + q * 11) % 40)), String(70 + ((i + q) % 25))];
    }),
  ).flat(),
];
const residents = () => [
  ['档案编号', '所属村', '责任医生', '建档日期', '是否电子档案', '最近服务日期', '档案状态'],
  ...Array.from({ length: 200 }, (_, i) => [`R${i}`, villages[i % 4]!, `医生${i % 3}`, `20${15 + (i % 11)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, i % 9 === 0 ? '否' : '是', `202${3 + (i % 3)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-0${1 + (i % 9)}`, i % 13 === 0 ? '迁出' : '正常']),
];

async function imported(files: string[], hook = true): Promise<{ db: Database; file: string }> {
  const file = path.join(dir, `db-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = openDatabase(file);
  await add(db, files, hook);
  return { db, file };
}

async function add(db: Database, files: string[], hook = true): Promise<void> {
  const summaries = await importFiles(db, files, { today: '2026-06-30', afterImport: hook ? refreshIndicatorFacts : undefined });
  for (const s of summaries) expect(s.error, s.file).toBeUndefined();
}

/** A copy of the file without the stored facts: what the registers alone say. */
function registersOnly(from: Database): Database {
  from.pragma('wal_checkpoint(TRUNCATE)');
  const copy = path.join(dir, `plain-${Math.random().toString(36).slice(2)}.sqlite`);
  fs.copyFileSync(from.name, copy);
  const db = openDatabase(copy);
  db.exec(`DROP TABLE IF EXISTS ${INDICATOR_FACTS_TABLE}`);
  return db;
}

const runs = ['2025', '2025-03', '2025Q4', '2024-11..2025-04', '2023'].flatMap((period) => (['village', 'doctor', null] as const).map((by) => ({ period, by })));

/** Every run on a fresh connection (what a user's process starts from) equals the registers' figures; non-empty figures counted. */
function sameAsRegisters(file: string, plain: Database): number {
  let counted = 0;
  for (const { period, by } of runs) {
    const db = openDatabase(file, { readonly: true });
    const got = computeIndicators(db, { period, by, only: ids }).results;
    db.close();
    expect(got, `${period} ${by}`).toEqual(computeIndicators(plain, { period, by, only: ids }).results);
    counted += got.filter((r) => r.numerator).length;
  }
  return counted;
}

const fresh = (db: Database) => [
  followupFactsFresh(db, 'hypertension_patients', 'hypertension_followups'),
  followupFactsFresh(db, 'diabetes_patients', 'diabetes_followups'),
  followupFactsFresh(db, 'mental_patients', 'mental_followups'),
  recordFactsFresh(db, RESIDENTS),
];

const numerator = (file: string, id: string, period: string) => {
  const db = openDatabase(file, { readonly: true });
  const r = computeIndicators(db, { period, only: [id] }).results.find((x) => x.group === null)!.numerator;
  db.close();
  return r;
};

describe('stored follow-up and record facts = the registers', () => {
  it('an import stores them; a fresh process counts from them from the first period on, with the registers’ figures', async () => {
    const { db, file } = await imported([csv('patients', patients()), csv('followups', followups()), csv('residents', residents())]);
    expect(fresh(db)).toEqual([true, true, true, true]);
    expect(sameAsRegisters(file, registersOnly(db))).toBeGreaterThan(150);
    // The stored copy is what is read: a label changed in it shows in the results (never done outside this test).
    db.prepare(`UPDATE ${INDICATOR_FACTS_TABLE} SET texts = replace(texts, '东溪村', '东溪村（存）')`).run();
    const reader = openDatabase(file, { readonly: true });
    const groups = computeIndicators(reader, { period: '2025', by: 'village', only: ['hypertension-control-rate', 'health-record-rate'] }).results.map((r) => r.group);
    reader.close();
    expect(groups.filter((g) => g === '东溪村（存）')).toHaveLength(2);
  });

  it('a re-import of changed follow-ups refreshes them: the next computation sees the change', async () => {
    const { db, file } = await imported([csv('patients', patients()), csv('followups', followups()), csv('residents', residents())]);
    const before = numerator(file, 'hypertension-control-rate', '2025Q4');
    const visitsBefore = numerator(file, 'hypertension-standard-management-rate', '2025');
    await add(db, [csv('followups', followups(true))]);
    expect(fresh(db)).toEqual([true, true, true, true]);
    // H1's last follow-up of 2025 became a phone call at 175 mmHg: one patient less controlled, one less followed up as asked.
    expect(numerator(file, 'hypertension-control-rate', '2025Q4')).toBe(before! - 1);
    expect(numerator(file, 'hypertension-standard-management-rate', '2025')).toBe(visitsBefore! - 1);
    sameAsRegisters(file, registersOnly(db));
  });

  it('imported without them (an older build), after them (stale), or of another format: read from the registers, same figures', async () => {
    // Never stored.
    const older = await imported([csv('patients', patients()), csv('followups', followups()), csv('residents', residents())], false);
    expect(fresh(older.db)).toEqual([false, false, false, false]);
    expect(sameAsRegisters(older.file, registersOnly(older.db))).toBeGreaterThan(150);
    // Stored, then a change imported by an older build (no hook): stale, and the change is counted.
    const { db, file } = await imported([csv('patients', patients()), csv('followups', followups()), csv('residents', residents())]);
    const before = numerator(file, 'hypertension-control-rate', '2025Q4');
    await add(db, [csv('followups', followups(true))], false);
    expect(fresh(db)).toEqual([false, true, true, true]);
    expect(numerator(file, 'hypertension-control-rate', '2025Q4')).toBe(before! - 1);
    sameAsRegisters(file, registersOnly(db));
    // Rows added by an older build: stale by their rowids even without an imports row saying so.
    db.prepare("INSERT INTO residents (record_id, village, created_date, status) VALUES ('R999', '青石村', '2025-01-01', '正常')").run();
    expect(recordFactsFresh(db, RESIDENTS)).toBe(false);
    sameAsRegisters(file, registersOnly(db));
    // Another format.
    refreshIndicatorFacts(db);
    expect(fresh(db)).toEqual([true, true, true, true]);
    db.prepare(`UPDATE ${INDICATOR_FACTS_TABLE} SET format = format + 1`).run();
    expect(fresh(db)).toEqual([false, false, false, false]);
    sameAsRegisters(file, registersOnly(db));
  });

  it('`gongwei registers import` stores them', () => {
    const file = path.join(dir, 'cli.sqlite');
    const r = gongwei(['registers', 'import', csv('patients', patients()), csv('followups', followups()), csv('residents', residents()), '--db', file]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const db = openDatabase(file, { readonly: true });
    expect(fresh(db)).toEqual([true, true, true, true]);
    db.close();
  });
});
