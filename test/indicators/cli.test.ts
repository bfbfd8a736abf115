// indicators compute / list / explain / gaps through the real binary on the imported example registers.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from '../plan/helpers.js';

let db = '';
const plan = 'examples/qingshi-2025-annual-plan.yaml';

beforeAll(() => {
  db = path.join(tempDir('gw-ind-cli-'), 'examples.sqlite');
  const files = readdirRegisters();
  const r = gongwei(['registers', 'import', ...files, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
});

function readdirRegisters(): string[] {
  const dir = path.join(root, 'examples/registers');
  return readdirSync(dir).filter((f) => /\.(xlsx|csv)$/.test(f)).map((f) => path.join(dir, f));
}

describe('indicators compute on the examples', () => {
  it('text with --plan: every indicator with targets and statuses', () => {
    const r = gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('高血压患者规范管理率');
    expect(r.stdout).toMatch(/不低于65%\s*│\s*(达标|未达标)/);
    expect(r.stdout).toContain('乙肝疫苗第3剂接种率');
  });
  it('json: stable shape; targets from the plan; statuses consistent with values', () => {
    const r = gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '-f', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.period).toEqual({ label: '2025', start: '2025-01-01', end: '2025-12-31' });
    const byId = new Map(j.results.map((x: { id: string }) => [x.id, x]));
    const htn = byId.get('hypertension-standard-management-rate') as { numerator: number; denominator: number; value: number; status: string; gap: number; target: { value: number } };
    expect(htn.value).toBeCloseTo((htn.numerator / htn.denominator) * 100, 10);
    expect(htn.target.value).toBe(65);
    expect(htn.status).toBe(htn.value >= 65 ? '达标' : '未达标');
    expect(htn.gap).toBe(htn.value >= 65 ? 0 : Math.ceil(0.65 * htn.denominator - htn.numerator));
    expect(j.results.every((x: { status: string }) => ['达标', '未达标', '无目标', '无数据'].includes(x.status))).toBe(true);
    expect(j.notes.map((n: { code: string }) => n.code)).toContain('DQ_UNKNOWN_VACCINE');
  });
  it('--by village: whole unit first, then one block per village; village numerators add up to the total', () => {
    const j = JSON.parse(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '--by', 'village', '--only', 'hypertension-managed', '-f', 'json']).stdout);
    const [total, ...villages] = j.results;
    expect(total.group).toBeNull();
    expect(villages.map((v: { group: string }) => v.group)).toEqual(expect.arrayContaining(['青石村', '东溪村', '南岭村', '西坪村', '北塘村']));
    expect(villages.reduce((s: number, v: { numerator: number }) => s + v.numerator, 0)).toBe(total.numerator);
  });
  it('monthly and quarterly periods run', () => {
    for (const p of ['2025Q2', '2025-03', '2025-01..2025-06']) expect(gongwei(['indicators', 'compute', '--db', db, '--period', p, '-f', 'json']).code).toBe(0);
  });
  it('csv has a BOM and one row per result', () => {
    const d = tempDir();
    const out = path.join(d, 'r.csv');
    expect(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '-f', 'csv', '-o', out]).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toContain('指标编号');
  });
  it('xlsx: numbers as numbers, percent format, frozen header, a sheet per village, unmet targets highlighted; opens in LibreOffice when present', async () => {
    const d = tempDir();
    const out = path.join(d, 'r.xlsx');
    expect(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--by', 'village', '-f', 'xlsx', '-o', out]).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['全部', '青石村', '北塘村']));
    const ws = wb.getWorksheet('全部')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    let found = false;
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(2).value === 'hypertension-standard-management-rate') {
        found = true;
        expect(typeof row.getCell(5).value).toBe('number');
        expect(row.getCell(5).numFmt).toBe('0.0%');
        if (row.getCell(8).value === '未达标') expect((row.getCell(1).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFE0E0');
      }
    });
    expect(found).toBe(true);
    // LibreOffice Calc (libreoffice-calc-nogui) may be missing on CI: the structural checks above always run.
    const soffice = existsSync('/usr/lib/libreoffice/program/libsclo.so') ? spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim() : '';
    if (soffice) {
      const conv = spawnSync(soffice, [`-env:UserInstallation=file://${d}/lo-profile`, '--headless', '--convert-to', 'csv', '--outdir', d, out], { encoding: 'utf8', timeout: 120_000 });
      expect(conv.status).toBe(0);
      expect(existsSync(path.join(d, 'r.csv'))).toBe(true);
    }
  });
  it('bad input: missing db, bad period, unknown indicator, xlsx without -o → Chinese errors, exit 2', () => {
    expect(gongwei(['indicators', 'compute', '--db', '/nope.sqlite', '--period', '2025']).stderr).toMatch(/^错误 \[DB_NOT_FOUND\]/);
    expect(gongwei(['indicators', 'compute', '--db', db, '--period', '2025Q9']).stderr).toMatch(/^错误 \[PERIOD_INVALID\]/);
    const u = gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '--only', '高血压规范率']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('是否要找：高血压患者规范管理率');
    expect(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '-f', 'xlsx']).stderr).toContain('[OUTPUT_REQUIRED]');
  });
});

describe('indicators list, explain, gaps', () => {
  it('list names every indicator of indicators.md and every schedule dose', () => {
    const j = JSON.parse(gongwei(['indicators', 'list', '-f', 'json']).stdout);
    const ids = j.map((d: { id: string }) => d.id);
    for (const id of ['health-record-rate', 'vaccination-certificate-rate', 'coverage.HepB.3', 'timely-coverage.MMR.1', 'dtap-dropout-rate', 'smi-stable-rate', 'health-education-materials']) expect(ids).toContain(id);
  });
  it('explain by Chinese alias shows definition, numerator, denominator, source and how it is computed', () => {
    const r = gongwei(['indicators', 'explain', '高血压规范化管理率']);
    expect(r.code).toBe(0);
    for (const w of ['定义：', '分子：', '分母：', '来源：', "符合条件 coalesce(f.method, '') <> '电话' 的随访（hypertension_followups）次数 ≥ 应随访次数 q"]) expect(r.stdout).toContain(w);
    const sql = gongwei(['indicators', 'explain', '早孕建册率']);
    expect(sql.stdout).toContain('SELECT');
    const records = gongwei(['indicators', 'explain', '健康档案使用率']);
    expect(records.stdout).toContain('last_service_date 在统计期间内');
  });
  it('gaps: masked on screen, full names in the xlsx, sorted by village then doctor', async () => {
    const screen = gongwei(['indicators', 'gaps', '高血压患者规范管理率', '--db', db, '--period', '2025']);
    expect(screen.code).toBe(0);
    expect(screen.stdout).toMatch(/│ [\u4e00-\u9fff]\*[\u4e00-\u9fff]* *│ 随访不足/);
    const d = tempDir();
    const out = path.join(d, 'g.xlsx');
    expect(gongwei(['indicators', 'gaps', 'coverage-0y', '--db', db, '--period', '2025', '-o', out]).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((row, n) => n > 2 && rows.push((row.values as string[]).slice(1)));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => !String(r[3]).includes('*'))).toBe(true);
    const villages = rows.map((r) => r[0]!);
    expect([...villages].sort((a, b) => a.localeCompare(b, 'zh-CN'))).toEqual(villages);
  });
  it('gaps: for every rate with a list, the list holds exactly denominator − numerator rows; others say why there is none', () => {
    const results = JSON.parse(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '-f', 'json']).stdout).results as { id: string; group: string | null; kind: string; numerator: number; denominator: number }[];
    const d = tempDir();
    const listed: string[] = [];
    for (const r of results.filter((x) => x.group === null && x.kind === 'rate' && x.id !== 'dtap-dropout-rate')) {
      const out = path.join(d, `${r.id}.csv`);
      const g = gongwei(['indicators', 'gaps', r.id, '--db', db, '--period', '2025', '-o', out]);
      if (g.code !== 0) {
        expect(g.stderr, r.id).toMatch(/INDICATOR_NO_GAPS.*(人口基础数据|计数指标)/);
        continue;
      }
      const lines = readFileSync(out, 'utf8').trim().split(/\r\n/).length - 1;
      expect(lines, r.id).toBe(r.denominator - r.numerator);
      listed.push(r.id);
    }
    for (const id of ['health-record-usage-rate', 'infectious-report-timeliness-rate', 'infectious-report-rate', 'hypertension-control-rate', 'coverage-0y', 'timely-coverage.HepB.1']) expect(listed).toContain(id);
  }, 300_000); // some thirty runs of the binary: minutes on a loaded machine
  it('gaps of report cards count 例 and have no name column filled', () => {
    const r = gongwei(['indicators', 'gaps', '传染病疫情报告及时率', '--db', db, '--period', '2025']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/未达标 \d+ 例/);
    const out = path.join(tempDir(), 'cards.csv');
    expect(gongwei(['indicators', 'gaps', '传染病疫情报告及时率', '--db', db, '--period', '2025', '-o', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/报告不及时,.+相隔[\d.]+小时（时限(2|24)小时）/);
    expect(r.stdout).not.toMatch(/│ \* +│/);
    const j = JSON.parse(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '--plan', plan, '--only', '传染病疫情报告及时率,健康知识讲座次数', '-f', 'json']).stdout);
    expect(j.results.map((x: { gapUnit: string }) => x.gapUnit)).toEqual(['例', '次']);
  });
});

describe('two threads', () => {
  it('the helper-thread path gives exactly the single-thread results (year by village, then a month on the same process)', () => {
    const args = ['indicators', 'compute', '--db', db, '--period', '2025', '--by', 'village', '--plan', plan, '-f', 'json'];
    const one = gongwei(args, { env: { GONGWEI_THREADS: '1' } });
    const two = gongwei(args, { env: { GONGWEI_PARALLEL_MIN_ROWS: '1' } });
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    const m1 = gongwei(['indicators', 'compute', '--db', db, '--period', '2025-03', '-f', 'json'], { env: { GONGWEI_THREADS: '1' } });
    const m2 = gongwei(['indicators', 'compute', '--db', db, '--period', '2025-03', '-f', 'json'], { env: { GONGWEI_PARALLEL_MIN_ROWS: '1' } });
    expect(JSON.parse(m2.stdout)).toEqual(JSON.parse(m1.stdout));
  });

  it('the data-quality notes come back whichever thread scanned them', () => {
    // A village without population data and a patient ended without an end date: two scan notes.
    const copy = path.join(tempDir('gw-ind-notes-'), 'notes.sqlite');
    copyFileSync(db, copy);
    const d = new Sqlite(copy);
    d.prepare("INSERT INTO residents (record_id, village, created_date, status) VALUES ('R-新村-1', '新村', '2025-02-01', '正常')").run();
    d.prepare("INSERT INTO hypertension_patients (patient_id, village, enrolled_date, status) VALUES ('H-失访-1', '青石村', '2024-01-01', '失访')").run();
    d.close();
    const args = ['indicators', 'compute', '--db', copy, '--period', '2025', '--by', 'village', '-f', 'json'];
    const one = gongwei(args, { env: { GONGWEI_THREADS: '1' } });
    const two = gongwei(args, { env: { GONGWEI_PARALLEL_MIN_ROWS: '1' } });
    expect(two.code, two.stderr).toBe(0);
    const codes = (JSON.parse(two.stdout) as { notes: { code: string }[] }).notes.map((n) => n.code);
    expect(codes).toEqual(expect.arrayContaining(['DQ_VILLAGE_NOT_IN_POPULATION', 'DQ_STATUS_NO_END_DATE']));
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });
});
