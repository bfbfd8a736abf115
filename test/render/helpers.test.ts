// Chinese helpers: numerals, amounts, dates, periods, values, target phrases and result sentences (documents.md).
import { describe, expect, it } from 'vitest';
import { capitalAmount, chineseNumeral, formatDate, formatPeriod, formatValue, resultSentence, sectionNumber, targetPhrase } from '../../src/render/helpers.js';
import type { Target } from '../../src/catalog/target.js';

describe('numerals and numbering', () => {
  it.each([[1, '一'], [10, '十'], [11, '十一'], [20, '二十'], [23, '二十三'], [100, '一百'], [105, '一百零五'], [110, '一百一十'], [1000, '一千'], [1001, '一千零一'], [10000, '一万'], [10500, '一万零五百']])('%i → %s', (n, s) => {
    expect(chineseNumeral(n)).toBe(s);
  });
  it('section numbers by level', () => {
    expect([sectionNumber(1, 3), sectionNumber(2, 12), sectionNumber(3, 2), sectionNumber(4, 5)]).toEqual(['三、', '（十二）', '2.', '（5）']);
  });
  it.each([[1234.5, '壹仟贰佰叁拾肆元伍角'], [100, '壹佰元整'], [10005, '壹万零伍元整'], [0.05, '零元伍分']])('大写 %d → %s', (n, s) => {
    expect(capitalAmount(n)).toBe(s);
  });
});

describe('dates, periods and values', () => {
  it('dates without time-zone arithmetic', () => expect(formatDate('2025-03-05')).toBe('2025年3月5日'));
  it.each([['2025', '2025年'], ['2025Q2', '2025年第二季度'], ['2025-03', '2025年3月'], ['2025-01..2025-06', '2025年1—6月'], ['2024-11..2025-02', '2024年11月—2025年2月']])('%s → %s', (p, s) => {
    expect(formatPeriod(p)).toBe(s);
  });
  it.each([[95.25, '%', '95.3%'], [16, '‰', '16.0‰'], [30, '/10万', '30.0/10万'], [12, '次', '12次'], [null, '%', '无数据']])('%s%s → %s', (v, u, s) => {
    expect(formatValue(v, u)).toBe(s);
  });
});

const T = (op: '>=' | '>' | '<=' | '<' | '=', value: number, unit: string): Target => ({ kind: 'threshold', op, value, unit, text: '' });

describe('target phrases', () => {
  it.each([
    [T('>=', 65, '%'), '不低于65%'],
    [T('>', 80, '%'), '高于80%'],
    [T('<=', 30, '/10万'), '控制在30/10万以下'],
    [T('<', 5, '‰'), '低于5‰'],
    [T('=', 0, ''), '为零'],
    [T('=', 100, '%'), '达到100%'],
    [T('>=', 12, '次'), '不少于12次'],
    [{ kind: 'points', points: 5, text: '' } as Target, '提高5个百分点'],
    [{ kind: 'trend', direction: 'up', text: '' } as Target, '逐年上升'],
  ])('%j → %s', (t, s) => expect(targetPhrase(t)).toBe(s));
});

describe('result sentences (documents.md)', () => {
  const base = { id: 'hypertension-standard-management-rate', name: '高血压患者规范管理率', unit: '%', kind: 'rate' as const };
  it('met', () => {
    expect(resultSentence({ ...base, value: 67.2, target: T('>=', 65, '%'), status: '达标', gap: 0 })).toBe('高血压患者规范管理率达到67.2%（目标不低于65%），完成年度目标。');
  });
  it('not met: points below and people still needed, with the indicator’s verb and unit (carried by the result)', () => {
    expect(resultSentence({ ...base, value: 58.1, target: T('>=', 65, '%'), status: '未达标', gap: 23, gapVerb: '规范管理', gapUnit: '人' })).toBe('高血压患者规范管理率为58.1%，低于目标6.9个百分点，还需规范管理23人。');
    expect(resultSentence({ ...base, value: 80, target: T('>=', 95, '%'), status: '未达标', gap: 3, gapVerb: '及时报告', gapUnit: '例' })).toBe('高血压患者规范管理率为80.0%，低于目标15.0个百分点，还需及时报告3例。');
  });
  it('the gap verb can be passed by the caller', () => {
    expect(resultSentence({ ...base, id: 'no-such-indicator', value: 58.1, target: T('>=', 65, '%'), status: '未达标', gap: 23 }, { gapVerb: '随访' })).toBe('高血压患者规范管理率为58.1%，低于目标6.9个百分点，还需随访23人。');
  });
  it('no value says so', () => {
    expect(resultSentence({ ...base, value: null, reason: '缺少2025年人口基础数据', status: '无数据' })).toBe('高血压患者规范管理率无数据（缺少2025年人口基础数据）。');
  });
  it('a count below target', () => {
    expect(resultSentence({ id: 'health-education-lectures', name: '健康知识讲座次数', unit: '次', kind: 'count', value: 9, target: T('>=', 12, '次'), status: '未达标', gap: 3 })).toBe('健康知识讲座次数为9次，比目标少3次。');
  });
});
