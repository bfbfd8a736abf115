// 自定义 targets and the values file through the real binary: indicators compute --plan/--values, the year-end summary.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, gw, plan, root, values } from '../render/cli-fixture.js';

const { tmp, db } = cliFixture('gw-values-cli-');

describe('indicators compute --plan', () => {
  it('lists every 自定义 target as 需人工填报 with its target', () => {
    const r = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '-f', 'json');
    expect(r.status, r.stderr).toBe(0);
    const custom = JSON.parse(r.stdout).results.filter((x: { custom?: boolean }) => x.custom);
    expect(custom.map((x: { name: string; status: string; target: { text: string }; value: unknown }) => [x.name, x.status, x.target.text, x.value])).toEqual([
      ['住院分娩率', '需人工填报', '不低于98%', null],
      ['家庭医生签约率', '需人工填报', '不低于45%', null],
    ]);
    const text = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan);
    expect(text.stdout).toMatch(/住院分娩率[^\n]*不低于98%[^\n]*需人工填报/);
  });

  it('--values: evaluated against the target and marked 人工填报 with the source in text, JSON, CSV and xlsx', async () => {
    const j = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', values, '--by', 'village', '-f', 'json');
    expect(j.status, j.stderr).toBe(0);
    const rs = JSON.parse(j.stdout).results;
    const unit = rs.find((x: { name: string; group: unknown }) => x.name === '住院分娩率' && x.group === null);
    expect(unit).toMatchObject({ value: 99.2, numerator: 124, denominator: 125, status: '达标', manual: { source: '县妇幼保健院2025年住院分娩统计' } });
    const dx = rs.find((x: { name: string; group: unknown }) => x.name === '家庭医生签约率' && x.group === '南岭村');
    expect(dx).toMatchObject({ value: 41.3, status: '未达标' });
    const csv = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', values, '-f', 'csv');
    expect(csv.stdout).toContain('住院分娩率,%,124,125,99.2,不低于98%,达标,0,人,人工填报：县妇幼保健院2025年住院分娩统计');
    expect(csv.stdout).toMatch(/高血压患者规范管理率,%,\d+,\d+,[\d.]+,不低于65%,[^,]+,[^,]*,[^,]*,登记表/);
    const text = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', values);
    expect(text.stdout).toMatch(/住院分娩率[^\n]*99\.2%[^\n]*达标[^\n]*人工填报/);
    const out = path.join(tmp, 'c.xlsx');
    expect(gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', values, '-o', out).status).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => n > 1 && rows.push(row.values as unknown[]));
    const birth = rows.find((r) => r[header.indexOf('指标')] === '住院分娩率')!;
    expect(birth[header.indexOf('数据来源')]).toBe('人工填报：县妇幼保健院2025年住院分娩统计');
    expect(birth[header.indexOf('结果')]).toBeCloseTo(0.992, 6);
  });

  it('a bad values file stops the command with file, row and a Chinese message; a computed indicator is warned and not overridden', () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, '- {指标: 住院分娩率, 期间: 2025, 数值: 101%, 数据来源: 年报}\n- {指标: 高血压患者规范管理率, 期间: 2025, 数值: 99%, 数据来源: 年报}\n');
    const r = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', bad, '-f', 'json');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}:1:`);
    expect(r.stderr).toContain('[VALUES_RANGE]');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const warnOnly = path.join(tmp, 'warn.yaml');
    fs.writeFileSync(warnOnly, '- {指标: 高血压患者规范管理率, 期间: 2025, 数值: 99%, 数据来源: 年报}\n');
    const w = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', warnOnly, '-f', 'json');
    expect(w.status, w.stderr).toBe(0);
    expect(w.stderr).toContain('[VALUES_COMPUTED]');
    const ht = JSON.parse(w.stdout).results.find((x: { id: string; group: unknown }) => x.id === 'hypertension-standard-management-rate' && x.group === null);
    expect(ht.value).not.toBe(99);
    expect(ht.manual).toBeUndefined();
    const q2 = gw('indicators', 'compute', '--db', db, '--period', '2025Q2', '--plan', plan, '--values', values, '-f', 'json');
    expect(q2.status, q2.stderr).toBe(0);
    expect(q2.stderr).toContain('[VALUES_OTHER_PERIOD]');
    expect(JSON.parse(q2.stdout).results.filter((x: { status: string }) => x.status === '需人工填报').length).toBe(2);
    const noPlan = gw('indicators', 'compute', '--db', db, '--period', '2025', '--values', warnOnly);
    expect(noPlan.status).toBe(1);
    expect(noPlan.stderr).toContain('VALUES_NEED_PLAN');
  });
});

describe('plan render --summary', () => {
  it('without values: 自定义 targets are listed as 需人工填报, never “计划未设定量化指标目标”', () => {
    const out = path.join(tmp, 's1.md');
    const r = gw('plan', 'render', plan, '--summary', '--db', db, '--period', '2025', '-f', 'md', '-o', out);
    expect(r.status, r.stderr).toBe(0);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toContain('住院分娩率为自定义指标，需人工填报（目标不低于98%），本期尚未填报数值。');
    expect(md).toContain('| 家庭医生签约率 | — | — | 需人工填报 | 不低于45% |');
    expect(md).not.toContain('计划未设定量化指标目标');
  });

  it('with values: the value beside the computed rates, marked 人工填报 with its source', () => {
    const out = path.join(tmp, 's2.md');
    const r = gw('plan', 'render', plan, '--summary', '--db', db, '--period', '2025', '-f', 'md', '-o', out, '--values', values);
    expect(r.status, r.stderr).toBe(0);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toContain('住院分娩率达到99.2%（目标不低于98%；人工填报，数据来源：县妇幼保健院2025年住院分娩统计），完成年度目标。');
    expect(md).toContain('| 住院分娩率 | 124 | 125 | 99.2%（人工填报） | 不低于98% |');
    expect(md).toMatch(/高血压患者规范管理率(达到|为)\d+\.\d%/);
    expect(md).not.toContain('需人工填报');
  });
});

describe('indicators values-template', () => {
  it('writes a ready-to-fill xlsx (a row per 自定义 target, hand-scored item and village); filled in by exceljs it is read back', async () => {
    const out = path.join(tmp, '填报.xlsx');
    const r = gw('indicators', 'values-template', '--plan', plan, '-o', out);
    expect(r.status, r.stderr).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['指标', '期间', '村', '目标', '数值', '分子', '分母', '数据来源', '备注']);
    expect(ws.rowCount).toBe(1 + 3 * 6); // (2 自定义 + 1 hand-scored) × (unit + 5 villages)
    expect((ws.getRow(2).values as unknown[]).slice(1, 5)).toEqual(['住院分娩率', '2025', '', '不低于98%']);
    // Unfilled, it is read without error and changes nothing.
    const blank = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', out, '-f', 'json');
    expect(blank.status, blank.stderr).toBe(0);
    expect(blank.stderr).toBe('');
    ws.getCell('E2').value = '99.5%';
    ws.getCell('H2').value = '县妇幼保健院年报';
    await wb.xlsx.writeFile(out);
    const filled = gw('indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--values', out, '-f', 'json');
    expect(filled.status, filled.stderr).toBe(0);
    const birth = JSON.parse(filled.stdout).results.find((x: { name: string; group: unknown }) => x.name === '住院分娩率' && x.group === null);
    expect(birth).toMatchObject({ value: 99.5, status: '达标', manual: { source: '县妇幼保健院年报' } });
    for (const ext of ['csv', 'yaml']) {
      const f = path.join(tmp, `填报.${ext}`);
      expect(gw('indicators', 'values-template', '--plan', plan, '-o', f).status).toBe(0);
      const again = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', f, '-f', 'json');
      expect(again.status, again.stderr).toBe(0);
    }
  });

  it('refuses a plan with nothing to fill in and an unknown extension', () => {
    const unitPlan = path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml');
    const r = gw('indicators', 'values-template', '--plan', unitPlan, '-o', path.join(tmp, 'x.xlsx'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('VALUES_NOTHING');
    expect(gw('indicators', 'values-template', '--plan', plan, '-o', path.join(tmp, 'x.docx')).stderr).toContain('VALUES_FORMAT');
  });
});
