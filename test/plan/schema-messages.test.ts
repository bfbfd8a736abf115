// Schema errors as an office worker reads them: typical mistakes give one clear Chinese issue each, at the right line:col;
// the schema walker that explains them agrees with ajv on what is valid.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { planSchema } from '../../src/plan/load.js';
import { SchemaExplainer } from '../../src/plan/schema-explain.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { root, tempFile } from './helpers.js';

const HEAD = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n';
const catalog = loadIndicatorCatalog();

function issuesOf(body: string, head = HEAD) {
  return validatePlanFile(tempFile('plan.yaml', head + body), catalog).issues;
}

// [what the author did, YAML after the header (line 4 on), expected [code, line, col] of every issue, text the first message contains]
const MISTAKES: [string, string, [string, number, number][], string][] = [
  ['a key misspelt inside a task ($ref definition)', '重点工作:\n  - 标题: 医疗质量\n    任务:\n      - 内容: 每月检查\n        责任部门: 医务科\n', [['PLAN_SCHEMA_UNKNOWN_KEY', 8, 9]], '是否要写「责任科室」'],
  ['题目 instead of the required 标题: one issue, not "missing 标题" as well', '重点工作:\n  - 题目: 医疗质量\n    内容: 抓好质量\n', [['PLAN_SCHEMA_UNKNOWN_KEY', 5, 5]], '是否要写「标题」'],
  ['a space inside a key', '工作目标:\n  指标:\n    - 指标: 建证率\n      目 标: 不低于95%\n', [['PLAN_SCHEMA_UNKNOWN_KEY', 7, 7]], '是否要写「目标」'],
  ['年度 as a quoted string', '', [['PLAN_SCHEMA_TYPE', 3, 5]], '应为整数'],
  ['a map where a list of sections is expected', '重点工作:\n  标题: 医疗质量\n  内容: 抓好质量\n', [['PLAN_SCHEMA_TYPE', 5, 3]], '各节要写成列表'],
  ['targets as a map instead of a list', '工作目标:\n  指标:\n    高血压患者规范管理率: 不低于65%\n', [['PLAN_SCHEMA_TYPE', 6, 5]], '「指标」应为列表'],
  ['targets listed directly under 工作目标', '工作目标:\n  - {指标: 建证率, 目标: 不低于95%}\n', [['PLAN_SCHEMA_TYPE', 5, 5]], '应为文字'],
  ['a paragraph written as a map deep in a section', '重点工作:\n  - 标题: 医疗质量\n    内容:\n      段落: 抓好质量\n', [['PLAN_SCHEMA_TYPE', 7, 7]], '「内容」应为文字或列表'],
  ['a number among department names', '重点工作:\n  - 标题: 医疗质量\n    内容: 抓好\n    任务:\n      - 内容: 检查\n        责任科室: [医务科, 123]\n', [['PLAN_YAML_RETYPED', 9, 21]], '读成了数字'],
  ['a misspelt 文档类型', '', [['PLAN_SCHEMA_ENUM', 1, 7]], '是否要写「年度工作计划」'],
  ['nothing after the colon', '前言:\n', [['PLAN_SCHEMA_EMPTY', 4, 1]], '「前言」没有填写内容'],
  ['领导小组 as one sentence', '领导小组: 院长任组长\n', [['PLAN_SCHEMA_TYPE', 4, 7]], '「领导小组」应为“键: 值”形式的内容'],
  ['a full-width colon inside 领导小组', '领导小组:\n  组长：院长\n', [['PLAN_SCHEMA_TYPE', 5, 3]], '「领导小组」应为'],
  ['a quarter written 一季度 in 进度安排 is accepted', '重点工作:\n  - 标题: 医疗质量\n    任务:\n      - 内容: 检查\n        进度安排: {一季度: 摸底, 十二月: 总结}\n', [], ''],
  ['a bad key in 进度安排', '重点工作:\n  - 标题: 医疗质量\n    任务:\n      - 内容: 检查\n        进度安排: {春节前: 摸底}\n', [['PLAN_SCHEMA_FORMAT', 8, 16]], '「春节前」不是可用的写法'],
  ['a date in Chinese for 发文日期', '发文日期: 2025年1月10日\n', [['PLAN_SCHEMA_FORMAT', 4, 7]], '应写成日期'],
  ['分值 in words', '考核:\n  指标:\n    - {指标: 高血压患者规范管理率, 目标: 不低于65%, 分值: 十分}\n    - {指标: 建证率, 目标: 不低于95%, 分值: 90}\n', [['PLAN_SCHEMA_TYPE', 6, 40]], '「分值」应为数字'],
  ['a department listed twice', '部门: [院办, 公卫办, 院办]\n', [['PLAN_SCHEMA_DUPLICATE_ITEM', 4, 15]], '「院办」重复了'],
];

describe('schema errors read as clear Chinese, one issue per mistake', () => {
  for (const [what, body, want, text] of MISTAKES) {
    it(what, () => {
      let head = HEAD;
      if (what.startsWith('年度 as')) head = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: "2025"\n';
      if (what.startsWith('a misspelt 文档类型')) head = '文档类型: 年度计划\n单位: 青石镇卫生院\n年度: 2025\n';
      const issues = issuesOf(body, head);
      expect(issues.map((i) => [i.code, i.line, i.col]), JSON.stringify(issues)).toEqual(want);
      if (text) expect(issues[0]!.message).toContain(text);
      for (const i of issues) {
        expect(i.message).toMatch(/[\u4e00-\u9fff]/);
        expect(i.message).not.toMatch(/must|should|NOT|instancePath|anyOf|oneOf|\/\$defs/);
      }
    });
  }
  it('a full-width colon gets a hint about the English colon and the space', () => {
    const [i] = issuesOf('领导小组:\n  组长：院长\n');
    expect(i!.hint).toContain('英文冒号');
  });
  it('a quoted number gets the hint to drop the quotes', () => {
    const [i] = issuesOf('', '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: "2025"\n');
    expect(i!.hint).toContain('去掉引号');
  });
  it('numbers written with a unit, thousands separators or 万 get the number to write', () => {
    const hints = issuesOf('基本情况:\n  辖区人口: 32,500\n  职工人数: 46人\n  床位: 4万\n').map((i) => i.hint);
    expect(hints).toEqual(['去掉逗号，写成 32500', '只写数字，不写单位：46', '写成数字：40000']);
  });
  it('自定义: 是 → write true', () => {
    const issues = issuesOf('工作目标:\n  指标:\n    - {指标: 孕产妇死亡率, 目标: 为零, 自定义: 是}\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'PLAN_SCHEMA_TYPE', line: 6, col: 33, message: '「自定义」应为 true 或 false', hint: '写 true（不加引号）' });
  });
  it('"-标题" (no space after the dash) says so', () => {
    const [i] = issuesOf('重点工作:\n  -标题: 医疗质量\n');
    expect(i).toMatchObject({ code: 'PLAN_SCHEMA_UNKNOWN_KEY', line: 5, col: 3 });
    expect(i!.message).toContain('“-”后面要空一格');
  });
  it('schema errors do not hide the domain rules: both come in one pass', () => {
    const issues = issuesOf('编号: 1\n前言: 20xx年是关键的一年。\n工作目标:\n  指标:\n    - {指标: 高血压规范率, 目标: 不低于65%}\n');
    expect(issues.map((i) => i.code)).toEqual(['PLAN_SCHEMA_UNKNOWN_KEY', 'PLAN_PLACEHOLDER', 'PLAN_UNKNOWN_INDICATOR']);
  });
});

// ---- The walker agrees with ajv on validity (examples, fixtures, and many mutations of them). ----

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats(ajv, ['date']);
const ajvValidate = ajv.compile(planSchema());
const explainer = new SchemaExplainer(planSchema());

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}
const REPLACEMENTS: unknown[] = [null, 7, 2.5, -1, 101, '', '文字', '2025-02-30', '2025-01-10', true, [], ['一段'], [1], {}, { 标题: '小节' }, { 内容: '段落' }, { x: 1 }, [{ 标题: 'a' }], [{ 指标: '建证率', 目标: '不低于95%' }]];

function nodes(v: unknown, p: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(p);
  if (Array.isArray(v)) v.forEach((x, i) => nodes(x, [...p, i], out));
  else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => nodes(x, [...p, k], out));
  return out;
}
function mutate(v: unknown, r: () => number): unknown {
  const copy = structuredClone(v);
  const all = nodes(copy).filter((p) => p.length);
  const p = all[Math.floor(r() * all.length)]!;
  const parent = p.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const last = p[p.length - 1]!;
  const kind = r();
  if (kind < 0.6) parent[last] = structuredClone(REPLACEMENTS[Math.floor(r() * REPLACEMENTS.length)]);
  else if (kind < 0.75) Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (kind < 0.9 && !Array.isArray(parent)) {
    parent[`${String(last)}x`] = parent[last];
    delete parent[last];
  } else if (Array.isArray(parent)) parent.push(structuredClone(parent[0]));
  else parent['补充'] = '文字';
  return copy;
}

describe('schema walker agrees with ajv', () => {
  const files = [
    ...readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => path.join(root, 'examples', f)),
    ...readdirSync(path.join(root, 'test/fixtures/plan/invalid')).filter((f) => f.endsWith('.yaml')).map((f) => path.join(root, 'test/fixtures/plan/invalid', f)),
  ];
  it('on the examples and fixtures', () => {
    for (const f of files) {
      let v: unknown;
      try {
        v = parse(readFileSync(f, 'utf8'), { uniqueKeys: false });
      } catch {
        continue;
      }
      if (!v || typeof v !== 'object') continue;
      expect(explainer.explain(v).length === 0, f).toBe(ajvValidate(v) as boolean);
    }
  });
  it('on 3000 mutated copies of the examples', () => {
    const r = rng(42);
    const bases = files.filter((f) => f.includes('/examples/')).map((f) => parse(readFileSync(f, 'utf8')));
    let invalid = 0;
    for (let i = 0; i < 3000; i++) {
      let v = bases[i % bases.length];
      for (let k = 0; k < 1 + (i % 3); k++) v = mutate(v, r);
      const valid = ajvValidate(v) as boolean;
      if (!valid) invalid++;
      expect(explainer.explain(v).length === 0, JSON.stringify(v).slice(0, 400)).toBe(valid);
    }
    expect(invalid).toBeGreaterThan(1000);
  });
});
