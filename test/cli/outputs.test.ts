// Outputs never destroy inputs: -o that is an input or the database is refused, files are written whole
// (temporary file + rename), files with personal data are 0600, - is standard input / standard output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/files.js';
import { bin, gongwei, root, tempDir } from '../plan/helpers.js';

const plan = path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml');
const scheme = path.join(root, 'examples', 'qingshi-2025-assessment.yaml');
const diabetes = path.join(root, 'examples', 'registers', '2型糖尿病患者管理名册.xlsx');
const bad = path.join(root, 'examples', 'registers', 'bad', '高血压患者管理名册（有错误）.csv');
const mode = (f: string) => fs.statSync(f).mode & 0o777;

/** Run the binary with bytes on standard input. */
function withStdin(args: string[], input: string | Buffer, cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

let dir: string;
let db: string;
beforeAll(() => {
  dir = tempDir('gw-out-');
  db = path.join(dir, 'data.sqlite');
  const r = gongwei(['registers', 'import', diabetes, bad, '--db', db]);
  expect(r.code, r.stderr).toBe(1); // the bad file has rejected rows
});

describe('an output that is an input or the database is refused (exit 2), and the file stays as it was', () => {
  const copy = () => {
    const p = path.join(dir, `plan-${Math.random().toString(36).slice(2)}.yaml`);
    fs.copyFileSync(plan, p);
    return p;
  };
  it.each([
    ['plan render', (p: string) => ['plan', 'render', p, '-f', 'md', '-o', p]],
    ['plan render --summary', (p: string) => ['plan', 'render', p, '--summary', '--db', db, '-f', 'md', '-o', p]],
    ['plan validate', (p: string) => ['plan', 'validate', p, '-o', p]],
    ['plan import', (p: string) => ['plan', 'import', p, '-o', p, '--force']],
    ['indicators compute --plan', (p: string) => ['indicators', 'compute', '--db', db, '--period', '2025', '--plan', p, '-f', 'csv', '-o', p]],
  ])('%s -o <the plan>: OUTPUT_IS_INPUT', (_name, args) => {
    const p = copy();
    const before = fs.readFileSync(p);
    const r = gongwei(args(p));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[OUTPUT_IS_INPUT\]：输出文件就是输入文件/);
    expect(fs.readFileSync(p).equals(before)).toBe(true);
  });

  it('the same file by a symlink or a hard link is the same file', () => {
    const p = copy();
    const sym = path.join(dir, 'sym.md');
    const hard = path.join(dir, 'hard.md');
    fs.symlinkSync(p, sym);
    fs.linkSync(p, hard);
    for (const o of [sym, hard]) {
      const r = gongwei(['plan', 'render', p, '-f', 'md', '-o', o]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[OUTPUT_IS_INPUT]');
    }
    expect(fs.readFileSync(p, 'utf8')).toBe(fs.readFileSync(plan, 'utf8'));
  });

  it.each([
    ['indicators compute', ['indicators', 'compute', '--period', '2025', '-f', 'csv']],
    ['indicators gaps', ['indicators', 'gaps', '糖尿病患者规范管理率', '--period', '2025', '-f', 'csv']],
    ['registers rejects', ['registers', 'rejects', '-f', 'csv']],
    ['plan assess', ['plan', 'assess', scheme, '--period', '2025', '-f', 'json']],
    ['plan render --summary', ['plan', 'render', plan, '--summary', '-f', 'md']],
  ])('%s -o <the database>: OUTPUT_IS_DATABASE, the database still opens', (_name, args) => {
    const before = fs.readFileSync(db);
    const r = gongwei([...args, '--db', db, '-o', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[OUTPUT_IS_DATABASE\]/);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '-f', 'json']).code).toBe(0);
  });

  it('plan schema -o <the shipped schema> and registers import of the database itself are refused', () => {
    const schema = path.join(root, 'schemas', 'plan.schema.json');
    const before = fs.readFileSync(schema);
    expect(gongwei(['plan', 'schema', '-o', schema]).stderr).toContain('[OUTPUT_IS_INPUT]');
    expect(fs.readFileSync(schema).equals(before)).toBe(true);
    const r = gongwei(['registers', 'import', db, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[OUTPUT_IS_INPUT]');
  });
});

describe('files are written whole', () => {
  it('a write that fails leaves the old file whole and no temporary file behind', () => {
    const d = tempDir('gw-atomic-');
    const f = path.join(d, 'report.txt');
    fs.writeFileSync(f, 'old report\n');
    // Data that cannot be written: the failure comes after the temporary file was opened.
    expect(() => writeFileAtomic(f, { not: 'bytes' } as unknown as string)).toThrow();
    expect(fs.readFileSync(f, 'utf8')).toBe('old report\n');
    expect(fs.readdirSync(d)).toEqual(['report.txt']);
  });
  it('an existing file keeps its mode; a symlinked output is written through and the link stays', () => {
    const d = tempDir('gw-atomic-');
    const real = path.join(d, 'real.md');
    fs.writeFileSync(real, 'x');
    fs.chmodSync(real, 0o640);
    const link = path.join(d, 'link.md');
    fs.symlinkSync(real, link);
    const r = gongwei(['plan', 'render', plan, '-f', 'md', '-o', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toMatch(/^# 青石镇卫生院2025年工作计划/);
    expect(mode(real)).toBe(0o640);
    expect(fs.readdirSync(d).sort()).toEqual(['link.md', 'real.md']);
  });
});

describe('files with personal data are readable by their owner only (0600)', () => {
  it('the database an import creates, with its -wal/-shm', () => {
    expect(mode(db)).toBe(0o600);
    for (const side of ['-wal', '-shm']) if (fs.existsSync(db + side)) expect(mode(db + side)).toBe(0o600);
  });
  it.each([
    ['indicators gaps', 'gaps.csv', ['indicators', 'gaps', '糖尿病患者规范管理率', '--period', '2025']],
    ['indicators gaps (xlsx)', 'gaps.xlsx', ['indicators', 'gaps', '糖尿病患者规范管理率', '--period', '2025']],
    ['registers rejects', 'rejects.xlsx', ['registers', 'rejects']],
    ['registers rejects (csv)', 'rejects.csv', ['registers', 'rejects']],
  ])('%s -o %s', (_n, name, args) => {
    const out = path.join(dir, name);
    const r = gongwei([...args, '--db', db, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(mode(out)).toBe(0o600);
  });
  it('an existing wider file becomes 0600 when a gap list is written over it', () => {
    const out = path.join(dir, 'wide.csv');
    fs.writeFileSync(out, 'old');
    fs.chmodSync(out, 0o644);
    expect(gongwei(['indicators', 'gaps', '糖尿病患者规范管理率', '--period', '2025', '--db', db, '-o', out]).code).toBe(0);
    expect(mode(out)).toBe(0o600);
  });
  it('a document without personal data keeps the usual permissions', () => {
    const out = path.join(dir, 'plan.md');
    expect(gongwei(['plan', 'render', plan, '-f', 'md', '-o', out]).code).toBe(0);
    expect(mode(out)).toBe(0o666 & ~process.umask());
  });
});

describe('- is standard input for plans and standard output for -o', () => {
  const text = fs.readFileSync(plan);
  it('plan validate -: reads the plan from standard input', () => {
    const ok = withStdin(['plan', 'validate', '-'], text);
    expect(ok.code, ok.stderr).toBe(0);
    const broken = withStdin(['plan', 'validate', '-', '-f', 'json'], Buffer.from('文档类型: 年度工作计划\n单位: 某卫生院\n年度: 二〇二五\n'));
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout.toString()).files[0].issues.some((i: { line: number }) => i.line === 3)).toBe(true);
    // Standard input has no file name: the text report and a refused render say so instead of printing "-".
    const bad = Buffer.from('文档类型: 年度工作计划\n单位: 某卫生院\n年度: 二〇二五\n');
    expect(withStdin(['plan', 'validate', '-'], bad).stdout.toString()).toMatch(/^（标准输入）\n  3:5 /);
    const render = withStdin(['plan', 'render', '-', '-f', 'md'], bad);
    expect(render.code).toBe(1);
    expect(render.stderr.toString()).toMatch(/^（标准输入）:3:5 错误 \[PLAN_SCHEMA_TYPE\]/m);
  });
  it('plan render - writes the document to standard output (no file named -)', () => {
    const d = tempDir('gw-stdin-');
    const r = withStdin(['plan', 'render', '-', '-f', 'md'], text, d);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toMatch(/^# 青石镇卫生院2025年工作计划/);
    expect(fs.readdirSync(d)).toEqual([]);
  });
  it('plan import - reads a text plan from standard input', () => {
    const r = withStdin(['plan', 'import', '-'], '青石镇卫生院2025年工作计划\n一、指导思想\n以人民健康为中心。\n二、重点工作\n（一）预防接种\n适龄儿童免疫规划疫苗接种率达到90%以上。\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toContain('文档类型: 年度工作计划');
  });
  it('-o - writes to standard output: text, and xlsx bytes to a pipe', () => {
    const d = tempDir('gw-stdout-');
    const md = gongwei(['plan', 'render', plan, '-f', 'md', '-o', '-'], { cwd: d });
    expect(md.stdout).toMatch(/^# 青石镇卫生院/);
    const x = spawnSync(process.execPath, [bin, 'indicators', 'compute', '--db', db, '--period', '2025', '-f', 'xlsx', '-o', '-'], { cwd: d });
    expect(x.status).toBe(0);
    expect(x.stdout.subarray(0, 2).toString()).toBe('PK');
    expect(fs.readdirSync(d)).toEqual([]);
  });
  it('binary formats are not written to a terminal', () => {
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${bin}" plan render "${plan}" -f docx -o -`, '/dev/null'], { encoding: 'utf8' });
    expect(r.stdout).toContain('[OUTPUT_BINARY_TO_TERMINAL]');
    expect(r.stdout).toContain('docx 是二进制格式，不能显示在终端上');
    expect(r.status).toBe(2);
  });
});
