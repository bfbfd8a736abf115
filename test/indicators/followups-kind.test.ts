// The `followups` entries against the SQL they replaced (kept here as the definition to agree with), on generated
// data full of edge cases, for many periods and groupings; and the per-patient facts are never stale.
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { refreshIndicatorFacts } from '../../src/indicators/indicator-facts.js';
import { inlineSqlFunctions, registerSqlFunctions } from '../../src/indicators/sql-functions.js';
import { UNKNOWN_GROUP } from '../../src/indicators/types.js';
import { seeded } from './generated.js';
import { freshDb, insert } from './helpers.js';

const managed = 'managed(p.enrolled_date, p.ended_date, p.status, :start, :end)';
const visits = (f: string, p: string, where: string) => `SELECT p.village, p.doctor,
  (SELECT count(*) FROM ${f} f WHERE f.patient_id = p.patient_id
     AND f.followup_date BETWEEN max(:start, p.enrolled_date) AND min(:end, coalesce(p.ended_date, :end)) ${where})
   >= required_followups(p.enrolled_date, p.ended_date, :start, :end) AS num, 1 AS den
  FROM ${p} p WHERE ${managed}`;
const last = (f: string, p: string, value: string) => `SELECT p.village, p.doctor,
  coalesce((SELECT ${value} FROM ${f} f WHERE f.patient_id = p.patient_id AND f.followup_date BETWEEN :start AND :end
    ORDER BY f.followup_date DESC LIMIT 1), 0) AS num, 1 AS den
  FROM ${p} p WHERE ${managed}`;
const count = (p: string) => `SELECT p.village, p.doctor, 1 AS num, NULL AS den FROM ${p} p WHERE ${managed}`;

/** The SQL of each entry before it became `kind: followups` (catalogue of 2026-12-02). */
const SQL: Record<string, string> = {
  'hypertension-standard-management-rate': visits('hypertension_followups', 'hypertension_patients', "AND coalesce(f.method, '') <> '电话'"),
  'hypertension-control-rate': last('hypertension_followups', 'hypertension_patients', `CASE WHEN f.sbp IS NOT NULL AND f.dbp IS NOT NULL AND f.dbp < 90
    AND f.sbp < (CASE WHEN age_on(p.birth_date, f.followup_date) >= 65 THEN 150 ELSE 140 END) THEN 1 ELSE 0 END`),
  'hypertension-managed': count('hypertension_patients'),
  'hypertension-management-rate': count('hypertension_patients'),
  'diabetes-standard-management-rate': visits('diabetes_followups', 'diabetes_patients', "AND coalesce(f.method, '') <> '电话'"),
  'diabetes-control-rate': last('diabetes_followups', 'diabetes_patients', 'CASE WHEN f.fbg IS NOT NULL AND f.fbg < 7.0 THEN 1 ELSE 0 END'),
  'diabetes-managed': count('diabetes_patients'),
  'diabetes-management-rate': count('diabetes_patients'),
  'smi-standard-management-rate': visits('mental_followups', 'mental_patients', ''),
  'smi-stable-rate': last('mental_followups', 'mental_patients', "f.condition = '稳定'"),
};

const { rnd, pick, day } = seeded(11);
const date = (from: number, to: number) => {
  const d = day(from, to);
  // Now and then a value an older import may have stored: a time of day, a bare month, a month 13, a day 32.
  const r = rnd();
  return r < 0.03 ? `${d} 10:30` : r < 0.04 ? d.slice(0, 7) : r < 0.045 ? `${d.slice(0, 5)}13-05` : r < 0.05 ? `${d.slice(0, 8)}32` : d;
};

function fill(db: Database, n: number): void {
  for (const [P, F] of [['hypertension_patients', 'hypertension_followups'], ['diabetes_patients', 'diabetes_followups'], ['mental_patients', 'mental_followups']] as const) {
    const patients = [];
    const followups = [];
    for (let i = 0; i < n; i++) {
      const id = `${P[0]}${i}`;
      const ended = rnd() < 0.25 ? date(2023, 2026) : null;
      patients.push({
        patient_id: id,
        village: pick(['青石村', '东溪村', null, '', '南岭村']),
        doctor: pick(['张医生', '李医生', null]),
        birth_date: pick([date(1940, 1970), '1960-03-15', '1961-02-28', null]),
        enrolled_date: rnd() < 0.03 ? null : date(2022, 2026),
        ended_date: ended,
        status: pick(['在管', '在管', '在管', '死亡', '', null, '迁出']),
      });
      const k = Math.floor(rnd() * 7);
      const seen = new Set<string>();
      for (let j = 0; j < k; j++) {
        const d = rnd() < 0.05 ? null : date(2024, 2026);
        if (d && seen.has(d)) continue;
        if (d) seen.add(d);
        const row: Record<string, unknown> = { patient_id: id, followup_date: d, method: pick(['门诊', '电话', null, '家庭']) };
        if (F === 'hypertension_followups') Object.assign(row, { sbp: pick([null, 120, 139, 140, 149, 150, 160]), dbp: pick([null, 80, 89, 90]) });
        else if (F === 'diabetes_followups') Object.assign(row, { fbg: pick([null, 5.5, 6.9, 7.0, 8.2]) });
        else Object.assign(row, { condition: pick(['稳定', '基本稳定', null, '不稳定']) });
        followups.push(row);
      }
    }
    insert(db, P, patients);
    insert(db, F, followups);
  }
  insert(db, 'population', [
    { year: 2025, village: '青石村', hypertension_estimated: 300, diabetes_estimated: 100 },
    { year: 2025, village: '东溪村', hypertension_estimated: 200, diabetes_estimated: 80 },
  ]);
}

/** Σ num, Σ den of the old SQL per group label (the engine's labels). */
function bySql(db: Database, id: string, period: { start: string; end: string }, by: 'village' | 'doctor' | null) {
  registerSqlFunctions(db);
  const g = by ? `coalesce(CAST(${by} AS TEXT), '${UNKNOWN_GROUP}')` : "''";
  const rows = db.prepare(inlineSqlFunctions(`SELECT ${g} AS g, sum(num) AS num FROM (${SQL[id]}) GROUP BY g`)).all({ start: period.start, end: period.end }) as { g: string; num: number }[];
  return new Map(rows.map((r) => [by ? r.g : null, r.num]));
}

describe('kind followups = the SQL it replaced', () => {
  it.each([['read from the registers', false], ['stored as an import stores them', true]])('every entry, whole unit and each group, for years, quarters, months and ranges, by village and by doctor (facts %s)', (_how, stored) => {
    const { db } = freshDb();
    fill(db, 400);
    if (stored) {
      refreshIndicatorFacts(db);
      expect(db.prepare("SELECT count(*) FROM derived_indicator_facts WHERE key LIKE 'followups%' OR key LIKE 'records%'").pluck().get()).toBe(4);
    }
    let compared = 0;
    for (const period of ['2025', '2025Q1', '2025Q3', '2025-02', '2025-08', '2024-11..2025-04', '2026', '2023']) {
      for (const by of ['village', 'doctor', null] as const) {
        const res = computeIndicators(db, { period, by, only: Object.keys(SQL) });
        for (const id of Object.keys(SQL)) {
          const want = bySql(db, id, res.period, by);
          const got = res.results.filter((r) => r.id === id && (by ? r.group !== null : true));
          for (const r of got) {
            expect([id, period, by, r.group, r.numerator], `${id} ${period} ${by} ${r.group}`).toEqual([id, period, by, r.group, want.get(r.group) ?? 0]);
            compared++;
          }
          // Groups the SQL has are all in the results.
          for (const g of want.keys()) expect(got.some((r) => r.group === g), `${id} ${period} ${by} ${g}`).toBe(true);
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe('per-patient facts are never stale', () => {
  it('another connection changes follow-ups (as an import does) → the next computation on an open connection sees it', () => {
    const { db, file } = freshDb();
    insert(db, 'hypertension_patients', [{ patient_id: 'H1', village: '青石村', doctor: '张医生', birth_date: '1960-01-01', enrolled_date: '2024-01-01', status: '在管' }]);
    insert(db, 'hypertension_followups', [
      { patient_id: 'H1', followup_date: '2025-03-01', method: '门诊', sbp: 130, dbp: 80 },
      { patient_id: 'H1', followup_date: '2025-06-01', method: '门诊', sbp: 130, dbp: 80 },
      { patient_id: 'H1', followup_date: '2025-09-01', method: '门诊', sbp: 130, dbp: 80 },
      { patient_id: 'H1', followup_date: '2025-12-01', method: '门诊', sbp: 130, dbp: 80 },
    ]);
    const reader = openDatabase(file, { readonly: true });
    const get = (conn: Database, id: string, period = '2025') => computeIndicators(conn, { period, only: [id] }).results.find((r) => r.group === null)!.numerator;
    expect(get(reader, 'hypertension-standard-management-rate')).toBe(1);
    expect(get(reader, 'hypertension-control-rate')).toBe(1);
    // The writer (another connection) turns the last follow-up into a phone call with a high pressure.
    db.prepare("UPDATE hypertension_followups SET method = '电话', sbp = 170 WHERE followup_date = '2025-12-01'").run();
    expect(get(reader, 'hypertension-standard-management-rate')).toBe(0);
    expect(get(reader, 'hypertension-control-rate')).toBe(0);
    // A month read from the same facts, then a patient added by the writer.
    expect(get(reader, 'hypertension-managed', '2025-03')).toBe(1);
    insert(db, 'hypertension_patients', [{ patient_id: 'H2', village: '东溪村', doctor: '李医生', enrolled_date: '2025-02-01', status: '在管' }]);
    expect(get(reader, 'hypertension-managed', '2025-03')).toBe(2);
    // The same connection writing (total_changes): seen too.
    db.prepare("DELETE FROM hypertension_patients WHERE patient_id = 'H2'").run();
    expect(get(db, 'hypertension-managed', '2025-03')).toBe(1);
    reader.close();
  });
  it('a database without a follow-up table (an older or partial one): patients are managed, none followed up', () => {
    const { db } = freshDb();
    db.exec('DROP TABLE mental_followups');
    insert(db, 'mental_patients', [{ patient_id: 'M1', village: '青石村', enrolled_date: '2024-01-01', status: '在管' }]);
    const res = computeIndicators(db, { period: '2025', only: ['smi-standard-management-rate', 'smi-stable-rate'] });
    expect(res.results.map((r) => [r.id, r.numerator, r.denominator])).toEqual([
      ['smi-standard-management-rate', 0, 1],
      ['smi-stable-rate', 0, 1],
    ]);
  });
});

describe('kind followups is for built-in entries only', () => {
  it('a custom entry using it is refused with its code and position', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { readCustomIndicator } = await import('../../src/catalog/indicators.js');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-fu-')), 'my-followups.yaml');
    writeFileSync(file, 'id: my-followups\nname: 我的随访率\nunit: "%"\nkind: rate\nregister: hypertension_patients\nnumerator: 随访的人\ncompute:\n  kind: followups\n  followups: hypertension_followups\n  measure: visits\n');
    const r = readCustomIndicator(file);
    expect(r.def).toBeUndefined();
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([['CATALOG_KIND_BUILTIN_ONLY', 8]]);
    expect(r.issues[0]!.message).toContain('只用于内置指标');
  });
});
