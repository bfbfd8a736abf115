// Custom indicators (--catalog): loaded and computed; SQL that tries to write fails clearly and changes nothing.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { readBuiltinFile } from '../../src/catalog/check.js';
import { loadRegisterCatalog } from '../../src/catalog/registers.js';
import { computeGaps } from '../../src/indicators/gaps.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { gongwei, root, tempDir } from '../plan/helpers.js';
import { freshDb, insert } from './helpers.js';

const fixtures = path.join(root, 'test/fixtures/indicators');

function sampleDb() {
  const { db, file } = freshDb();
  insert(db, 'hypertension_patients', [{ patient_id: 'a', village: '青石村', enrolled_date: '2020-01-01', status: '在管' }]);
  insert(db, 'hypertension_followups', [
    { patient_id: 'a', followup_date: '2025-02-01', method: '电话' },
    { patient_id: 'a', followup_date: '2025-05-01', method: '门诊' },
  ]);
  db.close();
  return file;
}

describe('custom indicator catalogue', () => {
  it('a user file is loaded beside the built-ins and computed', () => {
    const file = sampleDb();
    const catalog = loadIndicatorCatalog({ extraDirs: [path.join(fixtures, 'custom')] });
    expect(catalog.resolve('电话随访占比')?.custom).toBe(true);
    const db = openDatabase(file, { readonly: true });
    const r = computeIndicators(db, { period: '2025', only: ['hypertension-phone-followup-share'], catalog }).results[0]!;
    expect(r).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
  });
  it('through the binary: --catalog adds it to list and compute', () => {
    const file = sampleDb();
    const list = gongwei(['indicators', 'list', '--catalog', path.join(fixtures, 'custom'), '-f', 'json']);
    expect(JSON.parse(list.stdout).find((d: { id: string }) => d.id === 'hypertension-phone-followup-share')).toMatchObject({ custom: true });
    const r = gongwei(['indicators', 'compute', '--db', file, '--period', '2025', '--catalog', path.join(fixtures, 'custom'), '--only', '电话随访占比', '-f', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ id: 'hypertension-phone-followup-share', value: 50 });
  });
  for (const name of ['sneaky-delete', 'cte-insert']) {
    it(`${name}: writing SQL fails with a clear error pointing at the file, and the database is unchanged`, () => {
      const file = sampleDb();
      const d = tempDir();
      copyFileSync(path.join(fixtures, 'custom-write', `${name}.yaml`), path.join(d, `${name}.yaml`));
      const before = readFileSync(file);
      const r = gongwei(['indicators', 'compute', '--db', file, '--period', '2025', '--catalog', d, '--only', name]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^错误 \[INDICATOR_SQL_(WRITE|ERROR)\]/);
      expect(r.stderr).toContain(`${name}.yaml:`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const db = openDatabase(file, { readonly: true });
      expect((db.prepare('SELECT count(*) AS n FROM hypertension_patients').get() as { n: number }).n).toBe(1);
      db.close();
      expect(readFileSync(file).equals(before)).toBe(true);
    });
  }
  it('a direct write through the engine on a writable connection is refused too (query_only)', () => {
    const { db } = freshDb();
    const cat = loadIndicatorCatalog({ extraDirs: [path.join(fixtures, 'custom-write')] });
    expect(() => computeIndicators(db, { period: '2025', only: ['cte-insert'], catalog: cat })).toThrow(/修改数据库|只能/);
    expect((db.prepare('SELECT count(*) AS n FROM hypertension_patients').get() as { n: number }).n).toBe(0);
  });
  it('a schema error in a user file names file:line:col', () => {
    const r = gongwei(['indicators', 'list', '--catalog', path.join(fixtures, 'custom-bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[CATALOG_INVALID\].*bad-key\.yaml:10:3 .*denominater/);
  });
});

/** A catalogue directory with one entry per [file name, YAML text]. */
function catalogDir(entries: Record<string, string>): string {
  const d = tempDir();
  for (const [name, text] of Object.entries(entries)) writeFileSync(path.join(d, name), text);
  return d;
}

const entry = (id: string, sql: string, extra = '') => `id: ${id}
name: ${id}指标
unit: '%'
kind: rate
register: hypertension_patients
numerator: 测试
${extra}compute:
  kind: sql
  sql: |
    ${sql.split('\n').join('\n    ')}
`;

describe('custom indicators are safe and first-class', () => {
  it('a custom entry cannot take a built-in name or alias, nor another custom entry’s: the error names both files', () => {
    const fake = catalogDir({ 'fake.yaml': entry('fake', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients').replace('name: fake指标', 'name: 高血压患者规范管理率') });
    const r = gongwei(['indicators', 'list', '--catalog', fake]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[CATALOG_INVALID\].*fake\.yaml:2:7 .*高血压患者规范管理率.*hypertension-standard-management-rate\.yaml/);
    // An alias written differently (full-width digits, spaces) is the same name.
    const alias = catalogDir({ 'a.yaml': entry('a', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients').replace('name: a指标', 'name: 甲指标\naliases: [高血压 规范管理率]') });
    expect(gongwei(['indicators', 'list', '--catalog', alias]).stderr).toMatch(/CATALOG_INVALID.*a\.yaml:3:\d+ .*高血压 规范管理率/);
    const two = catalogDir({ 'x.yaml': entry('x', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients'), 'y.yaml': entry('y', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients').replace('name: y指标', 'name: x指标') });
    expect(gongwei(['indicators', 'list', '--catalog', two]).stderr).toMatch(/CATALOG_INVALID.*y\.yaml:2:7 .*x指标.*x\.yaml/);
    // The plan's target is therefore never matched to a fake entry.
    expect(() => loadIndicatorCatalog({ extraDirs: [fake] })).toThrow(/已被/);
  });

  it('a custom entry names a register and a population column the catalogue has', () => {
    const d = catalogDir({ 'r.yaml': entry('r', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients').replace('register: hypertension_patients', 'register: nosuch') });
    expect(gongwei(['indicators', 'list', '--catalog', d]).stderr).toMatch(/CATALOG_INVALID.*r\.yaml:5:11 .*nosuch/);
  });

  it('gaps SQL is checked like the computation: a write is refused, on the binary’s read-only connection and on a writable one, and nothing changes', () => {
    const file = sampleDb();
    const d = catalogDir({ 'g.yaml': entry('g', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients') + '  gaps: |\n    DELETE FROM hypertension_patients RETURNING patient_id AS person_id\n' });
    const before = readFileSync(file);
    const r = gongwei(['indicators', 'gaps', 'g', '--db', file, '--period', '2025', '--catalog', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[INDICATOR_SQL_WRITE\].*人员清单 SQL.*g\.yaml:12/);
    expect(readFileSync(file).equals(before)).toBe(true);
    const db = openDatabase(file);
    try {
      const cat = loadIndicatorCatalog({ extraDirs: [d] });
      expect(() => computeGaps(db, 'g', { period: '2025', catalog: cat })).toThrow(/修改数据库/);
      expect((db.prepare('SELECT count(*) AS n FROM hypertension_patients').get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
  });

  it('every custom SQL runs under a time limit (--sql-timeout) and stops with the file and line', () => {
    const file = sampleDb();
    const forever = 'WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)\nSELECT NULL AS village, NULL AS doctor, count(*) AS num, 1 AS den FROM r';
    const d = catalogDir({ 'slow.yaml': entry('slow', forever) + '  gaps: |\n    WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT NULL AS village, NULL AS doctor, x AS person_id, NULL AS name FROM r ORDER BY x DESC\n' });
    const t0 = Date.now();
    const r = gongwei(['indicators', 'compute', '--db', file, '--period', '2025', '--catalog', d, '--only', 'slow', '--sql-timeout', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[INDICATOR_SQL_TIMEOUT\].*1 秒.*slow\.yaml:10/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const g = gongwei(['indicators', 'gaps', 'slow', '--db', file, '--period', '2025', '--catalog', d, '--sql-timeout', '1']);
    expect(g.stderr).toMatch(/^错误 \[INDICATOR_SQL_TIMEOUT\].*人员清单 SQL.*slow\.yaml:13/);
    expect(gongwei(['indicators', 'compute', '--db', file, '--period', '2025', '--sql-timeout', '0']).stderr).toMatch(/USAGE_SQL_TIMEOUT/);
  }, 60_000);

  it.each([
    ['no such column', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients\nWHERE nosuch = 1', 'INDICATOR_SQL_ERROR', 11],
    ['a result column missing', 'SELECT village, doctor, 1 AS num FROM hypertension_patients', 'INDICATOR_SQL_COLUMNS', 10],
    ['an unknown parameter', 'SELECT village, doctor, 1 AS num, 1 AS den FROM hypertension_patients\nWHERE enrolled_date <= :month', 'INDICATOR_SQL_PARAMETER', 11],
    ['a syntax error', 'SELECT village doctor 1 AS num, 1 AS den\nFROM hypertension_patients', 'INDICATOR_SQL_SYNTAX', 10],
    ['a value too big', 'SELECT village, doctor, length(zeroblob(2000000000)) AS num, 1 AS den FROM hypertension_patients', 'INDICATOR_SQL_ERROR', 10],
    ['ATTACH', "ATTACH DATABASE 'x.sqlite' AS x", 'INDICATOR_SQL_WRITE', 10],
    ['VACUUM INTO', "VACUUM INTO 'copy.sqlite'", 'INDICATOR_SQL_WRITE', 10],
    ['a writable PRAGMA', 'PRAGMA query_only = 0', 'INDICATOR_SQL_WRITE', 10],
  ])('%s: a Chinese error with its code, the file and the SQL line; nothing written', (_name, sql, code, line) => {
    const file = sampleDb();
    const d = catalogDir({ 'bad.yaml': entry('bad', sql) });
    const before = readFileSync(file);
    const r = gongwei(['indicators', 'compute', '--db', file, '--period', '2025', '--catalog', d, '--only', 'bad'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^错误 \\[${code}\\]：指标「bad指标」的 SQL .*bad\\.yaml:${line}）`));
    expect(r.stderr).not.toMatch(/INTERNAL|readonly database|Missing named|not authorized|too big|no such|near "/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(d)).toEqual(['bad.yaml']);
  });
});

describe('catalogue entries are checked against their schema when they load, built-in ones too', () => {
  it('a built-in indicator entry with a misspelled key does not load silently', () => {
    const d = tempDir();
    const f = path.join(d, 'health-record-rate.yaml');
    writeFileSync(f, readFileSync(path.join(root, 'catalog/indicators/health-record-rate.yaml'), 'utf8').replace('\nnumerator:', '\nnumerater:'));
    expect(() => readBuiltinFile('indicator', f)).toThrow(/^程序自带的目录文件有误.*health-record-rate\.yaml:\d+:1 .*不认识的键「numerater」，是否应为「numerator」/);
    try {
      readBuiltinFile('indicator', f);
    } catch (e) {
      expect((e as { code: string }).code).toBe('CATALOG_INVALID');
    }
  });
  it('a register entry with a misspelled key, or a check naming a column it lacks, does not load', () => {
    const d = tempDir();
    const text = readFileSync(path.join(root, 'catalog/registers/hypertension_followups.yaml'), 'utf8');
    writeFileSync(path.join(d, 'hypertension_followups.yaml'), text.replace('naturalKey:', 'naturalkey:'));
    expect(() => loadRegisterCatalog(d)).toThrow(/hypertension_followups\.yaml:\d+:1 .*不认识的键「naturalkey」，是否应为「naturalKey」/);
    const d2 = tempDir();
    writeFileSync(path.join(d2, 'hypertension_followups.yaml'), text.replace('columns: [sbp, dbp]', 'columns: [sbp, dpb]'));
    expect(() => loadRegisterCatalog(d2)).toThrow(/没有这些列：dpb/);
  });
  it('every built-in entry loads (indicators, registers, domains, schedules)', () => {
    expect(loadIndicatorCatalog({ schedule: 'auto' }).all.length).toBeGreaterThan(50);
    expect(loadRegisterCatalog().length).toBe(15);
  });
});
