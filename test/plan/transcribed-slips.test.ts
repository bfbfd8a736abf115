// Issue points 1–6 on a transcribed seed plan (the 妇幼保健所 plan with 11 自定义 targets), through the real binary:
// the typical slips of a new office worker are each reported where they are, with a hint that leads to a valid file;
// documents are made only from a plan that validates; 自定义 targets are listed as 需人工填报 and take supplied values.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFixtureDb } from '../render/fixture-db.js';
import { gongwei, root, tempDir } from './helpers.js';

const seed = readFileSync(path.join(root, 'test/fixtures/transcribed/fuyou-2021-annual-plan.yaml'), 'utf8');
const work = tempDir('gw-transcribed-slips-');
/** The seed plan with one slip: `from` → `to` (the text must be there). */
function slipped(name: string, ...pairs: Array<[string, string]>): string {
  let text = seed;
  for (const [from, to] of pairs) {
    expect(text, from).toContain(from);
    text = text.replace(from, to);
  }
  const file = path.join(work, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}
const BIRTH = '{指标: 新法接生率, 目标: 超过98%, 自定义: true}';

describe('transcribed seed plan: slips and what the tool says', () => {
  it('the plan itself validates', () => {
    const r = gongwei(['plan', 'validate', slipped('clean')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('1. a rate target written as a decimal is an error proposing the percent; the proposal validates', () => {
    const r = gongwei(['plan', 'validate', slipped('decimal', [BIRTH, '{指标: 新法接生率, 目标: 超过0.98, 自定义: true}'])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/15:\d+ +错误 +「新法接生率」是比率，目标“超过0\.98”没有写单位：是指“超过98%”吗？ +PLAN_TARGET_NO_UNIT/);
    expect(gongwei(['plan', 'validate', slipped('decimal-fixed', [BIRTH, '{指标: 新法接生率, 目标: 超过98%, 自定义: true}'])]).code).toBe(0);
  });

  it('2. no document from a plan with an error: 20xx in the text, exit 1, no file', () => {
    const file = slipped('placeholder', ['前言: ', '前言: 20xx年，']);
    for (const format of ['docx', 'md', 'html']) {
      const out = path.join(work, `placeholder.${format}`);
      const r = gongwei(['plan', 'render', file, '-f', format, '-o', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('[PLAN_PLACEHOLDER]');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('3. 自定义 targets: listed as 需人工填报 by indicators compute --plan and the summary; a supplied value is used and marked', () => {
    const db = path.join(work, 'reg.sqlite');
    buildFixtureDb(db);
    const plan = slipped('custom');
    const c = gongwei(['indicators', 'compute', '--db', db, '--period', '2021', '--plan', plan, '-f', 'json']);
    expect(c.code, c.stderr).toBe(0);
    const custom = JSON.parse(c.stdout).results.filter((x: { custom?: boolean }) => x.custom);
    expect(custom).toHaveLength(11);
    expect(new Set(custom.map((x: { status: string }) => x.status))).toEqual(new Set(['需人工填报']));
    const values = path.join(work, 'values.yaml');
    writeFileSync(values, '- {指标: 住院分娩率, 期间: 2021, 数值: 99.2%, 分子: 124, 分母: 125, 数据来源: 县妇幼保健院年报}\n');
    const out = path.join(work, 'summary.md');
    const s = gongwei(['plan', 'render', plan, '--summary', '--db', db, '--period', '2021', '--values', values, '-f', 'md', '-o', out]);
    expect(s.code, s.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).not.toContain('计划未设定量化指标目标');
    expect(md).toMatch(/\| 住院分娩率 \| 124 \| 125 \| 99\.2%（人工填报） \| 高于98% \|/);
    expect(md).toContain('新法接生率为自定义指标，需人工填报');
  });

  it('4. suggestions of the same meaning only: 乙脑疫苗接种率 → its doses; 5岁以下儿童死亡率 → 自定义', () => {
    const r = gongwei(['plan', 'validate', slipped('unknown', ['{指标: 住院分娩率, 目标: 超过98%, 自定义: true}', '{指标: 乙脑疫苗接种率, 目标: 超过95%}'], ['{指标: 高危孕产妇筛查率, 目标: 超过95%, 自定义: true}', '{指标: 5岁以下儿童死亡率, 目标: 低于10‰}'])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('未知指标「乙脑疫苗接种率」，是否要写「乙脑减毒活疫苗第1剂接种率」或「乙脑减毒活疫苗第2剂接种率」？');
    expect(r.stdout).not.toMatch(/乙脑疫苗接种率」[^\n]*0岁组接种率/);
    expect(r.stdout).toContain('未知指标「5岁以下儿童死亡率」：指标目录中没有同一含义的指标');
    expect(r.stdout).not.toMatch(/5岁以下儿童死亡率」[^\n]*0～6岁儿童健康管理率/);
  });

  it('5. a 自定义 percent over 100 is out of range', () => {
    const r = gongwei(['plan', 'validate', slipped('range', [BIRTH, '{指标: 新法接生率, 目标: 超过198%, 自定义: true}'])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/15:\d+ +错误 +「新法接生率」的目标 198% 超出 0～100% 的范围 +PLAN_TARGET_RANGE/);
  });

  it('6. a target starting with > says to quote it, and the quoted form validates; a Tab is one error', () => {
    const r = gongwei(['plan', 'validate', slipped('gt', [BIRTH, '{指标: 新法接生率, 目标: > 98%, 自定义: true}'])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/15:\d+ +错误 +“> 98%”以“>”开头，YAML 会把它当作特殊符号 +YAML_SYNTAX/);
    expect(r.stdout).toContain("请加引号：'> 98%'");
    expect(gongwei(['plan', 'validate', slipped('gt-quoted', [BIRTH, "{指标: 新法接生率, 目标: '> 98%', 自定义: true}"])]).code).toBe(0);
    const tab = gongwei(['plan', 'validate', slipped('tab', [`      - ${BIRTH}`, `\t    - ${BIRTH}`])]);
    expect(tab.code).toBe(1);
    expect(tab.stdout.match(/^ +\d+:\d+ +错误/gm)).toHaveLength(1);
    expect(tab.stdout).toContain('YAML_TAB_INDENT');
  });
});
