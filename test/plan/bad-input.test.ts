// Bad input to `plan validate`: clear Chinese message, the right exit code, never a stack trace.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { gongwei, tempDir, tempFile } from './helpers.js';

const VALID = '文档类型: 年度工作计划\n单位: 青石镇卫生院\n年度: 2025\n前言: 为做好全年工作，制定本计划。\n';

function validateJson(file: string) {
  const r = gongwei(['plan', 'validate', '-f', 'json', file]);
  expect(r.stderr).not.toMatch(/at .*\.js:\d+|Error:|TypeError/);
  return { ...r, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

const firstIssue = (j: { files: { issues: { code: string; line: number; col: number; hint?: string }[] }[] }) => j.files[0]!.issues[0]!;

describe('plan validate: bad input', () => {
  it('not YAML (a Word-like text with tabs and broken flow) → YAML error with position, exit 1', () => {
    const r = validateJson(tempFile('a.yaml', '文档类型: 年度工作计划\n\t单位: [青石镇\n'));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json).code).toMatch(/^YAML_/);
    expect(firstIssue(r.json).line).toBeGreaterThanOrEqual(1);
  });
  it('empty file → PLAN_EMPTY_FILE, exit 1', () => {
    for (const content of ['', '\n\n  \n', '# 只有注释\n']) {
      const r = validateJson(tempFile('empty.yaml', content));
      expect(r.code).toBe(1);
      expect(firstIssue(r.json)).toMatchObject({ code: 'PLAN_EMPTY_FILE', line: 1, col: 1 });
    }
  });
  it('binary file → PLAN_BINARY, exit 1', () => {
    const r = validateJson(tempFile('word.yaml', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0, 0xff, 0xfe, 0, 1])));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json).code).toBe('PLAN_BINARY');
  });
  it('GBK-encoded YAML → PLAN_ENCODING naming GBK, exit 1', () => {
    const r = validateJson(tempFile('gbk.yaml', iconv.encode(VALID, 'gbk')));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json).code).toBe('PLAN_ENCODING');
    expect(r.json.files[0].issues[0].message).toContain('GBK');
  });
  it('UTF-8 with BOM is fine', () => {
    const r = validateJson(tempFile('bom.yaml', '\ufeff' + VALID));
    expect(r.code).toBe(0);
  });
  it('a 10 MB file → PLAN_TOO_LARGE, exit 1, quickly', () => {
    const big = VALID + '结束语: ' + '很'.repeat(3_500_000) + '\n';
    const t = Date.now();
    const r = validateJson(tempFile('big.yaml', big));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json).code).toBe('PLAN_TOO_LARGE');
    expect(Date.now() - t).toBeLessThan(5000);
  });
  it('alias bomb ("billion laughs") → YAML_ALIAS_LIMIT, exit 1', () => {
    const lines = ['a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const r = validateJson(tempFile('bomb.yaml', lines.join('\n') + '\n'));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json).code).toBe('YAML_ALIAS_LIMIT');
  });
  it('deep nesting → PLAN_TOO_DEEP, exit 1, no stack overflow', () => {
    const r = validateJson(tempFile('deep.yaml', '前言: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n'));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json).code).toBe('PLAN_TOO_DEEP');
  });
  it('deep nesting by indentation or dashes → PLAN_TOO_DEEP, exit 1', () => {
    const indent = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    const dashes = '- '.repeat(20000) + 'x\n';
    for (const text of [indent, dashes]) {
      const r = validateJson(tempFile('deep.yaml', text));
      expect(r.code).toBe(1);
      expect(firstIssue(r.json).code).toBe('PLAN_TOO_DEEP');
    }
  });
  it('UTF-16 (Notepad "Unicode"), with or without BOM → PLAN_ENCODING naming UTF-16, not "binary"', () => {
    for (const enc of ['utf16le', 'utf16be'] as const) {
      for (const bom of [true, false]) {
        const body = iconv.encode(VALID, enc === 'utf16le' ? 'utf-16le' : 'utf-16be', { addBOM: bom });
        const r = validateJson(tempFile('u16.yaml', body));
        expect(r.code).toBe(1);
        expect(firstIssue(r.json).code).toBe('PLAN_ENCODING');
        expect(r.json.files[0].issues[0].message).toContain('UTF-16');
      }
    }
  });
  it('a Word document pasted as text → PLAN_NOT_MAPPING', () => {
    const r = validateJson(tempFile('text.yaml', '青石镇卫生院2025年工作计划\n\n一、指导思想\n坚持预防为主。\n'));
    expect(r.code).toBe(1);
    expect(firstIssue(r.json)).toMatchObject({ code: 'PLAN_NOT_MAPPING', line: 1, col: 1 });
  });
  it('Chinese colons everywhere → YAML_FULLWIDTH_COLON on each line, at the colon', () => {
    const r = validateJson(tempFile('colon.yaml', '文档类型：年度工作计划\n单位：青石镇卫生院\n年度：2025\n'));
    expect(r.code).toBe(1);
    expect(r.json.files[0].issues.map((i: { code: string; line: number; col: number }) => [i.code, i.line, i.col])).toEqual([
      ['YAML_FULLWIDTH_COLON', 1, 5], ['YAML_FULLWIDTH_COLON', 2, 3], ['YAML_FULLWIDTH_COLON', 3, 3],
    ]);
  });
  it('one Chinese colon, a missing space after the colon, a target starting with ">" → where and how to fix', () => {
    const cases: [string, string, number, number, string][] = [
      ['领导小组:\n  组长：院长\n  副组长: 张三\n', 'YAML_FULLWIDTH_COLON', 5, 5, '组长: 院长'],
      ['领导小组:\n  组长:院长\n  副组长: 张三\n', 'YAML_COLON_SPACE', 5, 5, '组长: 院长'],
      ['工作目标:\n  指标:\n    - 指标: 建证率\n      目标: >=90%\n', 'YAML_SYNTAX', 7, 11, "'>=90%'"],
      ['工作目标:\n  指标:\n    - {指标: 建证率, 目标: >90%}\n', 'YAML_SYNTAX', 6, 21, "'>90%'"],
    ];
    for (const [body, code, line, col, fix] of cases) {
      const r = validateJson(tempFile('slip.yaml', VALID.split('前言')[0] + body));
      expect(r.code).toBe(1);
      expect(firstIssue(r.json)).toMatchObject({ code, line, col });
      expect(firstIssue(r.json).hint).toContain(fix);
    }
  });
  it('indentation slips, an unclosed quote, ": " inside a sentence → what is wrong on which line', () => {
    const head = VALID.split('前言')[0]!;
    const cases: [string, string, number, number, string][] = [
      ['重点工作:\n  - 标题: 医疗质量\n   内容: 抓好质量\n', 'YAML_BAD_INDENT', 6, 1, '应为 4 个'],
      ['工作目标:\n  指标:\n    - 指标: 建证率\n    目标: 不低于95%\n', 'YAML_BAD_INDENT', 7, 1, '应为 6 个'],
      ['领导小组:\n  组长: 院长\n 成员: 张三\n', 'YAML_BAD_INDENT', 6, 1, '应为 2 个'],
      ['前言: "为做好全年工作\n', 'YAML_SYNTAX', 4, 5, '引号没有配对'],
      ['前言: 根据《规范》要求: 制定本计划\n', 'YAML_SYNTAX', 4, 13, '英文冒号加空格'],
    ];
    for (const [body, code, line, col, says] of cases) {
      const r = validateJson(tempFile('slip.yaml', head + body));
      expect(r.code).toBe(1);
      expect(r.json.files[0].issues.map((i: { code: string; line: number; col: number }) => [i.code, i.line, i.col]), body).toEqual([[code, line, col]]);
      expect(r.json.files[0].issues[0].message).toContain(says);
    }
  });
  it('missing file → one Chinese line, exit 2', () => {
    const r = gongwei(['plan', 'validate', '/nonexistent/plan.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[FILE_NOT_FOUND\]：.*\/nonexistent\/plan\.yaml/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('directory with no plans → PLAN_NO_FILES, exit 2', () => {
    const d = tempDir();
    writeFileSync(path.join(d, 'readme.txt'), 'x');
    const r = gongwei(['plan', 'validate', d]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[PLAN_NO_FILES]');
  });
  it('glob that matches nothing → PLAN_GLOB_NO_MATCH, exit 2', () => {
    const d = tempDir();
    const r = gongwei(['plan', 'validate', 'plans/**/*.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[PLAN_GLOB_NO_MATCH]');
  });
  it('a glob and a directory expand to the plan files (and skip non-YAML files)', () => {
    const d = tempDir();
    mkdirSync(path.join(d, 'plans/a'), { recursive: true });
    writeFileSync(path.join(d, 'plans/a/one.yaml'), VALID);
    writeFileSync(path.join(d, 'plans/two.yml'), VALID);
    writeFileSync(path.join(d, 'plans/data.csv'), 'a,b\n');
    const viaGlob = gongwei(['plan', 'validate', '-f', 'json', 'plans/**/*.{yaml,yml}'], { cwd: d });
    const viaDir = gongwei(['plan', 'validate', '-f', 'json', 'plans'], { cwd: d });
    expect(viaGlob.code).toBe(0);
    expect(JSON.parse(viaGlob.stdout).summary.files).toBe(2);
    expect(JSON.parse(viaDir.stdout).summary.files).toBe(2);
  });
  it('unknown option → Chinese usage error, exit 2', () => {
    const r = gongwei(['plan', 'validate', '--bogus', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知选项');
  });
});
