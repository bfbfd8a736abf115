// validate reporters (json, github, junit) and the examples, init and schema commands through the real binary.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from './helpers.js';

describe('plan validate on the examples and its formats', () => {
  it('examples/ validates clean: exit 0 (and the register data beside the plans is ignored)', () => {
    const r = gongwei(['plan', 'validate', 'examples/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ 5 个计划文件全部通过校验/);
  });
  it('json: stable shape with summary', () => {
    const r = gongwei(['plan', 'validate', '-f', 'json', 'test/fixtures/plan/invalid/placeholder.yaml', 'examples/qingshi-2025-assessment.yaml']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.summary).toEqual({ files: 2, errors: 1, warnings: 0 });
    expect(j.files[0]).toMatchObject({ file: 'test/fixtures/plan/invalid/placeholder.yaml', valid: false });
    expect(j.files[0].issues[0]).toMatchObject({ code: 'PLAN_PLACEHOLDER', severity: 'error', line: 5, col: 5 });
    expect(j.files[1]).toMatchObject({ kind: '考核方案', valid: true, issues: [] });
  });
  it('junit: one testcase per file, failures for errors', () => {
    const r = gongwei(['plan', 'validate', '-f', 'junit', 'test/fixtures/plan/invalid/numbering.yaml', 'examples/qingshi-2025-assessment.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<testsuite name="plan validate" tests="2" failures="1"');
    expect(r.stdout).toContain('PLAN_MANUAL_NUMBERING');
    expect(r.stdout.match(/<testcase /g)).toHaveLength(2);
  });
  it('junit is well-formed XML and text shows no raw control characters, even when the file has them', async () => {
    const { SaxesParser } = await import('saxes');
    const d = tempDir();
    const dir = path.join(d, 'a&<b');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'p&q.yaml'), '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n"a\\x01<&>\\x1b[31mb": 1\n前言: "含 ]]> 与 \\x07 的 20xx 年"\n');
    const junit = gongwei(['plan', 'validate', '-f', 'junit', dir]);
    expect(junit.code).toBe(1);
    const parser = new SaxesParser();
    let failures = 0;
    parser.on('opentag', (t) => { if (t.name === 'failure') failures++; });
    parser.write(junit.stdout).close();
    expect(failures).toBe(1);
    expect(junit.stdout).toContain('PLAN_SCHEMA_UNKNOWN_KEY');
    const text = gongwei(['plan', 'validate', dir]);
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text.stdout).toContain('\\u001b');
  });
  it('github: one annotation per issue with file, line and col; messages escaped', () => {
    const r = gongwei(['plan', 'validate', '-f', 'github', 'test/fixtures/plan/invalid/target-range.yaml', 'examples/qingshi-2025-assessment.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^::error file=test\/fixtures\/plan\/invalid\/target-range\.yaml,line=7,col=28,title=PLAN_TARGET_RANGE::「高血压患者规范管理率」的目标 165%25 超出/)]);
  });
  it('text: colour only on a TTY; NO_COLOR and a pipe give plain text', () => {
    const piped = gongwei(['plan', 'validate', 'test/fixtures/plan/invalid/placeholder.yaml'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(piped.stdout).not.toMatch(/\u001b\[/);
  });
  it('colour decision: a TTY colours unless NO_COLOR is non-empty (an empty NO_COLOR is unset, no-color.org) or TERM=dumb', async () => {
    const { useColour } = await import('../../src/cli/output.js');
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const saved = { NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM };
    try {
      process.env.TERM = 'xterm';
      delete process.env.NO_COLOR;
      expect(useColour(tty)).toBe(true);
      process.env.NO_COLOR = '';
      expect(useColour(tty)).toBe(true);
      process.env.NO_COLOR = '1';
      expect(useColour(tty)).toBe(false);
      delete process.env.NO_COLOR;
      expect(useColour({ isTTY: false } as NodeJS.WriteStream)).toBe(false);
      process.env.TERM = 'dumb';
      expect(useColour(tty)).toBe(false);
    } finally {
      for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    }
  });
  it('usage errors in Chinese: a value outside the choices names the option and the choices', () => {
    const r = gongwei(['plan', 'validate', '-f', 'xml', 'examples']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误 [USAGE]：选项 --format 的取值「xml」无效，可选：text、json、github、junit');
    expect(r.stderr).not.toMatch(/Allowed|invalid/);
  });
  it('help: choices and defaults in Chinese, descriptions aligned by display width, ends with a newline', () => {
    const r = gongwei(['registers', 'import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('（可选：text、json；默认：text）');
    expect(r.stdout).not.toMatch(/default|choices/);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const width = (s: string) => [...s].reduce((n, c) => n + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(c) ? 2 : 1), 0);
    const cols = r.stdout.split('\n').filter((l) => /^  -/.test(l)).map((l) => width(/^  \S.*?\S  +(?=\S)/.exec(l)![0]));
    expect(new Set(cols).size).toBe(1);
  });
  it('-o writes the report to a file; --strict turns warnings into exit 1; -q hides warnings', () => {
    const d = tempDir();
    const plan = path.join(d, 'p.yaml');
    // A warning only: 责任科室 not declared.
    const text = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n部门: [公卫办]\n重点工作:\n  - 标题: 慢病管理\n    任务:\n      - {内容: 季度随访, 责任科室: 慢病科}\n';
    writeFileSync(plan, text);
    const out = path.join(d, 'r.json');
    expect(gongwei(['plan', 'validate', plan, '-f', 'json', '-o', out]).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).files[0].issues[0]).toMatchObject({ code: 'PLAN_DEPARTMENT_UNKNOWN', severity: 'warning', line: 8, col: 26 });
    expect(gongwei(['plan', 'validate', plan, '--strict']).code).toBe(1);
    expect(gongwei(['plan', 'validate', plan, '-q']).stdout).not.toContain('PLAN_DEPARTMENT_UNKNOWN');
    // -q hides warnings from the report, not from --strict; the summary says some were hidden.
    const both = gongwei(['plan', 'validate', plan, '-q', '--strict']);
    expect(both.code).toBe(1);
    expect(both.stdout).toContain('另有 1 个警告未显示');
    expect(gongwei(['plan', 'validate', plan, '-q']).stdout).not.toContain('全部通过校验');
  });
});

describe('plan init and plan schema', () => {
  it('init --schema writes the given path into the modeline', () => {
    const d = tempDir();
    const f = path.join(d, 'plans', 'p.yaml');
    mkdirSync(path.dirname(f), { recursive: true });
    expect(gongwei(['plan', 'init', f, '--unit', '青石镇卫生院', '--year', '2026', '--schema', '../plan.schema.json']).code).toBe(0);
    expect(readFileSync(f, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../plan.schema.json');
    expect(gongwei(['plan', 'validate', f]).code).toBe(0);
  });
  for (const kind of ['年度工作计划', '实施方案', '考核方案']) {
    it(`init --kind ${kind} writes a plan with the modeline that validates clean`, () => {
      const d = tempDir();
      const f = path.join(d, 'plan.yaml');
      expect(gongwei(['plan', 'init', f, '--kind', kind, '--unit', '东溪乡卫生院', '--year', '2026']).code).toBe(0);
      const text = readFileSync(f, 'utf8');
      expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*plan\.schema\.json$/);
      expect(text).toContain(`文档类型: ${kind}`);
      const schemaPath = path.resolve(d, text.split('\n')[0]!.split('$schema=')[1]!);
      expect(schemaPath).toBe(path.join(root, 'schemas/plan.schema.json'));
      expect(gongwei(['plan', 'validate', f]).code).toBe(0);
    });
  }
  it('init without --unit leaves a placeholder that validate flags; refuses to overwrite without --force', () => {
    const d = tempDir();
    const f = path.join(d, 'plan.yaml');
    expect(gongwei(['plan', 'init', f]).code).toBe(0);
    const r = gongwei(['plan', 'validate', '-f', 'json', f]);
    expect(JSON.parse(r.stdout).files[0].issues.map((i: { code: string }) => i.code)).toContain('PLAN_PLACEHOLDER');
    const again = gongwei(['plan', 'init', f]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[FILE_EXISTS]');
  });
  it('schema prints the JSON Schema with Chinese titles on every property', () => {
    const r = gongwei(['plan', 'schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    const missing: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties) {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (typeof v.title !== 'string' || typeof v.description !== 'string' || !/[\u4e00-\u9fff]/.test(v.description)) missing.push(`${where}/${k}`);
        }
      }
      for (const [k, v] of Object.entries(n)) if (typeof v === 'object') walk(v, `${where}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });
});
