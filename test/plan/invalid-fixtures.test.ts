// Every invalid fixture names its expected code and line:col on its first line; the library and the binary agree.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { gongwei, root } from './helpers.js';

const dir = path.join(root, 'test/fixtures/plan/invalid');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const catalog = loadIndicatorCatalog();

function expected(file: string) {
  const m = /^# expect: (\S+) (\d+):(\d+)/.exec(readFileSync(path.join(dir, file), 'utf8'));
  if (!m) throw new Error(`fixture ${file} has no "# expect: CODE line:col" header`);
  return { code: m[1]!, line: Number(m[2]), col: Number(m[3]) };
}

describe('invalid plan fixtures', () => {
  it('there are fixtures for the main rules', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });
  for (const f of fixtures) {
    it(`${f}: reports the expected code at line:col as an error`, () => {
      const want = expected(f);
      const report = validatePlanFile(path.join(dir, f), catalog);
      const hit = report.issues.find((i) => i.code === want.code);
      expect(hit, JSON.stringify(report.issues)).toBeDefined();
      expect([hit!.line, hit!.col]).toEqual([want.line, want.col]);
      expect(hit!.severity).toBe('error');
      expect(hit!.message).toMatch(/[\u4e00-\u9fff]/);
    });
  }
  it('the real binary exits 1 for each invalid fixture and prints file:line:col in github format', () => {
    const r = gongwei(['plan', 'validate', '-f', 'github', 'test/fixtures/plan/invalid']);
    expect(r.code).toBe(1);
    for (const f of fixtures) {
      const want = expected(f);
      expect(r.stdout).toContain(`file=test/fixtures/plan/invalid/${f},line=${want.line},col=${want.col},title=${want.code}::`);
    }
  });
  it('a single invalid file via the binary: exit 1, text report grouped by file with line:col and code', () => {
    const r = gongwei(['plan', 'validate', 'test/fixtures/plan/invalid/target-range.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('test/fixtures/plan/invalid/target-range.yaml');
    expect(r.stdout).toMatch(/7:28\s+错误\s+.*PLAN_TARGET_RANGE/);
    expect(r.stderr).toBe('');
  });
});
