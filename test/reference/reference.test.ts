// gongwei's indicators against an independent Python implementation of the indicator definitions (docs/indicators.md)
// (test/reference/reference.py), on boundary-heavy registers from a seeded generator (gen_registers.py):
// CSV files → the real binary's `registers import` → `indicators compute --format json`, and the same CSV files →
// reference.py. Numerator, denominator and value must agree for every indicator and every group.
// Skipped (with a visible warning) only when python3 is not installed.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const bin = process.env.GONGWEI_BIN ?? path.join(root, 'bin', 'gongwei.js');
const python = (process.env.GW_REFERENCE_PYTHON ? [process.env.GW_REFERENCE_PYTHON] : ['python3', 'python']).find((p) => {
  const r = spawnSync(p, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)'], { encoding: 'utf8' });
  return r.status === 0;
});
if (!python) {
  console.warn('\n⚠️  test/reference/reference.test.ts SKIPPED: python3 (≥ 3.8) not found — the independent reference check of indicators.md did not run.\n');
}

const SEEDS = [20250101, 7];
type By = 'village' | 'doctor' | null;
const RUNS: Array<{ period: string; by: By; schedule?: string }> = [
  { period: '2025', by: 'village' },
  { period: '2025Q3', by: 'village' },
  { period: '2025-02', by: 'village' },
  { period: '2025-08', by: 'village' },
  { period: '2024-10..2025-03', by: 'village' },
  { period: '2026', by: 'village' },
  { period: '2025', by: 'doctor' },
  { period: '2025-01..2025-06', by: null, schedule: '2025' },
  { period: '2025Q4', by: 'village', schedule: 'auto' },
];

interface Row {
  id: string;
  group: string | null;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-reference-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const sameNumber = (a: number | null, b: number | null) =>
  a === null || b === null ? a === null && b === null : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Disagreements between the reference and gongwei, keyed by id + group (an empty group listed by one side only is fine). */
function compare(mine: Row[], theirs: Row[]): string[] {
  const key = (r: Row) => `${r.id}|${r.group ?? ''}`;
  const a = new Map(mine.map((r) => [key(r), r]));
  const b = new Map(theirs.map((r) => [key(r), r]));
  const out: string[] = [];
  const triple = (r?: Row) => (r ? JSON.stringify([r.numerator, r.denominator, r.value]) : '—');
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const ra = a.get(k);
    const rb = b.get(k);
    if (!ra || !rb) {
      const p = (ra ?? rb)!;
      if ((p.numerator ?? 0) === 0 && (p.value === null || p.value === 0)) continue;
    } else if (sameNumber(ra.numerator, rb.numerator) && sameNumber(ra.denominator, rb.denominator) && sameNumber(ra.value, rb.value)) continue;
    out.push(`${k}: reference ${triple(ra)} gongwei ${triple(rb)}`);
  }
  return out;
}

const describeIf = python ? describe : describe.skip;

describeIf('indicators = independent reference implementation of indicators.md (generated registers, real binary)', () => {
  const dbs = new Map<number, { dir: string; db: string }>();

  beforeAll(async () => {
    expect(fs.existsSync(path.join(root, 'dist', 'cli')), 'dist/ is missing: run npm run build first').toBe(true);
    await Promise.all(
      SEEDS.map(async (seed) => {
        const dir = path.join(work, `seed${seed}`);
        await run(python!, [path.join(here, 'gen_registers.py'), String(seed), dir]);
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ file: string }> };
        const db = path.join(work, `seed${seed}.sqlite`);
        // Exit 1 = some rows rejected (the generator writes patients who end before they start, on purpose).
        await run(process.execPath, [bin, 'registers', 'import', ...manifest.files.map((f) => path.join(dir, f.file)), '--db', db, '--format', 'json'], {
          maxBuffer: 64 << 20,
        }).catch((e: { code?: number; stderr?: string }) => {
          if (e.code !== 1) throw new Error(`import failed (${e.code}): ${e.stderr}`);
        });
        dbs.set(seed, { dir, db });
      }),
    );
  });

  it.each(SEEDS)('seed %i: every generated row is imported but those ending before they start; a same-key row inside one file replaces the earlier one with a warning', (seed) => {
    const conn = new Database(dbs.get(seed)!.db, { readonly: true });
    try {
      // indicators.md: a patient row whose ended_date is before its enrolled_date is rejected on import (reference.py drops it too).
      const rejected = conn.prepare('SELECT DISTINCT code, "column" FROM rejected_rows').all();
      expect(rejected).toEqual([{ code: 'REG_END_BEFORE_START', column: '终止管理日期' }]);
      expect((conn.prepare("SELECT count(*) AS n FROM row_warnings WHERE code = 'REG_DUPLICATE_KEY'").get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      conn.close();
    }
  });

  it.each(SEEDS)('seed %i: the data has every boundary indicators.md names (census.py)', async (seed) => {
    const { stdout } = await run(python!, [path.join(here, 'census.py'), dbs.get(seed)!.dir]);
    const census = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(census).length).toBeGreaterThan(50);
    expect(Object.entries(census).filter(([, n]) => n === 0).map(([k]) => k)).toEqual([]);
  });

  it.each(SEEDS.flatMap((seed) => RUNS.map((r) => [seed, r.period, r.by ?? 'none', r.schedule ?? '2021'] as const)))(
    'seed %i, period %s, by %s, schedule %s',
    async (seed, period, by, schedule) => {
      const { dir, db } = dbs.get(seed)!;
      const opts = [...(by !== 'none' ? ['--by', by] : []), ...(schedule !== '2021' ? ['--schedule', schedule] : [])];
      const [g, p] = await Promise.all([
        run(process.execPath, [bin, 'indicators', 'compute', '--db', db, '--period', period, '--format', 'json', ...opts], { maxBuffer: 64 << 20 }),
        run(python!, [path.join(here, 'reference.py'), dir, period, ...opts], { maxBuffer: 64 << 20 }),
      ]);
      const theirs = (JSON.parse(g.stdout) as { results: Row[] }).results;
      const mine = (JSON.parse(p.stdout) as { results: Row[] }).results;
      // The same indicators on both sides (every coverage.<code>.<dose> of the schedule included).
      expect([...new Set(theirs.map((r) => r.id))].sort()).toEqual([...new Set(mine.map((r) => r.id))].sort());
      expect(compare(mine, theirs)).toEqual([]);
      // Not a vacuous pass: most whole-unit results have a value.
      const whole = theirs.filter((r) => r.group === null);
      expect(whole.filter((r) => r.value !== null && r.value !== 0).length).toBeGreaterThan(whole.length / 2);
    },
  );
});
