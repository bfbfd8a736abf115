// The summary's numbers equal `gongwei indicators compute` (real binary) on the same SQLite file and period.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDb } from '../render/fixture-db.js';
import { loadPlanFile } from '../../src/plan/load.js';
import { planIndicatorTargets } from '../../src/plan/plan-targets.js';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { computeForSummary } from '../../src/summary/compute.js';
import { buildSummaryData } from '../../src/summary/data.js';
import { planView } from '../../src/render/plan-view.js';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-sumnum-'));
const dbFile = path.join(tmp, 'reg.sqlite');
const planFile = path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => buildFixtureDb(dbFile));

describe('summary numbers', () => {
  it('equal the real binary’s indicators compute for the same period', async () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), 'indicators', 'compute', '--db', dbFile, '--period', '2025', '--format', 'json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout) as { results: Array<{ id: string; group: string | null; numerator: number | null; denominator: number | null; value: number | null }> };

    const { plan } = loadPlanFile(planFile);
    const targets = planIndicatorTargets(plan!, loadIndicatorCatalog());
    const compute = await computeForSummary(dbFile, '2025', targets);
    const v = planView(plan!);
    const data = buildSummaryData(
      { unit: v.unit, year: v.year, period: compute.period, planTitle: v.title, overview: [], planFacts: [], targets, tasks: [], nextSteps: [], total: compute.total, byVillage: compute.byVillage, population: compute.population, date: '' },
      { value: (x) => String(x.value), target: (t) => t.text, sentence: (x) => x.name },
    );
    const shown = data.programmes.flatMap((p) => p.indicators);
    expect(shown.length).toBeGreaterThan(10);
    let withValue = 0;
    for (const ind of shown) {
      const c = cli.results.find((x) => x.id === ind.id && x.group === null);
      expect(c, ind.id).toBeDefined();
      expect(ind.numerator, ind.id).toBe(c!.numerator === null ? '—' : String(c!.numerator));
      if (ind.denominator !== '—') expect(ind.denominator, ind.id).toBe(String(c!.denominator));
      expect(ind.hasValue, ind.id).toBe(c!.value !== null);
      if (c!.value !== null) {
        withValue++;
        expect(ind.value, ind.id).toBe(String(c!.value));
      }
    }
    expect(withValue).toBeGreaterThanOrEqual(4);
    // Village cells carry the same numerator/denominator as the binary's --by village.
    const rv = spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), 'indicators', 'compute', '--db', dbFile, '--period', '2025', '--by', 'village', '--format', 'json'], { encoding: 'utf8' });
    const byV = JSON.parse(rv.stdout) as typeof cli;
    const hp = data.programmes.find((p) => p.key === 'hypertension')!;
    const table = hp.villageTables[0]!;
    const col = table.columns.indexOf('高血压患者规范管理率');
    expect(col).toBeGreaterThanOrEqual(0);
    for (const row of table.rows.filter((x) => x.village !== '合计')) {
      const c = byV.results.find((x) => x.id === 'hypertension-standard-management-rate' && x.group === row.village)!;
      expect(row.cells[col]).toBe(`${c.value}（${c.numerator}/${c.denominator}）`);
    }
    expect(compute.population?.values.resident_population).toBe(100 + 110 + 120 + 130 + 140);
  });

  it('a period with no data says so and shows no number', async () => {
    const compute = await computeForSummary(dbFile, '2019', []);
    const data = buildSummaryData(
      { unit: 'u', year: '2019', period: compute.period, planTitle: 't', overview: [], planFacts: [], targets: [], tasks: [], nextSteps: [], total: compute.total, byVillage: compute.byVillage, population: compute.population, date: '' },
      { value: (x) => String(x.value), target: (t) => t.text, sentence: (x) => x.name },
    );
    expect(data.hasData).toBe(false);
    expect(data.dataProblem).toBeTruthy();
    expect(data.chart).toBeNull();
  });

  it('a missing database is stated, not a failure', async () => {
    const compute = await computeForSummary(path.join(tmp, 'missing.sqlite'), '2025', []);
    expect(compute.total).toBeNull();
    expect(compute.dataProblem).toContain('missing.sqlite');
  });
});
