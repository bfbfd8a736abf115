// Bounded input: only regular files are read, their size checked before reading, each real file visited once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const plan = path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml');

describe('only regular files are read', () => {
  it('plan validate /dev/zero: refused at once, nothing read', () => {
    const t = Date.now();
    const r = gongwei(['plan', 'validate', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[FILE_NOT_REGULAR\]：这是一个设备文件，不是普通文件，不能读取：\/dev\/zero/);
    expect(Date.now() - t).toBeLessThan(10_000);
  });
  it('a FIFO does not block: refused before it is opened', () => {
    const fifo = path.join(tempDir('gw-fifo-'), 'plan.yaml');
    execFileSync('mkfifo', [fifo]);
    const db = path.join(path.dirname(fifo), 'd.sqlite');
    for (const args of [['plan', 'validate', fifo], ['plan', 'render', fifo, '-f', 'md'], ['plan', 'import', fifo], ['registers', 'import', fifo, '--db', db]]) {
      const r = gongwei(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('[FILE_NOT_REGULAR]');
      expect(r.stderr).toContain('命名管道');
    }
  });
  it('a /proc file (size 0, content made by the kernel) is refused', () => {
    const r = gongwei(['plan', 'validate', '/proc/self/status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[FILE_NOT_REGULAR]');
  });
  it('a plan over 2 MB is judged by its size before it is read', () => {
    const f = path.join(tempDir('gw-big-'), 'big.yaml');
    fs.writeFileSync(f, '');
    fs.truncateSync(f, 3 * 1024 * 1024 * 1024); // 3 GB sparse: reading it would take long and the memory with it
    const t = Date.now();
    const r = gongwei(['plan', 'validate', f, '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].issues[0].code).toBe('PLAN_TOO_LARGE');
    expect(Date.now() - t).toBeLessThan(10_000);
  });
  it('plan templates export /proc/foo ends with a Chinese error (no spin)', () => {
    const r = gongwei(['plan', 'templates', 'export', '/proc/foo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[[A-Z_]+\]：.*\/proc\/foo/);
  });
  it('a template directory or --catalog directory entry that is a FIFO is skipped, not read', () => {
    const d = tempDir('gw-tpl-');
    expect(gongwei(['plan', 'templates', 'export', d]).code).toBe(0);
    execFileSync('mkfifo', [path.join(d, 'stuck.hbs')]);
    const r = gongwei(['plan', 'render', plan, '-f', 'md', '--templates', d, '-o', path.join(d, 'out.md')]);
    expect(r.code, r.stderr).toBe(0);
    const cat = tempDir('gw-cat-');
    execFileSync('mkfifo', [path.join(cat, 'x.yaml')]);
    expect(gongwei(['indicators', 'list', '--catalog', cat]).code).toBe(0);
  });
});

describe('a directory walk visits each real file once', () => {
  it('symlink loops and second links: each plan validated once', () => {
    const d = tempDir('gw-walk-');
    fs.mkdirSync(path.join(d, 'a'));
    fs.copyFileSync(plan, path.join(d, 'a', 'plan.yaml'));
    fs.symlinkSync('..', path.join(d, 'a', 'loop')); // a/loop → d: a loop
    fs.symlinkSync(path.join(d, 'a'), path.join(d, 'b')); // a second way into a
    fs.symlinkSync(path.join(d, 'a', 'plan.yaml'), path.join(d, 'same.yaml'));
    const r = gongwei(['plan', 'validate', d, '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files).toHaveLength(1);
  });
});

describe('readBoundedFile reads every byte, whatever the size', () => {
  it.each([0, 1, 4095, 16 * 1024, 16 * 1024 + 2, 64 * 1024, 1024 * 1024 + 7, 2 * 1024 * 1024])('%i bytes', async (n) => {
    const { readBoundedFile } = await import('../../src/files.js');
    const d = tempDir('gw-read-');
    const f = path.join(d, 'x.bin');
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 31 + 7) & 0xff;
    fs.writeFileSync(f, bytes);
    expect(readBoundedFile(f, 2 * 1024 * 1024).equals(bytes)).toBe(true);
    if (n > 0) expect(() => readBoundedFile(f, n - 1)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
  });
});
