// End to end through the real binary: plan render (docx/html/md), --summary against indicators compute, plan assess, bad input.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDb } from './fixture-db.js';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'gongwei.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-render-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function gw(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Example plans by 文档类型. */
function examples(kind: string): string[] {
  const dir = path.join(root, 'examples');
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f)).filter((f) => new RegExp(`^文档类型\\s*:\\s*${kind}`, 'm').test(fs.readFileSync(f, 'utf8'))).sort();
}
const annual = () => examples('年度工作计划')[0]!;
const db = path.join(tmp, 'ex.sqlite');

/** Table rows of a Markdown document: arrays of trimmed cells. */
function tableRows(md: string): string[][] {
  return md.split('\n').filter((l) => /^\s*\|.*\|\s*$/.test(l) && !/^\s*\|[\s:|-]+\|\s*$/.test(l)).map((l) => l.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\(.)/g, '$1')));
}

beforeAll(() => buildFixtureDb(db));

describe('plan render', () => {
  it.each(['docx', 'html', 'md'])('renders every example plan to %s', (format) => {
    for (const kind of ['年度工作计划', '实施方案', '考核方案']) {
      for (const f of examples(kind)) {
        const out = path.join(tmp, 'plans', `${path.basename(f)}.${format}`);
        const r = gw('plan', 'render', f, '--format', format, '-o', out);
        expect(r.code, r.stderr).toBe(0);
        const buf = fs.readFileSync(out);
        if (format === 'docx') expect(buf.subarray(0, 2).toString()).toBe('PK');
        else expect(buf.toString('utf8')).toMatch(/工作|方案|计划/);
      }
    }
  });

  it('creates a missing output directory', () => {
    const out = path.join(tmp, 'new', 'deeper', 'plan.html');
    const r = gw('plan', 'render', annual(), '--format', 'html', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
  });

  it('refuses an output path that is a directory', () => {
    const r = gw('plan', 'render', annual(), '--format', 'html', '-o', tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OUTPUT_IS_DIRECTORY');
  });

  it('a missing plan file is a clear error', () => {
    const r = gw('plan', 'render', path.join(tmp, 'nope.yaml'), '-o', path.join(tmp, 'x.docx'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('a user template with a syntax error reports file:line and exit 2', () => {
    const dir = path.join(tmp, 'tpl-bad');
    expect(gw('plan', 'templates', 'export', dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'annual-plan.hbs'), '{{> header}}\n{{#if x}}\n{{/each}}\n');
    const r = gw('plan', 'render', annual(), '--templates', dir, '-o', path.join(tmp, 'bad.md'), '--format', 'md');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('RENDER_TEMPLATE_SYNTAX');
    expect(r.stderr).toContain(`${path.join(dir, 'annual-plan.hbs')}:2`);
  });

  it('a user template reaching for the prototype is refused', () => {
    const dir = path.join(tmp, 'tpl-unsafe');
    expect(gw('plan', 'templates', 'export', dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'annual-plan.hbs'), '{{constructor.constructor "return process"}}\n');
    const r = gw('plan', 'render', annual(), '--templates', dir, '-o', path.join(tmp, 'unsafe.md'), '--format', 'md');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('RENDER_TEMPLATE_UNSAFE');
    expect(fs.existsSync(path.join(tmp, 'unsafe.md'))).toBe(false);
  });

  it('edited templates are used', () => {
    const dir = path.join(tmp, 'tpl-edit');
    expect(gw('plan', 'templates', 'export', dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'partials', 'signature.hbs'), '自定义落款{{unit}}\n');
    const out = path.join(tmp, 'edited.md');
    expect(gw('plan', 'render', annual(), '--templates', dir, '--format', 'md', '-o', out).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('自定义落款');
  });
});

describe('plan text is escaped, never executed', () => {
  it('keeps <script> and {{ as text in HTML and DOCX', () => {
    const src = fs.readFileSync(annual(), 'utf8');
    const evil = '<script>alert(1)</script>{{constructor.constructor}}{{unit}}';
    const text = src.replace(/^前言:\n/m, `前言:\n  - "${evil.replace(/"/g, '\\"')}"\n`);
    expect(text).toContain('<script>alert(1)</script>');
    const plan = path.join(tmp, 'evil.yaml');
    fs.writeFileSync(plan, text);
    const html = path.join(tmp, 'evil.html');
    const r = gw('plan', 'render', plan, '--format', 'html', '-o', html);
    expect(r.code, r.stderr).toBe(0);
    const out = fs.readFileSync(html, 'utf8');
    expect(out).not.toContain('<script>alert');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('{{constructor.constructor}}{{unit}}');
  });
});

describe('summary', () => {
  it('numbers equal `gongwei indicators compute` for the same period', () => {
    const json = execFileSync(process.execPath, [bin, 'indicators', 'compute', '--db', db, '--period', '2025', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const parsed = JSON.parse(json);
    const results: Array<{ id: string; name: string; group: string | null; numerator: number | null; denominator: number | null }> = Array.isArray(parsed) ? parsed : parsed.results;
    const out = path.join(tmp, 'summary.md');
    const r = gw('plan', 'render', annual(), '--summary', '--db', db, '--period', '2025', '--format', 'md', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(fs.readFileSync(out, 'utf8'));
    const byName = new Map(rows.filter((c) => c.length === 5).map((c) => [c[0], c]));
    let compared = 0;
    for (const res of results.filter((x) => x.group === null || x.group === undefined)) {
      const row = byName.get(res.name);
      if (!row) continue;
      compared++;
      expect(row[1], res.id).toBe(res.numerator === null ? '—' : String(res.numerator));
      if (res.denominator !== null && row[2] !== '—') expect(row[2], res.id).toBe(String(res.denominator));
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('renders DOCX and HTML with a chart and village tables', () => {
    const html = path.join(tmp, 'summary.html');
    expect(gw('plan', 'render', annual(), '--summary', '--db', db, '--period', '2025', '--format', 'html', '-o', html).code).toBe(0);
    const h = fs.readFileSync(html, 'utf8');
    expect(h).toContain('<svg');
    expect(h).toContain('合计');
    const docx = path.join(tmp, 'summary.docx');
    expect(gw('plan', 'render', annual(), '--summary', '--db', db, '--period', '2025', '--format', 'docx', '-o', docx).code).toBe(0);
    expect(fs.readFileSync(docx).subarray(0, 2).toString()).toBe('PK');
  });

  it('a missing database: the summary says so instead of failing', () => {
    const out = path.join(tmp, 'nodb.md');
    const r = gw('plan', 'render', annual(), '--summary', '--db', path.join(tmp, 'missing.sqlite'), '--period', '2025', '--format', 'md', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('未找到登记表数据库');
    expect(fs.readFileSync(out, 'utf8')).not.toContain('missing.sqlite');
    // The command line still says where it looked.
    expect(r.stderr).toContain('missing.sqlite');
  });

  it('a period with no data: the summary says so', () => {
    const out = path.join(tmp, 'nodata.md');
    const r = gw('plan', 'render', annual(), '--summary', '--db', db, '--period', '2019', '--format', 'md', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toContain('无数据');
    expect(md).not.toMatch(/\|\s*\d+(\.\d+)?%\s*\|/);
    expect(r.stderr).toContain('PERIOD_OUTSIDE_PLAN_YEAR');
  });

  it('a period inside the plan year gives no period warning', () => {
    const r = gw('plan', 'render', annual(), '--summary', '--db', db, '--period', '2025Q3', '--format', 'md', '-o', path.join(tmp, 'q3.md'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('PERIOD_OUTSIDE_PLAN_YEAR');
  });
});

describe('plan assess as a document', () => {
  it('renders the assessment to DOCX', () => {
    const out = path.join(tmp, 'assess.docx');
    const r = gw('plan', 'assess', examples('考核方案')[0]!, '--db', db, '--period', '2025', '--format', 'docx', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });

  it('warns when the period is not in the plan year', () => {
    const r = gw('plan', 'assess', examples('考核方案')[0]!, '--db', db, '--period', '2024', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('PERIOD_OUTSIDE_PLAN_YEAR');
  });
});
