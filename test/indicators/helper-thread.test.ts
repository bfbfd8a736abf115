// The two-thread engine in one process (the built modules: the helper thread is the built worker): whichever thread
// ends up counting immunization — the helper, or this thread when it is done before the helper has claimed it (a
// helper still starting) — and whether or not this thread waits for the helper's answer, a run of periods on one
// connection gives exactly the single-thread results, and answers to requests not waited for are never taken for
// a later one.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from '../plan/helpers.js';

let db = '';
beforeAll(() => {
  db = path.join(tempDir('gw-helper-'), 'examples.sqlite');
  const dir = path.join(root, 'examples/registers');
  const files = readdirSync(dir).filter((f) => /\.(xlsx|csv)$/.test(f)).map((f) => path.join(dir, f));
  const r = gongwei(['registers', 'import', ...files, '--db', db]);
  expect(r.code, r.stderr).toBe(0);
});

describe('helper thread in one process', () => {
  it('months, quarters and the year on one connection, alternating with one thread: identical results', async () => {
    process.env.GONGWEI_PARALLEL_MIN_ROWS = '1'; // read when the module loads: the examples are small
    const { openDatabase } = await import(path.resolve('dist/db.js'));
    const { computeIndicators } = await import(path.resolve('dist/indicators/compute.js'));
    const two = openDatabase(db, { readonly: true });
    const one = openDatabase(db, { readonly: true });
    const periods = ['2025', '2025-01', '2025-02', '2025Q2', '2025-07', '2025', '2024', '2025-12', '2025Q4'];
    let compared = 0;
    for (const [k, period] of periods.entries()) {
      const by = (['village', 'doctor', null] as const)[k % 3];
      delete process.env.GONGWEI_THREADS;
      const got = computeIndicators(two, { period, by });
      process.env.GONGWEI_THREADS = '1';
      const want = computeIndicators(one, { period, by });
      delete process.env.GONGWEI_THREADS;
      expect(got, `${period} ${by}`).toEqual(want);
      compared += got.results.filter((r: { numerator: number | null }) => r.numerator).length;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
