// A document is made only from a plan that validates: plan render, plan assess and indicators compute --plan refuse a plan
// with any error — schema or rule (20xx, 180 %, a rate without %, an unknown indicator, 102 points) — exit 1, no file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { checkPlanFile } from '../../src/plan/validate.js';
import { buildFixtureDb } from './fixture-db.js';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-refuse-'));
const db = path.join(tmp, 'reg.sqlite');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => buildFixtureDb(db));

const gw = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const scheme = fs.readFileSync(path.join(root, 'examples/qingshi-2025-assessment.yaml'), 'utf8');
const annual = fs.readFileSync(path.join(root, 'examples/qingshi-2025-annual-plan.yaml'), 'utf8');
const write = (name: string, text: string) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};
/** Line (1-based) of the first line containing `s`. */
const lineOf = (text: string, s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;

const broken: Array<[string, string, string, string]> = [
  ['20xx in the text', annual.replace('2025年是巩固', '20xx年是巩固'), 'PLAN_PLACEHOLDER', '20xx年是巩固'],
  ['建档率 180 %', annual.replace('{指标: 居民健康档案建档率, 目标: 不低于90%}', '{指标: 居民健康档案建档率, 目标: 不低于180%}'), 'PLAN_TARGET_RANGE', '不低于180%'],
  ['a rate target without %', annual.replace('{指标: 新生儿访视率, 目标: 不低于90%}', '{指标: 新生儿访视率, 目标: 0.9}'), 'PLAN_TARGET_NO_UNIT', '目标: 0.9}'],
  ['an unknown indicator in the 考核方案', scheme.replace('{指标: 早孕建册率, 目标: 不低于85%, 分值: 5}', '{指标: 孕产妇系统管理率, 目标: 不低于85%, 分值: 5}'), 'PLAN_UNKNOWN_INDICATOR', '孕产妇系统管理率'],
  ['a 102-point scheme', scheme.replace('{指标: 早孕建册率, 目标: 不低于85%, 分值: 5}', '{指标: 早孕建册率, 目标: 不低于85%, 分值: 7}'), 'PLAN_ASSESS_TOTAL', '考核:'],
];

describe('the library says whether a plan may be used', () => {
  const catalog = loadIndicatorCatalog();
  for (const [what, text, code] of broken) {
    it(`${what}: no plan, the error with its position`, () => {
      const r = checkPlanFile(write('lib.yaml', text), catalog);
      expect(r.plan).toBeUndefined();
      expect(r.issues.find((i) => i.code === code)?.severity).toBe('error');
    });
  }
  it('warnings alone do not stop it (≥100% read as 100%)', () => {
    const r = checkPlanFile(write('warn.yaml', annual.replace('{指标: 传染病疫情报告及时率, 目标: 100%}', '{指标: 传染病疫情报告及时率, 目标: ≥100%}')), catalog);
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['PLAN_TARGET_100', 'warning']]);
    expect(r.plan?.单位).toBe('青石镇卫生院');
  });
});

describe('plan render and plan assess refuse a plan with errors', () => {
  for (const [what, text, code, at] of broken) {
    it(`${what}: render (docx, md) and assess exit 1 with ${code} at its line, no file written, an old file left alone`, () => {
      const file = write(`${code}.yaml`, text);
      const line = lineOf(text, at);
      for (const format of ['docx', 'md']) {
        const out = path.join(tmp, `${code}.${format}`);
        const r = gw('plan', 'render', file, '--format', format, '-o', out);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`${code}\\.yaml:${line}:\\d+ 错误 \\[${code}\\]`));
        expect(r.stderr).toContain('未生成文件');
        expect(fs.existsSync(out)).toBe(false);
      }
      const kept = path.join(tmp, `${code}.old.html`);
      fs.writeFileSync(kept, 'old');
      expect(gw('plan', 'render', file, '--format', 'html', '-o', kept).code).toBe(1);
      expect(fs.readFileSync(kept, 'utf8')).toBe('old');
      if (/文档类型: 考核方案/.test(text)) {
        const a = gw('plan', 'assess', file, '--db', db, '--period', '2025', '--format', 'json');
        expect(a.code).toBe(1);
        expect(a.stdout).toBe('');
        expect(a.stderr).toContain(`[${code}]`);
        const doc = path.join(tmp, `${code}.考核结果.docx`);
        expect(gw('plan', 'assess', file, '--db', db, '--period', '2025', '--format', 'docx', '-o', doc).code).toBe(1);
        expect(fs.existsSync(doc)).toBe(false);
      }
    });
  }
  it('the same plans without the slip render and assess (exit 0)', () => {
    expect(gw('plan', 'render', write('ok.yaml', annual), '--format', 'md', '-o', path.join(tmp, 'ok.md')).code).toBe(0);
    const a = gw('plan', 'assess', write('ok-scheme.yaml', scheme), '--db', db, '--period', '2025', '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).weightSum).toBe(100);
  });
  it('indicators compute --plan refuses it too (exit 1, PLAN_INVALID naming the first error)', () => {
    const r = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', write('bad-target.yaml', broken[2]![1]));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PLAN_INVALID');
    expect(r.stderr).toMatch(/bad-target\.yaml:\d+:\d+/);
    expect(r.stdout).toBe('');
  });
});
