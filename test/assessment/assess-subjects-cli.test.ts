// plan assess of a scheme whose 考核对象 lists departments or people, through the real binary: one score and grade per
// 对象 with its own hand scores and 自定义 values from the values file (考核对象 column), the indicators from the
// registers the same for each (said so), ranked; JSON, xlsx and a document; names the plan does not list are refused.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFixture, gw, plan as villageScheme } from '../render/cli-fixture.js';

const { tmp, db } = cliFixture('gw-assess-s-');
const plan = path.join(tmp, 'departments.yaml');
const values = path.join(tmp, '填报.csv');
beforeAll(() => {
  const text = fs.readFileSync(villageScheme, 'utf8').replace(/^# yaml-language-server.*\n/, '');
  expect(text).toContain('考核对象: 各村卫生室');
  fs.writeFileSync(plan, text.replace('考核对象: 各村卫生室', '考核对象: [公卫办, 妇幼科]'));
  fs.writeFileSync(
    values,
    [
      '指标,期间,考核对象,数值,数据来源',
      '健康教育与资料管理,2025,公卫办,9分,考核小组现场检查',
      '健康教育与资料管理,2025,妇幼科,7分,考核小组现场检查',
      '住院分娩率,2025,公卫办,99.2%,县妇幼保健院统计',
      '住院分娩率,2025,妇幼科,97%,县妇幼保健院统计',
      '家庭医生签约率,2025,公卫办,47%,签约系统',
      '家庭医生签约率,2025,妇幼科,50%,签约系统',
    ].join('\n') + '\n',
  );
});

interface Item { name: string; indicatorId?: string; value: number | null; score: number; state: string; note: string; source?: string }
interface Result { subject: string; total: number; grade: string; items: Item[]; notes: string[]; missing: string[] }

describe('plan assess of 考核对象: [公卫办, 妇幼科]', () => {
  it('JSON: one result per 对象, its own hand scores and values; the registers’ indicators the same for each, marked 全院数据', () => {
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-f', 'json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { subject: string; ranking: Array<{ rank: number; village: string; total: number }>; villages: Result[] };
    expect(j.subject).toBe('公卫办、妇幼科');
    const [a, b] = ['公卫办', '妇幼科'].map((n) => j.villages.find((v) => v.subject === n)!);
    expect(a!.items.find((i) => i.name === '健康教育与资料管理')).toMatchObject({ state: '人工评分', score: 9 });
    expect(b!.items.find((i) => i.name === '健康教育与资料管理')).toMatchObject({ state: '人工评分', score: 7 });
    expect(a!.items.find((i) => i.name === '住院分娩率')).toMatchObject({ value: 99.2, state: '达标', score: 10 });
    // 97% against 不低于98%, proportional: 97/98 × 10.
    expect(b!.items.find((i) => i.name === '住院分娩率')).toMatchObject({ value: 97, state: '未达标', score: 9.9 });
    const ht = (x: Result) => x.items.find((i) => i.indicatorId === 'hypertension-standard-management-rate')!;
    expect(ht(a!).value).not.toBeNull();
    expect(ht(a!).value).toBe(ht(b!).value);
    expect(ht(a!).note).toContain('全院数据');
    expect(a!.notes.join('')).toContain('按全院登记表数据计算（登记表不区分科室和人员）');
    // Both graded (nothing missing), ranked by total: 公卫办 has 2 + 0.1 points more.
    expect(a!.grade).not.toBe('暂不评定');
    expect(j.ranking.map((x) => x.village)).toEqual(['公卫办', '妇幼科']);
    expect(j.ranking[0]!.total - j.ranking[1]!.total).toBeCloseTo(2.1, 2);
  });

  it('without a value for one 对象 that 对象 is 暂不评定 with what is missing; --by unit scores the unit', () => {
    const partial = path.join(tmp, 'partial.csv');
    fs.writeFileSync(partial, fs.readFileSync(values, 'utf8').split('\n').filter((l) => !l.startsWith('家庭医生签约率,2025,妇幼科')).join('\n'));
    const j = JSON.parse(gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', partial, '-f', 'json').stdout) as { ranking: Array<{ village: string; rank: number | null; grade: string; missing: string[] }> };
    expect(j.ranking.find((x) => x.village === '妇幼科')).toMatchObject({ rank: null, grade: '暂不评定', missing: ['家庭医生签约率'] });
    expect(j.ranking.find((x) => x.village === '公卫办')!.rank).toBe(1);
    const unit = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '--by', 'unit', '-f', 'json');
    expect(unit.status, unit.stderr).toBe(0);
    expect(JSON.parse(unit.stdout).subject).toBeUndefined();
  });

  it('a name the plan does not list is an error with the listed names, nothing written', () => {
    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, '指标,期间,考核对象,数值,数据来源\n健康教育与资料管理,2025,公卫处,9分,检查\n');
    const out = path.join(tmp, 'never.json');
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', bad, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('VALUES_UNKNOWN_VILLAGE');
    expect(r.stderr).toContain('“考核/考核对象”中没有「公卫处」：是指「公卫办」吗？');
    expect(r.stderr).toContain('考核对象有：公卫办、妇幼科');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--by subject on a scheme that lists no one is refused in Chinese', () => {
    const r = gw('plan', 'assess', villageScheme, '--db', db, '--period', '2025', '--by', 'subject');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ASSESS_NO_SUBJECTS');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('xlsx: a ranking sheet headed 考核对象 and one sheet per 对象; the document names them and has a section each', async () => {
    const out = path.join(tmp, '考核.xlsx');
    expect(gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-o', out).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['排名', '公卫办', '妇幼科']);
    expect(wb.worksheets[0]!.getRow(1).getCell(2).value).toBe('考核对象');
    const md = path.join(tmp, 'a.md');
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-o', md);
    expect(r.status, r.stderr).toBe(0);
    const text = fs.readFileSync(md, 'utf8');
    expect(text).toContain('对公卫办、妇幼科进行绩效考核');
    expect(text).toContain('| 排名 | 考核对象 | 得分 | 等级 |');
    expect(text).toMatch(/## 二、各考核对象考核情况\n[\s\S]*### （一）公卫办\n[\s\S]*### （二）妇幼科\n/);
    expect(text).not.toContain('村卫生室绩效考核结果');
  });

  it('indicators values-template writes a row per 对象 for each 自定义 target and hand-scored item', () => {
    const out = path.join(tmp, '模板.csv');
    const r = gw('indicators', 'values-template', '--plan', plan, '-o', out);
    expect(r.status, r.stderr).toBe(0);
    const rows = fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 3).join(','));
    for (const who of ['公卫办', '妇幼科']) {
      expect(rows).toContain(`住院分娩率,2025,${who}`);
      expect(rows).toContain(`健康教育与资料管理,2025,${who}`);
    }
  });
});
