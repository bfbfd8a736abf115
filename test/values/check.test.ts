// The values file (人工填报): read from YAML, xlsx (written by exceljs) and GB18030 csv; every bad row a Chinese issue with its position.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIndicatorCatalog } from '../../src/catalog/indicators.js';
import { loadValues, withCustomResults, NEEDS_VALUE } from '../../src/indicators/values/index.js';
import { loadPlanFile } from '../../src/plan/load.js';
import { planCustomTargets } from '../../src/plan/plan-targets.js';
import type { ComputeResult } from '../../src/indicators/types.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-values-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const catalog = loadIndicatorCatalog();
const plan = loadPlanFile(path.join(root, 'examples', 'qingshi-2025-village-assessment.yaml')).plan!;
const custom = planCustomTargets(plan);
const scored = [{ name: '健康教育与资料管理', weight: 10 }];

const write = (name: string, text: string) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};
const load = (file: string) => loadValues(file, { custom, scored }, catalog);
const codes = (issues: Array<{ code: string }>) => issues.map((i) => i.code);

async function xlsx(name: string, rows: unknown[][], fmt?: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('填报');
  for (const r of rows) ws.addRow(r);
  fmt?.(ws);
  const f = path.join(tmp, name);
  await wb.xlsx.writeFile(f);
  return f;
}

describe('the plan’s 自定义 targets', () => {
  it('are read with their kind and unit', () => {
    expect(custom.map((t) => [t.name, t.kind, t.unit, t.text])).toEqual([
      ['住院分娩率', 'rate', '%', '不低于98%'],
      ['家庭医生签约率', 'rate', '%', '不低于45%'],
    ]);
  });
});

describe('values file', () => {
  it('the example YAML is clean and gives unit and village values, scores too', async () => {
    const r = await load(path.join(root, 'examples', 'values', 'qingshi-2025-填报.csv'));
    expect(r.issues).toEqual([]);
    const birth = r.values.find((v) => v.name === '住院分娩率' && v.village === '')!;
    expect(birth).toMatchObject({ kind: 'indicator', period: '2025', value: 99.2, numerator: 124, denominator: 125, source: '县妇幼保健院2025年住院分娩统计' });
    expect(r.values.filter((v) => v.kind === 'score').map((v) => v.village)).toEqual(['', '青石村', '东溪村', '南岭村', '西坪村']);
  });

  it('YAML: every bad row gets its code and line', async () => {
    const f = write('bad.yaml', [
      '- {指标: 住院分娩律, 期间: 2025, 数值: 99%, 数据来源: 年报}', // 2 unknown, suggests 住院分娩率
      '- {指标: 住院分娩率, 期间: 2025年上半, 数值: 99%, 数据来源: 年报}', // 3 period
      '- {指标: 住院分娩率, 期间: 2025, 数值: 99.2}', // 4 no unit, no source
      '- {指标: 住院分娩率, 期间: 2025, 数值: 101%, 数据来源: 年报}', // 5 > 100%
      '- {指标: 高血压患者规范管理率, 期间: 2025, 数值: 70%, 数据来源: 年报}', // 6 computed: warning
      '- {指标: 家庭医生签约率, 期间: 2025, 数值: 40%, 数据来源: 系统}', // 7 ok
      '- {指标: 家庭医生签约率, 期间: 2025, 数值: 41%, 数据来源: 系统}', // 8 duplicate
      '- {指标: 健康教育与资料管理, 期间: 2025, 数值: 12, 数据来源: 现场检查}', // 9 over 分值
      '- {指标: 住院分娩率, 期间: 2025Q1, 数值: 90%, 分子: 9, 分母: 12, 数据来源: 年报}', // 10 mismatch
      '- {指标: 家庭医生签约率, 期间: 2025Q2, 数值: 12次, 数据来源: 系统}', // 11 count unit for a rate
    ].join('\n'));
    const r = await load(f);
    const at = Object.fromEntries(r.issues.map((i) => [i.code + ':' + i.line, i]));
    expect(at['VALUES_UNKNOWN_INDICATOR:1']!.message).toContain('是指「住院分娩率」吗');
    expect(at['VALUES_PERIOD:2']).toBeDefined();
    expect(at['VALUES_NO_UNIT:3']!.hint).toContain('99.2%');
    expect(at['VALUES_NO_SOURCE:3']).toBeDefined();
    expect(at['VALUES_RANGE:4']).toBeDefined();
    expect(at['VALUES_COMPUTED:5']!.severity).toBe('warning');
    expect(at['VALUES_DUPLICATE:7']!.hint).toContain(':6');
    expect(at['VALUES_RANGE:8']!.message).toContain('超过了分值 10');
    expect(at['VALUES_MISMATCH:9']!.message).toContain('75.0%');
    expect(at['VALUES_UNIT:10']).toBeDefined();
    expect(r.issues.every((i) => /[\u4e00-\u9fff]/.test(i.message) && i.file === f)).toBe(true);
    expect(r.values.map((v) => `${v.name}:${v.value}`)).toEqual(['家庭医生签约率:40']);
  });

  it('YAML: a file that is not a list, an unknown key and broken YAML are reported, not thrown', async () => {
    expect(codes((await load(write('map.yaml', '指标: 住院分娩率\n'))).issues)).toEqual(['VALUES_SHAPE']);
    expect(codes((await load(write('key.yaml', '- {指标: 住院分娩率, 期间: 2025, 数值: 99%, 出处: 年报}\n'))).issues)).toEqual(['VALUES_UNKNOWN_COLUMN', 'VALUES_NO_SOURCE']);
    const broken = await load(write('broken.yaml', '- {指标: 住院分娩率, 期间: 2025\n'));
    expect(broken.issues[0]!.code).toMatch(/^YAML_/);
  });

  it('xlsx by exceljs: a percent cell is a percentage, bad rows named by sheet, row and column', async () => {
    const f = await xlsx('v.xlsx', [
      ['青石镇卫生院2025年人工填报数值'],
      ['指标', '期间', '村', '数值', '分子', '分母', '数据来源', '备注'],
      ['住院分娩率', 2025, null, 0.992, 124, 125, '妇幼年报', null],
      ['家庭医生签约率', '2025', '东溪村', '44%', null, null, null, null],
      ['门诊人次', 2025, null, 1200, null, null, 'his', null],
      ['住院分娩率', 2025, '南岭村', 120, null, null, '妇幼年报', null],
    ], (ws) => { ws.getCell('D3').numFmt = '0.0%'; });
    const r = await load(f);
    expect(r.values.map((v) => [v.name, v.village, +v.value.toFixed(6)])).toEqual([['住院分娩率', '', 99.2]]);
    const by = (code: string) => r.issues.find((i) => i.code === code)!;
    expect(by('VALUES_NO_SOURCE')).toMatchObject({ sheet: '填报', row: 4, column: '数据来源' });
    expect(by('VALUES_UNKNOWN_INDICATOR')).toMatchObject({ row: 5, column: '指标' });
    expect(by('VALUES_NO_UNIT')).toMatchObject({ row: 6, column: '数值' });
  });

  it('a village the plan does not list is an error that suggests the listed one', async () => {
    const f = write('village.yaml', '- {指标: 住院分娩率, 期间: 2025, 村: 东溪, 数值: 99%, 数据来源: 年报}\n');
    const r = await loadValues(f, { custom, scored, villages: ['青石村', '东溪村'] }, catalog);
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([['VALUES_UNKNOWN_VILLAGE', 1]]);
    expect(r.issues[0]!.message).toContain('是指「东溪村」吗');
  });

  it('xlsx without a header row, and a csv in GB18030', async () => {
    const f = await xlsx('nohead.xlsx', [['住院分娩率', 2025, 99]]);
    expect(codes((await load(f)).issues)).toEqual(['VALUES_NO_HEADER']);
    const csv = path.join(tmp, 'v.csv');
    fs.writeFileSync(csv, iconv.encode('指标,期间,村,数值,分子,分母,数据来源,备注\r\n住院分娩率,2025,,99.2%,124,125,县妇幼保健院年报,\r\n', 'gb18030'));
    const r = await load(csv);
    expect(r.issues).toEqual([]);
    expect(r.values[0]).toMatchObject({ name: '住院分娩率', value: 99.2, source: '县妇幼保健院年报' });
  });

  it('a value is evaluated against the target like a computed one; a missing one is 需人工填报', async () => {
    const r = await load(path.join(root, 'examples', 'values', 'qingshi-2025-填报.csv'));
    const period = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
    const res: ComputeResult = { period, by: 'village', schedule: '2021', notes: [], results: [] };
    const out = withCustomResults(res, custom, r.values.filter((v) => v.village !== '南岭村'));
    const unit = out.results.filter((x) => x.group === null);
    expect(unit.map((x) => [x.name, x.status, x.manual?.source])).toEqual([
      ['住院分娩率', '达标', '县妇幼保健院2025年住院分娩统计'],
      ['家庭医生签约率', '达标', '家庭医生签约服务管理系统'],
    ]);
    const dx = out.results.find((x) => x.group === '东溪村' && x.name === '住院分娩率')!;
    expect(dx).toMatchObject({ value: 96, status: '未达标', gap: 1, manual: { note: '1例在家分娩' } });
    const nl = out.results.find((x) => x.group === '南岭村');
    expect(nl).toBeUndefined();
    const q2 = withCustomResults({ ...res, period: { label: '2025Q2', start: '2025-04-01', end: '2025-06-30' } }, custom, r.values);
    expect(q2.results.map((x) => [x.status, x.value, x.reason])).toEqual([['需人工填报', null, NEEDS_VALUE], ['需人工填报', null, NEEDS_VALUE]]);
  });
});
