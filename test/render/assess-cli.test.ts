// `gongwei plan assess` through the real binary: table, JSON (scores add up, grade from thresholds), bad input.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDb } from './fixture-db.js';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-assess-'));
const db = path.join(tmp, 'reg.sqlite');
const scheme = path.join(root, 'examples', 'qingshi-2025-assessment.yaml');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => buildFixtureDb(db));

const gw = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8' });

describe('plan assess', () => {
  it('json: scores add up, total on 100, grade by the plan thresholds, items without data score 0', () => {
    const r = gw('plan', 'assess', scheme, '--db', db, '--period', '2025', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.items.length).toBe(12);
    expect(j.weightSum).toBe(100);
    const sum = j.items.reduce((s: number, i: { score: number }) => s + i.score, 0);
    expect(Math.abs(sum - j.rawScore)).toBeLessThan(0.02);
    const rec = j.items.find((i: { indicatorId?: string }) => i.indicatorId === 'health-record-rate');
    expect(rec.value).not.toBeNull();
    const ht = j.items.find((i: { indicatorId?: string }) => i.indicatorId === 'hypertension-standard-management-rate');
    expect(ht.denominator).toBe(20 + 21 + 22 + 23 + 24);
    expect(ht.score).toBeCloseTo(Math.min(10, (ht.value / 65) * 10), 2);
    const noData = j.items.filter((i: { state: string }) => i.state === '无数据');
    expect(noData.length).toBeGreaterThan(0);
    for (const i of noData) expect(i.score).toBe(0);
    const expected = j.total >= 90 ? '优秀' : j.total >= 75 ? '合格' : j.total >= 65 ? '基本合格' : '不合格';
    expect(j.grade).toBe(expected);
  });

  it('text: a table with the total and grade', () => {
    const r = gw('plan', 'assess', scheme, '--db', db, '--period', '2025');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('高血压患者规范管理率');
    expect(r.stdout).toMatch(/总分：[\d.]+（百分制）/);
  });

  it('json to a file in a directory that does not exist yet', () => {
    const out = path.join(tmp, 'a', 'b', 'assess.json');
    const r = gw('plan', 'assess', scheme, '--db', db, '--period', '2025', '--format', 'json', '-o', out);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).items.length).toBe(12);
  });

  it('a missing database is a clear error (exit 2)', () => {
    const r = gw('plan', 'assess', scheme, '--db', path.join(tmp, 'missing.sqlite'), '--period', '2025');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('DB_NOT_FOUND');
  });

  it('a plan without 考核 is refused (exit 2)', () => {
    const r = gw('plan', 'assess', path.join(root, 'test', 'fixtures', 'render', 'tiny-plan.yaml'), '--db', db, '--period', '2025');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ASSESS_NO_SCHEME');
  });

  it('a bad period is a clear error', () => {
    const r = gw('plan', 'assess', scheme, '--db', db, '--period', '2025年底');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PERIOD_INVALID');
  });

  it('a plan with errors is not assessed (exit 1, positions shown)', () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(scheme, 'utf8').replace(/^年度: 2025$/m, '年度: 二〇二五'));
    const r = gw('plan', 'assess', bad, '--db', db, '--period', '2025');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+/);
  });
});
