// plan assess through the real binary: a scheme that assesses 各村卫生室 scored per village with the values file,
// ranked, written as JSON, xlsx and a DOCX that LibreOffice opens; 暂不评定 while items are missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { VILLAGES } from '../render/fixture-db.js';
import { cliFixture, gw, plan, root, values } from '../render/cli-fixture.js';

const { tmp, db } = cliFixture('gw-assess-v-');
const SOFFICE = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();

interface Village { village: string; rank: number | null; total: number; grade: string; missing: string[] }

describe('plan assess of 各村卫生室', () => {
  it('JSON: one score per village from its own indicators and values, ranked; the village without a hand score is 暂不评定', () => {
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-f', 'json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.subject).toBe('各村卫生室');
    expect(j.villages.map((v: { subject: string }) => v.subject).sort()).toEqual([...VILLAGES].sort());
    const north = j.ranking.find((v: Village) => v.village === '北塘村');
    expect(north).toMatchObject({ rank: null, grade: '暂不评定', missing: ['健康教育与资料管理'] });
    const ranked = j.ranking.filter((v: Village) => v.rank !== null);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i].total).toBeLessThanOrEqual(ranked[i - 1].total);
    // Each village's hypertension item is scored from that village's own rate (the fixture differs by village).
    const ht = j.villages.map((v: { items: Array<{ indicatorId?: string; denominator: number }> }) => v.items.find((i) => i.indicatorId === 'hypertension-standard-management-rate')!.denominator);
    expect(new Set(ht).size).toBe(5);
    const east = j.villages.find((v: { subject: string }) => v.subject === '东溪村');
    const birth = east.items.find((i: { name: string }) => i.name === '住院分娩率');
    expect(birth).toMatchObject({ value: 96, state: '未达标', source: '县妇幼保健院2025年住院分娩统计' });
    expect(east.items.find((i: { name: string }) => i.name === '健康教育与资料管理')).toMatchObject({ state: '人工评分', score: 8 });
  });

  it('without the values file every village is 暂不评定, listing what is missing — never 不合格', () => {
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '-f', 'json');
    expect(r.status, r.stderr).toBe(0);
    for (const v of JSON.parse(r.stdout).ranking as Village[]) {
      expect(v.grade).toBe('暂不评定');
      expect(v.missing).toEqual(['住院分娩率', '家庭医生签约率', '健康教育与资料管理']);
    }
    const text = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--by', 'unit');
    expect(text.stdout).toMatch(/住院分娩率[^\n]*需人工填报/);
    expect(text.stdout).toContain('等级：暂不评定（待评：住院分娩率、家庭医生签约率、健康教育与资料管理）');
  });

  it('xlsx: a ranking sheet and one sheet per village', async () => {
    const out = path.join(tmp, '考核.xlsx');
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-o', out);
    expect(r.status, r.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['排名', ...JSON.parse(gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-f', 'json').stdout).ranking.map((v: Village) => v.village)]);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([, '排名', '村卫生室', '得分', '等级', '待评项目']);
    expect(typeof wb.worksheets[0]!.getCell('C2').value).toBe('number');
  });

  it('the document says 对各村卫生室进行绩效考核, has the summary table and a section per village; LibreOffice opens the DOCX', () => {
    const md = path.join(tmp, 'a.md');
    expect(gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-o', md).status).toBe(0);
    const text = fs.readFileSync(md, 'utf8');
    expect(text).toContain('对各村卫生室进行绩效考核');
    expect(text).not.toContain('对青石镇卫生院进行');
    expect(text).toMatch(/\| 排名 \| 村卫生室 \| 得分 \| 等级 \|/);
    for (const v of VILLAGES) expect(text).toMatch(new RegExp(`### （[一二三四五]）${v}`));
    expect(text).toContain('北塘村尚有项目未评分或未填报数值，暂不评定等级');
    const docx = path.join(tmp, 'a.docx');
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', values, '-o', docx);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(docx).subarray(0, 2).toString()).toBe('PK');
    if (!SOFFICE) return console.warn('[assess-villages] soffice not on PATH: DOCX not opened');
    const dir = fs.mkdtempSync(path.join(tmp, 'lo-'));
    const c = spawnSync(SOFFICE, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'txt:Text', '--outdir', dir, docx], { encoding: 'utf8', timeout: 170_000 });
    expect(c.status, c.stderr).toBe(0);
    const txt = fs.readFileSync(path.join(dir, 'a.txt'), 'utf8');
    expect(txt).toContain('对各村卫生室进行绩效考核');
    for (const v of VILLAGES) expect(txt).toContain(v);
  }, 200_000);

  it('the unit scheme still says 对青石镇卫生院; a bad values file writes no document', () => {
    const unitPlan = path.join(root, 'examples', 'qingshi-2025-assessment.yaml');
    const md = path.join(tmp, 'u.md');
    expect(gw('plan', 'assess', unitPlan, '--db', db, '--period', '2025', '-o', md).status).toBe(0);
    expect(fs.readFileSync(md, 'utf8')).toContain('对青石镇卫生院进行绩效考核');
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, '- {指标: 健康教育与资料管理, 期间: 2025, 村: 青石村, 数值: 15}\n');
    const out = path.join(tmp, 'never.docx');
    const r = gw('plan', 'assess', plan, '--db', db, '--period', '2025', '--values', bad, '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[VALUES_RANGE]');
    expect(r.stderr).toContain('[VALUES_NO_SOURCE]');
    expect(fs.existsSync(out)).toBe(false);
  });
});
