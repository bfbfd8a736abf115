// Whole-program behaviour of the real binary: a closed pipe, database files that cannot be opened.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bin, gongwei, tempDir } from '../plan/helpers.js';

describe('the process', () => {
  it('a reader that closes the pipe at once (| true) ends the command quietly: exit 0, no stack trace', () => {
    const err = path.join(tempDir('gw-cli-'), 'stderr.txt');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" indicators list 2>"${err}" | true; echo \${PIPESTATUS[0]}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.trim()).toBe('0');
    expect(readFileSync(err, 'utf8')).toBe('');
  });
  it('a database in a place that cannot be written: Chinese reason, exit 2', () => {
    const r = gongwei(['registers', 'import', 'examples/registers/2型糖尿病患者管理名册.xlsx', '--db', '/proc/1/x.sqlite']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[DB_OPEN_FAILED\]：无法打开数据库文件：\/proc\/1\/x\.sqlite（所在目录不存在或没有读写权限）/);
    expect(r.stderr).not.toMatch(/unable to open|SqliteError/);
  });
  it('a file that is not a database: DB_INVALID, exit 2', () => {
    const f = path.join(tempDir('gw-cli-'), 'x.sqlite');
    writeFileSync(f, 'not a database at all, just text '.repeat(200));
    const r = gongwei(['indicators', 'compute', '--db', f, '--period', '2025']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误 [DB_INVALID]');
  });
});
