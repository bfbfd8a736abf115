// Every command speaks: groups without a subcommand show their help (exit 2), --help is aligned by display width
// (a Chinese character takes two columns), required options are marked, and help says what the command does.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/help.js';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const commands = [
  [], ['plan'], ['plan', 'validate'], ['plan', 'init'], ['plan', 'import'], ['plan', 'schema'], ['plan', 'render'], ['plan', 'assess'],
  ['plan', 'templates'], ['plan', 'templates', 'export'],
  ['registers'], ['registers', 'import'], ['registers', 'rejects'], ['registers', 'template'], ['registers', 'list'], ['registers', 'describe'],
  ['indicators'], ['indicators', 'compute'], ['indicators', 'list'], ['indicators', 'explain'], ['indicators', 'gaps'],
];

/** Problems with the layout of a help text: descriptions not in one column per section, lines over 80 columns. */
function layoutProblems(help: string): string[] {
  const problems: string[] = [];
  let column: number | undefined;
  for (const line of help.split('\n')) {
    if (displayWidth(line) > 80) problems.push(`too wide: ${line}`);
    if (!line.startsWith('  ')) {
      column = undefined; // a heading or a blank line starts a new section
      continue;
    }
    const item = /^( {2}\S.*?\S? {2,})(\S.*)$/.exec(line);
    const col = item && !line.startsWith('   ') ? displayWidth(item[1]!) : line.length - line.trimStart().length;
    column ??= col;
    if (col !== column) problems.push(`column ${col} ≠ ${column}: ${line}`);
  }
  return problems;
}

describe('--help', () => {
  it.each(commands.map((c) => [c.join(' ') || '(gongwei)', c]))('%s --help: exit 0, Chinese, descriptions aligned by display width, ≤ 80 columns', (_n, cmd) => {
    const r = gongwei([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^用法： gongwei/);
    expect(r.stdout).not.toMatch(/Usage:|Options:|Commands:|\[options\]|\[command\]|default:/);
    expect(layoutProblems(r.stdout)).toEqual([]);
  });
  it('the layout check catches a misaligned line', () => {
    expect(layoutProblems('选项：\n  -o, --output <文件>  输出\n  --db <文件>  数据库\n')).toHaveLength(1);
  });
  it('required options are marked （必填）', () => {
    expect(gongwei(['plan', 'assess', '--help']).stdout).toMatch(/--db <文件> +（必填）登记表数据库/);
    expect(gongwei(['plan', 'assess', '--help']).stdout).toMatch(/--period <期间> +（必填）/);
    expect(gongwei(['indicators', 'compute', '--help']).stdout).toMatch(/--period <期间> +（必填）/);
    expect(gongwei(['indicators', 'gaps', '--help']).stdout).toMatch(/--period <期间> +（必填）/);
    expect(gongwei(['registers', 'template', '--help']).stdout).toMatch(/-o, --output <文件> +（必填）/);
    expect(gongwei(['plan', 'render', '--help']).stdout).not.toContain('（必填）');
  });
});

describe('a group without its subcommand shows its help and is a usage error', () => {
  it.each([[[]], [['plan']], [['registers']], [['indicators']], [['plan', 'templates']]])('gongwei %j', (cmd) => {
    const r = gongwei(cmd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`用法： gongwei${cmd.length ? ` ${cmd.join(' ')}` : ''} [选项] [命令]`);
    expect(r.stderr).toMatch(/命令：\n/);
    expect(r.stderr).toContain('错误 [USAGE]：缺少命令');
  });
  it('gongwei help xyz: the command list and 没有这个命令, exit 2; gongwei help plan: the plan help, exit 0', () => {
    const r = gongwei(['help', 'xyz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误 [USAGE]：没有这个命令：xyz');
    expect(r.stderr).toContain('indicators');
    const ok = gongwei(['help', 'plan']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^用法： gongwei plan/);
  });
  it('an unknown subcommand: exit 2 in Chinese', () => {
    const r = gongwei(['plan', 'xyz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误 [USAGE]：未知命令：xyz');
  });
});

describe('what help says is what the command does', () => {
  it('plan render --summary without --period sums up the plan’s 年度, as its help says', () => {
    expect(gongwei(['plan', 'render', '--help']).stdout).toContain('省略时为计划的年度');
    const d = tempDir('gw-summary-');
    const db = path.join(d, 'd.sqlite');
    expect(gongwei(['registers', 'import', path.join(root, 'examples', 'registers', '2型糖尿病患者管理名册.xlsx'), '--db', db]).code).toBe(0);
    const out = path.join(d, 'summary.md');
    const r = gongwei(['plan', 'render', path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml'), '--summary', '--db', db, '-f', 'md', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('PERIOD_OUTSIDE_PLAN_YEAR');
    expect(fs.readFileSync(out, 'utf8')).toMatch(/2025年/);
  });
});
