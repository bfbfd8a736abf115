// The real binary on the fixture database (fixture-db.ts) with the example village scheme and its values file: a temporary
// directory made before the tests of a file and removed after them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildFixtureDb } from './fixture-db.js';

export const root = path.resolve(import.meta.dirname, '../..');
/** The example 考核方案 that assesses 各村卫生室, and its values file (人工填报). */
export const plan = path.join(root, 'examples', 'qingshi-2025-village-assessment.yaml');
export const values = path.join(root, 'examples', 'values', 'qingshi-2025-填报.csv');

/** Run bin/gongwei.js from the project root, without colours. */
export const gw = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

/** A temporary directory (`tmp`) with the fixture database (`db`) for the tests of one file. */
export function cliFixture(prefix: string): { tmp: string; db: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = path.join(tmp, 'reg.sqlite');
  beforeAll(() => buildFixtureDb(db));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return { tmp, db };
}
