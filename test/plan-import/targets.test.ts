// Targets in sentences: found, parsed by the plan's own parser, linked to the catalogue only when the name means the same indicator.
import { describe, expect, it } from 'vitest';
import { catalogueLookup } from '../../src/plan-import/catalog.js';
import { findTargets } from '../../src/plan-import/targets.js';
import type { Check } from '../../src/plan-import/tree.js';

const lookup = catalogueLookup();
function targets(sentence: string) {
  const checks: Check[] = [];
  const r = findTargets([{ text: sentence, at: 1, node: { kind: 'paragraph', text: sentence, at: 1 } }], lookup, checks);
  return { list: r.targets.map((t) => [t.name, t.target, t.indicator?.id ?? '自定义']), checks: checks.map((c) => c.code), stats: r.stats, raw: r.targets };
}

describe('targets in sentences', () => {
  it.each([
    ['高血压患者规范管理率不低于65%', [['高血压患者规范管理率', '不低于65%', 'hypertension-standard-management-rate']]],
    ['乙肝疫苗首针及时接种率≥90%', [['乙肝疫苗首针及时接种率', '≥90%', 'hepb-birth-dose-timely-rate']]],
    ['0～6岁儿童健康管理率85%以上', [['0～6岁儿童健康管理率', '85%以上', 'child-health-management-rate']]],
    ['力争全年居民健康档案建档率达到90%。', [['居民健康档案建档率', '达到90%', 'health-record-rate']]],
    ['在更新档案的基础上，建档覆盖率计划达到80%。', [['建档覆盖率', '达到80%', 'health-record-rate']]],
    ['法定传染病报告率100%；', [['法定传染病报告率', '100%', 'infectious-report-rate']]],
  ])('%s', (sentence, expected) => {
    expect(targets(sentence).list).toEqual(expected);
  });

  it('two targets in one sentence give two; a name shared by 和/、 gives one per name; an elided name continues the one before', () => {
    expect(targets('高血压患者规范管理率不低于65%，2型糖尿病患者规范管理率不低于60%。').list).toEqual([
      ['高血压患者规范管理率', '不低于65%', 'hypertension-standard-management-rate'],
      ['2型糖尿病患者规范管理率', '不低于60%', 'diabetes-standard-management-rate'],
    ]);
    expect(targets('计划免疫儿童建卡率和发证率、卡证相符率达99%。').list.map((t) => t[0])).toEqual(['计划免疫儿童建卡率', '发证率', '卡证相符率']);
    expect(targets('计划免疫保证0岁组接种率98%以上，1-6岁组95%以上，保证疫苗冷链要求。').list).toEqual([
      ['0岁组接种率', '98%以上', 'coverage-0y'],
      ['1-6岁组接种率', '95%以上', 'coverage-1-6y'],
    ]);
  });

  it('outside the catalogue, or not the same thing, is 自定义 (with a place to check): other vaccines, other doses, other populations', () => {
    for (const s of ['孕产妇系统管理率达到90%', '群众满意度达到90%以上', '乙肝首针接种率达到100%', '麻疹疫苗接种率99%', '7岁以下儿童保健管理率逐年上升', '60周岁以上的老年人高血压规范化管理不低于85%', '计划免疫接种率不低于95%']) {
      const t = targets(s);
      expect(t.list.map((x) => x[2]), s).toEqual(['自定义']);
      expect(t.checks, s).toContain('IMPORT_TARGET_CUSTOM');
    }
  });

  it('trends, zero and growth are targets the plan parser understands', () => {
    expect(targets('力争实现参合率稳中有升。').list).toEqual([['参合率', '稳中有升', '自定义']]);
    expect(targets('控制相应传染病发病率为零。').list).toEqual([['控制相应传染病发病率', '为零', '自定义']]);
    expect(targets('争取卫生院门诊人次增加20%，住院人次增加15%。').list).toEqual([
      ['卫生院门诊人次', '增加20%', '自定义'],
      ['住院人次', '增加15%', '自定义'],
    ]);
    expect(targets('孕产妇死亡率控制在30/10万以下，婴儿死亡率控制在16‰以下。').list).toEqual([
      ['孕产妇死亡率', '控制在30/10万以下', '自定义'],
      ['婴儿死亡率', '控制在16‰以下', '自定义'],
    ]);
  });

  it('a placeholder target is kept as written and flagged, never filled in; an escaped > is read as > and flagged', () => {
    const t = targets('新法接生率gt;xx%；孕产妇系管率达到xx%。');
    expect(t.list).toEqual([
      ['新法接生率', '>xx%', '自定义'],
      ['孕产妇系管率', '达到xx%', '自定义'],
    ]);
    expect(t.raw.every((x) => x.placeholder)).toBe(true);
    expect(t.checks).toEqual(expect.arrayContaining(['IMPORT_HTML_ENTITY', 'IMPORT_TARGET_PLACEHOLDER']));
  });

  it('an approximate target (左右) is found but flagged as unclear; a percentage that is no target is counted, not invented', () => {
    const t = targets('门诊量增长率保持在10%左右。');
    expect(t.checks).toContain('IMPORT_TARGET_UNCLEAR');
    const none = targets('从政府补助经费中，提取1%作为绩效考核奖励基金。');
    expect(none.list).toEqual([]);
    expect(none.stats).toEqual({ sentences: 1, withTargets: 0 });
  });
});

describe('targets that cannot be judged are never narrowed', () => {
  it('a range keeps both ends and is flagged; it does not become its lower end', () => {
    const t = targets('门诊病历合格率达到90%-95%。');
    expect(t.list).toEqual([['门诊病历合格率', '达到90%-95%', '自定义']]);
    expect(t.checks).toContain('IMPORT_TARGET_UNCLEAR');
  });
});
