// `gongwei plan import` through the real binary: the round trip import → validate → render, --split into a directory, JSON, refusals.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, tempDir } from '../plan/helpers.js';
import { examplePlan, fixtures, seedFile } from './helpers.js';

describe('gongwei plan import', () => {
  it('round trip: the draft goes to stdout and the summary to stderr; the draft validates and renders', () => {
    const r = gongwei(['plan', 'import', examplePlan]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# yaml-language-server: \$schema=/);
    expect(r.stdout).toContain('单位: 青石镇卫生院');
    expect(r.stderr).toContain('目标 6 个（对应指标目录 5 个，自定义 1 个）');
    const dir = tempDir('gw-import-cli-');
    const draft = path.join(dir, '计划.yaml');
    writeFileSync(draft, r.stdout);
    const v = gongwei(['plan', 'validate', draft]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const out = path.join(dir, '计划.docx');
    const d = gongwei(['plan', 'render', draft, '-o', out]);
    expect(d.code, d.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('-o file.yaml writes the draft (schema line relative to it) and prints the summary', () => {
    const dir = tempDir('gw-import-cli-');
    const out = path.join(dir, 'drafts', '2026年工作计划.yaml');
    const r = gongwei(['plan', 'import', path.join(fixtures, 'example-plan.docx'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^从 .*example-plan\.docx 导入（Word 文档）：1 篇计划/);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+.*schemas\/plan\.schema\.json/);
    expect(yaml).toContain('# 由 gongwei plan import 从“example-plan.docx”导入的草稿。');
    // Existing files are not overwritten without --force.
    const again = gongwei(['plan', 'import', examplePlan, '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^错误 \[FILE_EXISTS\]/);
    expect(readFileSync(out, 'utf8')).toBe(yaml);
    expect(gongwei(['plan', 'import', examplePlan, '-o', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe(yaml);
  });

  it('--split writes one draft per plan into the -o directory; without -o it says how (exit 2)', () => {
    const none = gongwei(['plan', 'import', seedFile('003_82357f570e9e2bac'), '--split']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^错误 \[PLAN_IMPORT_NEEDS_DIR\]：这个文件分成了 9 篇计划/);
    expect(none.stderr).toContain('提示：');
    const dir = path.join(tempDir('gw-import-cli-'), '草稿');
    const r = gongwei(['plan', 'import', seedFile('003_82357f570e9e2bac'), '--split', '-o', dir]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(9);
    expect(files[0]).toBe('01-乡镇卫生院工作实施方案.yaml');
    expect(r.stdout).toContain('合计：');
    expect(readFileSync(path.join(dir, files[6]!), 'utf8')).toContain('（合集第 7 篇：“乡镇卫生院工作实施方案7”）');
    // The drafts have the source's placeholders: validate finds them (exit 1), nothing crashes.
    const v = gongwei(['plan', 'validate', dir]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('PLAN_PLACEHOLDER');
  });

  it('"请核对 N 处" counts the # 请核对 comments the drafts carry, per draft and in total', () => {
    const dir = path.join(tempDir('gw-import-cli-'), '草稿');
    const r = gongwei(['plan', 'import', seedFile('003_82357f570e9e2bac'), '--split', '-o', dir]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    const inDraft = files.map((f) => (readFileSync(path.join(dir, f), 'utf8').match(/# 请核对：/g) ?? []).length);
    const reported = [...r.stdout.matchAll(/；请核对 (\d+) 处\n/g)].map((m) => Number(m[1]));
    expect(reported).toEqual(inDraft);
    expect(inDraft.some((n) => n > 0)).toBe(true);
    expect(r.stdout).toContain(`请核对 ${inDraft.reduce((a, b) => a + b, 0)} 处。`);
    const one = gongwei(['plan', 'import', examplePlan]);
    expect((one.stdout.match(/# 请核对：/g) ?? []).length).toBe(1);
    expect(one.stderr).toContain('请核对 1 处。');
  });

  it('-f json: the summary as data (positions, targets, checks), with the draft inside when there is no -o', () => {
    const r = gongwei(['plan', 'import', examplePlan, '-f', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('text');
    expect(j.plans[0].meta.单位).toEqual({ value: '青石镇卫生院', guessed: false, position: { line: 1 } });
    expect(j.plans[0].summary.targets).toEqual({ linked: 5, custom: 1, placeholders: 0 });
    expect(j.plans[0].targets[5]).toMatchObject({ name: '孕产妇系统管理率', custom: true, position: { line: 10 } });
    expect(j.plans[0].draft).toContain('文档类型: 年度工作计划');
    const w = gongwei(['plan', 'import', path.join(fixtures, 'example-plan.docx'), '-f', 'json']);
    expect(JSON.parse(w.stdout).plans[0].targets[5].position).toEqual({ paragraph: 10 });
  });

  it('bad input: one Chinese line with the code and a hint, exit 2, no stack trace', () => {
    for (const [file, code] of [
      [path.join(fixtures, '扫描件.docx'), 'PLAN_IMPORT_PDF'],
      [path.join(fixtures, 'password-123.docx'), 'PLAN_IMPORT_ENCRYPTED'],
      [path.join(fixtures, 'nope.docx'), 'FILE_NOT_FOUND'],
    ] as const) {
      const r = gongwei(['plan', 'import', file]);
      expect(r.code, file).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^错误 \\[${code}\\]：`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const bad = gongwei(['plan', 'import', examplePlan, '-o', path.join(tempDir(), 'x.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^错误 \[PLAN_IMPORT_OUTPUT_NAME\]/);
    expect(existsSync(path.join(tempDir(), 'x.txt'))).toBe(false);
  });

  it('--help is Chinese and names the formats it reads', () => {
    const r = gongwei(['plan', 'import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^用法： ?gongwei plan import \[选项\] <文件>/);
    expect(r.stdout).toContain('--split');
    expect(r.stdout).toContain('.docx、.doc、.wps');
  });
});

describe('docs/plan-import.md', () => {
  it('lists every code the import can give', () => {
    const doc = readFileSync(path.join(fixtures, '../../../docs/plan-import.md'), 'utf8');
    const src = ['index.ts', 'read.ts', 'read-docx.ts', 'read-legacy.ts', 'read-text.ts', 'lines.ts', 'split.ts', 'structure.ts', 'meta.ts', 'targets.ts', 'text-checks.ts']
      .map((f) => readFileSync(path.join(fixtures, '../../../src/plan-import', f), 'utf8'))
      .join('\n') + readFileSync(path.join(fixtures, '../../../src/cli/commands/plan-import.ts'), 'utf8');
    const codes = [...new Set(src.match(/'(?:PLAN_IMPORT|IMPORT)_[A-Z_]+'/g)!.map((c) => c.slice(1, -1)))];
    expect(codes.length).toBeGreaterThan(30);
    expect(codes.filter((c) => !doc.includes(c))).toEqual([]);
  });
});
