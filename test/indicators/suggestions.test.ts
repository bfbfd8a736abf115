// Names of the same meaning only: the common names of each vaccine and dose resolve to the per-dose entries, and
// "是否要写" offers the same vaccine, dose, thing counted and people — or 自定义 when the catalogue has none.
import { describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { vaccineCode } from '../../src/catalog/vaccine-names.js';
import { validatePlanFile } from '../../src/plan/validate.js';
import { gongwei, tempFile } from '../plan/helpers.js';

const catalog = loadIndicatorCatalog();
const ids = (text: string) => catalog.suggestions(text);

describe('common vaccine and dose names resolve to the per-dose entry', () => {
  const cases: Array<[string, string]> = [
    ['乙脑疫苗第1剂接种率', 'coverage.JE-L.1'],
    ['乙脑第二剂接种率', 'coverage.JE-L.2'],
    ['乙型脑炎减毒活疫苗第2针接种率', 'coverage.JE-L.2'],
    ['乙脑疫苗第一剂及时接种率', 'timely-coverage.JE-L.1'],
    ['A群流脑疫苗第2剂接种率', 'coverage.MPSV-A.2'],
    ['麻腮风第1剂接种率', 'coverage.MMR.1'],
    ['百白破疫苗第4剂接种率', 'coverage.DTaP.4'],
    ['脊灰疫苗第3剂接种率', 'coverage.Polio.3'],
    // One dose in the schedule: the vaccine's name is enough.
    ['卡介苗接种率', 'coverage.BCG.1'],
    ['甲肝疫苗接种率', 'coverage.HepA-L.1'],
    ['白破疫苗接种率', 'coverage.DT.1'],
  ];
  for (const [name, id] of cases) it(`${name} → ${id}`, () => expect(catalog.resolve(name)?.id).toBe(id));
  it('names that do not say which dose, or say it loosely, do not resolve', () => {
    for (const n of ['乙脑疫苗接种率', '流脑疫苗接种率', '糖丸接种率', '乙肝首针接种率', '含麻疹成分疫苗第1剂接种率', '乙脑疫苗第3剂接种率', '乙脑疫苗第1剂覆盖情况']) {
      expect(catalog.resolve(n), n).toBeUndefined();
    }
  });
  it('names shared by several vaccines only steer suggestions: a register row saying 流脑疫苗 is still not guessed', () => {
    expect(vaccineCode('流脑疫苗')).toBeUndefined();
    expect(vaccineCode('含麻疹成分疫苗')).toBeUndefined();
    expect(vaccineCode('乙脑疫苗')).toBe('JE-L');
  });
});

describe('suggestions of the same meaning', () => {
  it('乙脑 / 甲肝-like names without a dose: every dose of that vaccine, coverage first, nothing of another programme', () => {
    const s = ids('乙脑疫苗接种率');
    expect(s.best.map((d) => d.id)).toEqual(['coverage.JE-L.1', 'coverage.JE-L.2']);
    expect(s.more.map((d) => d.id)).toEqual(['timely-coverage.JE-L.1', 'timely-coverage.JE-L.2']);
  });
  it('流脑疫苗接种率 → both 流脑 vaccines, each dose', () => {
    expect(ids('流脑疫苗接种率').best.map((d) => d.id)).toEqual(['coverage.MPSV-A.1', 'coverage.MPSV-A.2', 'coverage.MPSV-AC.1', 'coverage.MPSV-AC.2']);
  });
  it('含麻疹成分疫苗接种率 → 麻腮风 doses; 糖丸接种率 → 脊灰 doses', () => {
    expect(ids('含麻疹成分疫苗接种率').best.map((d) => d.id)).toEqual(['coverage.MMR.1', 'coverage.MMR.2']);
    expect(ids('含麻疹成分疫苗第2剂接种率').best.map((d) => d.id)).toEqual(['coverage.MMR.2']);
    expect(ids('糖丸接种率').best.map((d) => d.id)).toEqual(['coverage.Polio.1', 'coverage.Polio.2', 'coverage.Polio.3', 'coverage.Polio.4']);
  });
  it('乙肝首针接种率 → the coverage of dose 1 first, the 及时 rates after', () => {
    const s = ids('乙肝首针接种率');
    expect(s.best.map((d) => d.id)).toEqual(['coverage.HepB.1']);
    expect(s.more.map((d) => d.id)).toEqual(['hepb-birth-dose-timely-rate', 'timely-coverage.HepB.1']);
    expect(catalog.suggest('乙肝首针接种率')[0]!.id).toBe('coverage.HepB.1');
  });
  it('a different thing counted or different people: nothing (5岁以下儿童死亡率 is not 0～6岁儿童健康管理率)', () => {
    for (const n of ['5岁以下儿童死亡率', '孕产妇死亡率', '住院分娩率', '婴儿死亡率', '孕产妇系统管理率', '乙肝病毒携带率', '乙脑发病率', '3岁以下儿童系统管理率', '全程接种率', '老年人高血压规范化管理率']) {
      expect([...ids(n).best, ...ids(n).more].map((d) => d.id), n).toEqual([]);
    }
  });
  it('a vaccine name with other words about children still finds its doses (新生儿乙肝疫苗接种率)', () => {
    expect(ids('新生儿乙肝疫苗接种率').best.map((d) => d.id)).toEqual(['coverage.HepB.1', 'coverage.HepB.2', 'coverage.HepB.3']);
    expect(ids('1-7岁组接种率').best.map((d) => d.id)).toEqual(['coverage-1-6y']);
    expect(ids('1-7岁组接种率').more).toEqual([]);
  });
  it('misspellings and abbreviations of the same indicator are still found', () => {
    expect(catalog.suggest('高血压规范率')[0]!.id).toBe('hypertension-standard-management-rate');
    expect(catalog.suggest('老年人健康管里率')[0]!.id).toBe('elderly-health-management-rate');
    expect(catalog.suggest('血压控制率')[0]!.id).toBe('hypertension-control-rate');
    expect(catalog.suggest('健康档案建档率')[0]!.id).toBe('health-record-rate');
    expect(catalog.suggest('coverage-Oy')[0]!.id).toBe('coverage-0y');
  });
});

describe('in a plan', () => {
  const HEAD = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n';
  const issueFor = (name: string) => validatePlanFile(tempFile('plan.yaml', `${HEAD}工作目标:\n  指标:\n    - {指标: ${name}, 目标: 不低于90%}\n`), catalog).issues[0]!;
  it('the message names each equally good entry; the hint offers 自定义', () => {
    const i = issueFor('乙脑疫苗接种率');
    expect(i).toMatchObject({ code: 'PLAN_UNKNOWN_INDICATOR', line: 6, col: 12 });
    expect(i.message).toContain('「乙脑减毒活疫苗第1剂接种率」或「乙脑减毒活疫苗第2剂接种率」');
    expect(i.hint).toContain('自定义: true');
  });
  it('no look-alike for 5岁以下儿童死亡率: 自定义 is the suggestion', () => {
    const i = issueFor('5岁以下儿童死亡率');
    expect(i.message).not.toContain('是否要写');
    expect(i.hint).toContain('自定义: true');
  });
  it('keys: 落款 is explained (单位 + 发文日期), 抄报 is taken for 抄送 (not 主送); real misspellings still suggested', () => {
    const issues = validatePlanFile(tempFile('plan.yaml', `${HEAD}落款: 青石镇卫生院\n抄报: 县卫生健康局\n指导思路: 以人民健康为中心\n`), catalog).issues;
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([['PLAN_SCHEMA_UNKNOWN_KEY', 4, 1], ['PLAN_SCHEMA_UNKNOWN_KEY', 5, 1], ['PLAN_SCHEMA_UNKNOWN_KEY', 6, 1]]);
    expect(issues[0]!.message).not.toContain('结束语');
    expect(issues[0]!.message).toMatch(/单位.*发文日期/);
    expect(issues[1]!.message).not.toContain('主送');
    expect(issues[1]!.message).toContain('是否要写「抄送」');
    expect(issues[2]!.message).toContain('是否要写「指导思想」');
  });
  it('the real binary prints the per-dose suggestion', () => {
    const r = gongwei(['plan', 'validate', tempFile('plan.yaml', `${HEAD}工作目标:\n  指标:\n    - {指标: 乙肝首针接种率, 目标: 不低于95%}\n`)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/6:12 .*是否要写「乙肝疫苗第1剂接种率」.*PLAN_UNKNOWN_INDICATOR/);
  });
});
