// What the data-quality notes need of each register (its villages, its patients' status counts), stored at import
// (derived_indicator_facts, one row a register) against the registers themselves: the same notes; the stored copy is
// what a fresh process reads; an import (with or without the hook) or rows written by another tool make it stale,
// and the registers are scanned, with the same notes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { refreshIndicatorFacts } from '../../src/indicators/indicator-facts.js';
import { qualityKey } from '../../src/indicators/quality.js';
import { INDICATOR_FACTS_TABLE, storedFactsFresh } from '../../src/indicators/stored-facts.js';
import { importFiles } from '../../src/registers/import.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-quality-facts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function csv(name: string, rows: string[][]): string {
  const file = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
  return file;
}

const population = () => [
  ['年度', '所属村', '常住人口', '65岁及以上人口'],
  ['2025', '青石村', '3000', '400'],
  ['2025', '东溪村', '2000', '300'],
];
/** Patients of three villages (南岭村 has no population data), some lost without an end date. */
const patients = (extra: string[][] = []) => [
  ['高血压患者管理'],
  ['档案编号', '所属村', '责任医生', '出生日期', '纳入管理日期', '管理状态', '终止管理日期'],
  ...Array.from({ length: 30 }, (_, i) => [`H${i}`, ['青石村', '东溪村', '南岭村'][i % 3]!, `医生${i % 2}`, '1950-03-15', '2023-05-01', i % 5 === 0 ? '失访' : '在管', '']),
  ...extra,
];
const residents = (extra: string[][] = []) => [
  ['档案编号', '所属村', '建档日期', '档案状态'],
  ...Array.from({ length: 40 }, (_, i) => [`R${i}`, ['青石村', '东溪村', '北岭村', ''][i % 4]!, '2020-01-01', '正常']),
  ...extra,
];

async function add(db: Database, files: string[], hook = true): Promise<void> {
  const summaries = await importFiles(db, files, { today: '2026-06-30', afterImport: hook ? refreshIndicatorFacts : undefined });
  for (const s of summaries) expect(s.error, s.file).toBeUndefined();
}

async function imported(): Promise<{ db: Database; file: string }> {
  const file = path.join(dir, `db-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = openDatabase(file);
  await add(db, [csv('population', population()), csv('patients', patients()), csv('residents', residents())]);
  return { db, file };
}

/** The notes of a fresh connection (as a user's process starts) and of a copy without any stored facts. */
function notesBothWays(db: Database): { stored: unknown; registers: unknown } {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const reader = openDatabase(db.name, { readonly: true });
  const stored = computeIndicators(reader, { period: '2025', by: 'village', only: ['hypertension-management-rate'] }).notes;
  reader.close();
  const copy = path.join(dir, `plain-${Math.random().toString(36).slice(2)}.sqlite`);
  fs.copyFileSync(db.name, copy);
  const plain = openDatabase(copy);
  plain.exec(`DROP TABLE ${INDICATOR_FACTS_TABLE}`);
  const registers = computeIndicators(plain, { period: '2025', by: 'village', only: ['hypertension-management-rate'] }).notes;
  plain.close();
  return { stored, registers };
}

const fresh = (db: Database) => ['residents', 'hypertension_patients'].map((t) => storedFactsFresh(db, qualityKey(t), [t]));
const note = (notes: unknown, code: string) => (notes as { code: string; count?: number; examples?: string[] }[]).find((n) => n.code === code);

describe('stored data-quality facts = the registers', () => {
  it('an import stores them; a fresh process reads them; same notes as the registers give', async () => {
    const { db, file } = await imported();
    expect(fresh(db)).toEqual([true, true]);
    const { stored, registers } = notesBothWays(db);
    expect(stored).toEqual(registers);
    expect(note(stored, 'DQ_VILLAGE_NOT_IN_POPULATION')).toMatchObject({ count: 2 });
    expect([...note(stored, 'DQ_VILLAGE_NOT_IN_POPULATION')!.examples!].sort()).toEqual(['北岭村', '南岭村'].sort());
    expect(note(stored, 'DQ_STATUS_NO_END_DATE')).toMatchObject({ count: 6 });
    // The stored copy is what is read: a village changed in it shows in the notes (never done outside this test).
    db.prepare(`UPDATE ${INDICATOR_FACTS_TABLE} SET texts = replace(texts, '北岭村', '北岭村（存）') WHERE key = ?`).run(qualityKey('residents'));
    const reader = openDatabase(file, { readonly: true });
    const examples = note(computeIndicators(reader, { period: '2025', only: ['health-record-rate'] }).notes, 'DQ_VILLAGE_NOT_IN_POPULATION')!.examples;
    reader.close();
    expect(examples).toContain('北岭村（存）');
  });

  it('a re-import that adds or changes rows refreshes them: the next notes see the change', async () => {
    const { db } = await imported();
    await add(db, [csv('residents', residents([['R100', '西坪村', '2021-01-01', '正常']])), csv('patients', patients([['H100', '青石村', '医生0', '1950-03-15', '2023-05-01', '失访', '']]))]);
    expect(fresh(db)).toEqual([true, true]);
    const { stored, registers } = notesBothWays(db);
    expect(stored).toEqual(registers);
    expect(note(stored, 'DQ_VILLAGE_NOT_IN_POPULATION')).toMatchObject({ count: 3 });
    expect(note(stored, 'DQ_STATUS_NO_END_DATE')).toMatchObject({ count: 7 });
    // An update in place (H0 no longer lost: 在管) through an import.
    const updated = patients().map((r) => (r[0] === 'H0' ? [...r.slice(0, 5), '在管', ''] : r));
    await add(db, [csv('patients', updated)]);
    expect(fresh(db)).toEqual([true, true]);
    expect(note(notesBothWays(db).stored, 'DQ_STATUS_NO_END_DATE')).toMatchObject({ count: 6 });
  });

  it('changed by an older build (no hook) or by another tool: stale, the registers are scanned, same notes', async () => {
    const { db } = await imported();
    await add(db, [csv('residents', residents([['R100', '西坪村', '2021-01-01', '正常']]))], false);
    expect(fresh(db)).toEqual([false, true]);
    let both = notesBothWays(db);
    expect(both.stored).toEqual(both.registers);
    expect(note(both.stored, 'DQ_VILLAGE_NOT_IN_POPULATION')).toMatchObject({ count: 3 });
    // A row written directly (no imports row): stale by its rowid.
    refreshIndicatorFacts(db);
    expect(fresh(db)).toEqual([true, true]);
    db.prepare("INSERT INTO hypertension_patients (patient_id, village, enrolled_date, status) VALUES ('H200', '东坡村', '2024-01-01', '失访')").run();
    expect(fresh(db)).toEqual([true, false]);
    both = notesBothWays(db);
    expect(both.stored).toEqual(both.registers);
    expect(note(both.stored, 'DQ_VILLAGE_NOT_IN_POPULATION')).toMatchObject({ count: 4 });
    expect(note(both.stored, 'DQ_STATUS_NO_END_DATE')).toMatchObject({ count: 7 });
  });
});
