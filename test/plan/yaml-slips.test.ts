// Typing slips reported where they are, once each, with a hint that leads to a valid file (quote a > target, an unclosed
// quote where it opens, one Tab = one error, a duplicated key named, 200*年, 发文日期: 20250112).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { gongwei, root, tempFile } from './helpers.js';

const HEAD = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n';
const catalog = loadIndicatorCatalog();
const check = (text: string) => validatePlanFile(tempFile('plan.yaml', text), catalog).issues;
const brief = (text: string) => check(text).map((i) => [i.code, i.line, i.col]);
const example = readFileSync(path.join(root, 'examples/qingshi-2025-annual-plan.yaml'), 'utf8');

/** The first quoted value of a hint ('…' or after 写成), as the author would type it. */
const hinted = (hint = '') => /'([^']+)'/.exec(hint)?.[0] ?? /写成\s*“?([^“”。，\s]+)/.exec(hint)?.[1];

describe('a target that starts with >', () => {
  const block = `${HEAD}工作目标:\n  指标:\n    - 指标: 高血压患者规范管理率\n      目标: > 99%\n`;
  const flow = `${HEAD}工作目标:\n  指标:\n    - {指标: 高血压患者规范管理率, 目标: > 99%}\n`;
  for (const [style, text, line, col] of [['block', block, 7, 11], ['flow', flow, 6, 28]] as const) {
    it(`${style} style: one error at the >, saying to quote it, and the quoted form validates`, () => {
      const issues = check(text);
      expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['YAML_SYNTAX', line, col]]);
      expect(issues[0]!.message).toContain('> 99%');
      expect(issues[0]!.message).not.toContain('冒号');
      const quoted = hinted(issues[0]!.hint);
      expect(quoted).toBe("'> 99%'");
      expect(check(text.replace('> 99%', quoted!))).toEqual([]);
      expect(issues[0]!.hint).toContain('超过99%');
      expect(check(text.replace('> 99%', '超过99%'))).toEqual([]);
    });
  }
  it('>= 90% too (≥ offered), and a real folded block (目标: >) is left alone', () => {
    const issues = check(block.replace('> 99%', '>= 90%'));
    expect(issues.map((i) => i.code)).toEqual(['YAML_SYNTAX']);
    expect(issues[0]!.hint).toContain('≥90%');
    expect(check(`${HEAD}前言: >\n  为做好全年工作，\n  制定本计划。\n`)).toEqual([]);
  });
});

describe('an unclosed quote or bracket is reported where it opens', () => {
  it('a double quote that runs to the end of the file', () => {
    const text = `${HEAD}前言: "为做好全年工作\n重点工作:\n  - 标题: 医疗质量\n    内容: 抓好质量。\n  - 标题: 公共卫生\n    内容: 做实服务。\n结束语: 本计划自发布之日起执行。\n`;
    const issues = check(text);
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['YAML_SYNTAX', 4, 5]]);
    expect(issues[0]!.message).toContain('"');
  });
  it('a single quote, deep in the example plan', () => {
    const lines = example.split('\n');
    const n = lines.findIndex((l) => l.includes('内容: 清理重复档案'));
    lines[n] = lines[n]!.replace('内容: ', "内容: '");
    expect(brief(lines.join('\n'))).toEqual([['YAML_SYNTAX', n + 1, lines[n]!.indexOf("'") + 1]]);
  });
  it('a [ without its ] (the parser blames the next line)', () => {
    expect(brief(`${HEAD}部门: [院办, 公卫办\n前言: 好\n`)).toEqual([['YAML_SYNTAX', 4, 5]]);
  });
});

describe('one Tab, one error', () => {
  const tabbed = (lineNo: number) => example.split('\n').map((l, i) => (i === lineNo - 1 ? l.replace(/^ {2}/, '\t') : l)).join('\n');
  // A key in a mapping, a list item's key, a line of a folded paragraph, a task attribute deep in the file.
  for (const n of [10, 19, 45, 60, 84]) {
    it(`a Tab on line ${n} of the example plan → exactly one YAML_TAB_INDENT at ${n}:1`, () => {
      expect(brief(tabbed(n))).toEqual([['YAML_TAB_INDENT', n, 1]]);
    });
  }
  it('several Tab lines are one slip: one error naming the other lines', () => {
    const text = example.split('\n').map((l, i) => (i >= 52 && i <= 59 ? l.replace(/^ {2}/, '\t') : l)).join('\n');
    const issues = check(text);
    expect(issues.map((i) => [i.code, i.line])).toEqual([['YAML_TAB_INDENT', 53]]);
    expect(issues[0]!.message).toContain('54');
  });
  it('a slip further down the file is still reported beside the Tab', () => {
    const lines = tabbed(60).split('\n');
    const n = lines.findIndex((l) => l.includes('内容: 每季度末汇总'));
    lines[n] = lines[n]!.replace('内容: ', '内容: "');
    expect(brief(lines.join('\n'))).toEqual([['YAML_TAB_INDENT', 60, 1], ['YAML_SYNTAX', n + 1, lines[n]!.indexOf('"') + 1]]);
  });
});

describe('duplicated keys, placeholders, dates', () => {
  it('a duplicated key is named, with the line it was first written on', () => {
    const issues = check(`${HEAD}前言: 为做好全年工作。\n结束语: 完。\n前言: 第二段。\n`);
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['YAML_DUPLICATE_KEY', 6, 1]]);
    expect(issues[0]!.message).toContain('「前言」');
    expect(issues[0]!.message).toContain('第 4 行');
  });
  it('a duplicated key inside a section too', () => {
    const issues = check(`${HEAD}重点工作:\n  - 标题: 医疗质量\n    内容: 一\n    标题: 质量安全\n`);
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['YAML_DUPLICATE_KEY', 7, 5]]);
    expect(issues[0]!.message).toContain('「标题」');
  });
  it('200*年 and 20**年 are placeholders like 20xx年', () => {
    for (const t of ['200*年工作要点', '20**年度', '20＊＊年', '请于*月*日前上报']) {
      const codes = check(`${HEAD}前言: ${t}\n`).map((i) => i.code);
      expect(codes.length, t).toBeGreaterThan(0);
      expect(new Set(codes), t).toEqual(new Set(['PLAN_PLACEHOLDER']));
    }
    expect(check(`${HEAD}前言: 达标率 = 达标人数/总人数*100%\n`)).toEqual([]);
  });
  it('a value starting with * is a reference to YAML: one error at it saying to quote it, not "too many aliases"', () => {
    const issues = check(`${HEAD}前言: *月*日前上报\n`);
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['YAML_SYNTAX', 4, 5]]);
    const quoted = hinted(issues[0]!.hint)!;
    expect(check(`${HEAD}前言: ${quoted}\n`).map((i) => [i.code, i.col])).toEqual([['PLAN_PLACEHOLDER', 6], ['PLAN_PLACEHOLDER', 8]]);
  });
  it('发文日期: 20250112 → the hint is the ISO date, and following it gives a valid file', () => {
    const text = `${HEAD}发文日期: 20250112\n`;
    const issues = check(text);
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_YAML_RETYPED', 4, 7]]);
    const fix = hinted(issues[0]!.hint);
    expect(fix).toBe('2025-01-12');
    expect(check(text.replace('20250112', fix!))).toEqual([]);
  });
  it('dates written 2025.1.12, 2025/1/12, 2025年1月12日 or quoted 20250112: the hint gives 2025-01-12; an impossible date gets none', () => {
    for (const d of ['2025.1.12', '2025/1/12', '2025年1月12日', "'20250112'"]) {
      const [i] = check(`${HEAD}发文日期: ${d}\n`);
      expect(i, d).toMatchObject({ code: 'PLAN_SCHEMA_FORMAT', line: 4, col: 7 });
      expect(hinted(i!.hint), d).toBe('2025-01-12');
    }
    const [bad] = check(`${HEAD}发文日期: 20251312\n`);
    expect(bad!.hint).not.toMatch(/2025-13|引号/);
  });
});

describe('the real binary', () => {
  it('prints the Tab once, the quote where it opens and the duplicated key by name; exit 1', () => {
    const lines = example.split('\n').map((l, i) => (i === 59 ? l.replace(/^ {2}/, '\t') : l));
    const n = lines.findIndex((l) => l.includes('内容: 每季度末汇总'));
    lines[n] = lines[n]!.replace('内容: ', '内容: "');
    const r = gongwei(['plan', 'validate', '-f', 'json', tempFile('plan.yaml', lines.join('\n'))]);
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout).files[0].issues as { code: string; line: number }[];
    expect(issues.map((i) => [i.code, i.line])).toEqual([['YAML_TAB_INDENT', 60], ['YAML_SYNTAX', n + 1]]);
    const dup = gongwei(['plan', 'validate', tempFile('plan.yaml', `${HEAD}年度: 2026\n`)]);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toMatch(/4:1 .*「年度」.*第 3 行.*YAML_DUPLICATE_KEY/);
  });
});
