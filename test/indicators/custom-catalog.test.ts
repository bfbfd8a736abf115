// Custom indicators (--catalog): loaded and computed; SQL that tries to write fails clearly and changes nothing.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
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
