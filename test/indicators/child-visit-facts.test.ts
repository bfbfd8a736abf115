// The two child-visit entries (newborn-visit-rate, child-health-management-rate) counted from the facts stored at
// import against their own SQL, on generated children and visits full of edge cases (28-day and 7-year boundaries,
// 29 February, status changes around E, empty and missing villages, children without a birth date),
// for many periods and groupings; stale facts (rows added or changed after them) and dates that are not plain fall
// back to the SQL, with the same figures.
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db.js';
import { computeIndicators } from '../../src/indicators/compute.js';
import { refreshIndicatorFacts } from '../../src/indicators/indicator-facts.js';
import { childVisitFactsFresh, countChildVisits } from '../../src/indicators/child-visit-facts.js';
import { databaseState } from '../../src/indicators/db-state.js';
import { parsePeriod } from '../../src/indicators/period.js';
import { INDICATOR_FACTS_TABLE } from '../../src/indicators/stored-facts.js';
import { seeded } from './generated.js';
import { freshDb, insert } from './helpers.js';

const IDS = ['newborn-visit-rate', 'child-health-management-rate'];
const { rnd, pick, day } = seeded(11);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const plus = (d: string, days: number) => iso(Date.parse(d) + days * 86400000);

function fill(db: Database, n: number): void {
  const children = [];
  const visits: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const birth = rnd() < 0.02 ? null : rnd() < 0.02 ? '2020-02-29' : rnd() < 0.05 ? pick(['2018-12-31', '2019-01-01', '2018-06-15', '2025-12-03']) : day(2017, 2025);
    const id = `C${i}`;
    children.push({
      child_id: id,
      birth_date: birth,
      village: pick(['青石村', '东溪村', null, '', '南岭村', '未填写']),
      doctor: pick(['张医生', '李医生', null]),
      status: pick(['在册', '在册', '在册', '迁出', '死亡', null, '']),
      status_date: rnd() < 0.6 ? null : day(2023, 2026),
    });
    if (!birth) continue;
    // Around the newborn window (27, 28, 29 days), and check-ups at random.
    if (rnd() < 0.7) visits.push({ child_id: id, visit_date: plus(birth, pick([0, 3, 27, 28, 29, 40])), visit_type: '新生儿访视' });
    for (let k = 0; k < 3; k++) if (rnd() < 0.4) visits.push({ child_id: id, visit_date: day(2023, 2026), visit_type: '体检' });
  }
  // Seven years before the end of a tested period, and a day either side: in or out by age_on at E.
  const edges = ['2018-12-31', '2019-01-01', '2018-12-30', '2018-03-31', '2018-04-01', '2018-02-28', '2018-03-01', '2017-12-31', '2017-04-30', '2019-12-31', '2012-01-31', '2012-02-01', '2016-02-29', '2016-03-01'];
  edges.forEach((birth, k) => {
    children.push({ child_id: `E${k}`, birth_date: birth, village: '青石村', doctor: '张医生', status: '在册', status_date: null });
    for (const d of ['2019-01-10', '2024-11-15', '2025-01-15', '2025-02-10', '2025-03-20', '2025-12-20', '2026-06-01']) visits.push({ child_id: `E${k}`, visit_date: d, visit_type: '体检' });
  });
  insert(db, 'children', children);
  const seen = new Set<string>();
  insert(db, 'child_visits', visits.filter((v) => !seen.has(`${v.child_id}|${v.visit_date}`) && seen.add(`${v.child_id}|${v.visit_date}`)));
  insert(db, 'population', [
    { year: 2025, village: '青石村', children_0_6: 300 },
    { year: 2025, village: '东溪村', children_0_6: 200 },
    { year: 2024, village: '青石村', children_0_6: 310 },
  ]);
}

const periods = ['2025', '2025Q1', '2025Q4', '2025-02', '2025-12', '2024-11..2025-04', '2024', '2026', '2019-01'];

/** Results of every period and grouping. */
function all(db: Database) {
  return periods.flatMap((period) => (['village', 'doctor', null] as const).map((by) => computeIndicators(db, { period, by, only: IDS }).results));
}

describe('child-visit entries counted from stored facts = their SQL', () => {
  it('every period and grouping, whole unit and each group; the facts are what is read', () => {
    const { db } = freshDb();
    fill(db, 1500);
    const bySql = all(db);
    refreshIndicatorFacts(db);
    expect(childVisitFactsFresh(db)).toBe(true);
    const p = parsePeriod('2025');
    expect(countChildVisits(db, databaseState(db), 'child-visit-in-period', p, 'village')).toBeDefined();
    const byFacts = all(db);
    expect(byFacts).toEqual(bySql);
    // Not a count of nothing: most periods have children in both entries.
    expect(byFacts.flat().filter((r) => r.group === null && r.numerator).length).toBeGreaterThan(30);
    // The stored copy is what is read: a village renamed in it shows in the groups (never done outside this test).
    db.prepare(`UPDATE ${INDICATOR_FACTS_TABLE} SET texts = replace(texts, '南岭村', '南岭村（存）') WHERE key LIKE 'childvisits%'`).run();
    const groups = computeIndicators(db, { period: '2025', by: 'village', only: IDS }).results.map((r) => r.group);
    expect(groups).toContain('南岭村（存）');
  });

  it('stale after rows are added or changed: the SQL counts them, same figures as with no facts at all', () => {
    const { db } = freshDb();
    fill(db, 600);
    refreshIndicatorFacts(db);
    const before = computeIndicators(db, { period: '2025', only: IDS }).results;
    // A visit for a child that had none in 2025, and a newborn of 2025 visited on day 10.
    insert(db, 'children', [{ child_id: 'NEW1', birth_date: '2025-06-01', village: '青石村', status: '在册' }]);
    insert(db, 'child_visits', [{ child_id: 'NEW1', visit_date: '2025-06-11', visit_type: '新生儿访视' }]);
    expect(childVisitFactsFresh(db)).toBe(false);
    const after = computeIndicators(db, { period: '2025', only: IDS }).results;
    expect(after.map((r) => r.numerator)).toEqual(before.map((r) => r.numerator! + 1));
    const stale = all(db);
    db.exec(`DROP TABLE ${INDICATOR_FACTS_TABLE}`);
    expect(stale).toEqual(all(db));
    // An update in place (no new rowid) through an import's bookkeeping is caught by the imports table: see
    // stored-indicator-facts.test.ts; here, refreshed again, the facts hold the change.
    refreshIndicatorFacts(db);
    expect(childVisitFactsFresh(db)).toBe(true);
    expect(computeIndicators(db, { period: '2025', only: IDS }).results).toEqual(after);
  });

  it('a date that is not a plain YYYY-MM-DD: no facts kept, the SQL counts, same figures', () => {
    const { db } = freshDb();
    fill(db, 400);
    insert(db, 'child_visits', [{ child_id: 'C3', visit_date: '2025-03-05 10:00', visit_type: '体检' }]);
    insert(db, 'children', [{ child_id: 'ODD', birth_date: '2025-02-30', village: '青石村', status: '在册' }]);
    const bySql = all(db);
    refreshIndicatorFacts(db);
    expect(childVisitFactsFresh(db)).toBe(true);
    expect(countChildVisits(db, databaseState(db), 'newborn-visit', parsePeriod('2025'), null)).toBeUndefined();
    expect(all(db)).toEqual(bySql);
  });
});

describe('facts is for built-in entries only', () => {
  it('a custom entry naming it is refused with its code and position', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { readCustomIndicator } = await import('../../src/catalog/indicators.js');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gw-cv-')), 'my-newborn.yaml');
    writeFileSync(file, "id: my-newborn\nname: 我的新生儿访视率\nunit: '%'\nkind: rate\nregister: children\nnumerator: 访视的人\ncompute:\n  kind: sql\n  facts: newborn-visit\n  sql: SELECT village, doctor, 1 AS num, 1 AS den FROM children\n");
    const r = readCustomIndicator(file);
    expect(r.def).toBeUndefined();
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([['CATALOG_FACTS_BUILTIN_ONLY', 9]]);
    expect(r.issues[0]!.message).toContain('只用于内置指标');
  });
});
