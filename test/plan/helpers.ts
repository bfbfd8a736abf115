// Shared helpers for plan tests: run the real binary, write temp files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(root, 'bin', 'gongwei.js');

export function gongwei(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'gw-plan-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempFile(name: string, content: string | Buffer, dir = tempDir()): string {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}
