// The real binary: exit codes, SIGKILL mid-import leaves the database as before, concurrent imports wait, JSON summary.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/db.js';
import { dump, HTN_HEADER, tmp, writeCsv } from './helpers.js';

const BIN = path.resolve('bin/gongwei.js');
const run = (args: string[], cwd?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });

async function bigCsv(file: string, n: number, offset = 0): Promise<void> {
  const out = createWriteStream(file);
  out.write(HTN_HEADER.map((h) => `"${h}"`).join(',') + '\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const j = i + offset;
    buf += `P${String(j).padStart(8, '0')},2025-0${(j % 9) + 1}-1${j % 10},门诊,${120 + (j % 20)},80,李医生\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(() => r()));
}

function snapshot(db: string) {
  const d = openDatabase(db, { readonly: true });
  try {
    return { rows: dump(d, 'hypertension_followups'), imports: d.prepare('SELECT id, rows_read, inserted FROM imports').all(), integrity: d.pragma('integrity_check', { simple: true }) };
  } finally {
    d.close();
  }
}

describe('registers import (binary)', () => {
  it('exit codes: 0 clean, 1 rows rejected, 2 fatal; JSON summary on stdout', () => {
    const d = tmp();
    const ok = writeCsv(path.join(d, 'ok.csv'), [HTN_HEADER, ['1', '2025-03-01', '门诊', 130, 80, '李']]);
    const bad = writeCsv(path.join(d, 'bad.csv'), [HTN_HEADER, ['2', '2025-13-01', '门诊', 130, 80, '李'], ['3', '2025-03-01', '门诊', 130, 80, '李']]);
    writeFileSync(path.join(d, 'zero.csv'), '');
    const db = path.join(d, 'db.sqlite');
    const a = run(['registers', 'import', ok, '--db', db, '--format', 'json']);
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout)[0]).toMatchObject({ register: 'hypertension_followups', rowsRead: 1, inserted: 1 });
    const b = run(['registers', 'import', bad, '--db', db]);
    expect(b.status).toBe(1);
    expect(b.stdout).toContain('REG_BAD_DATE');
    const c = run(['registers', 'import', path.join(d, 'zero.csv'), '--db', db]);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('REG_FILE_EMPTY');
    const e = run(['registers', 'import', d, '--db', db]);
    expect(e.status).toBe(2);
    expect(e.stderr).toContain('FILE_IS_DIRECTORY');
  });

  it('SIGKILL in the middle of an import leaves the database exactly as before; re-running completes it', async () => {
    const d = tmp();
    const db = path.join(d, 'db.sqlite');
    const small = writeCsv(path.join(d, 'small.csv'), [HTN_HEADER, ['S1', '2025-03-01', '门诊', 130, 80, '李']]);
    expect(run(['registers', 'import', small, '--db', db]).status).toBe(0);
    const before = snapshot(db);
    const big = path.join(d, 'big.csv');
    await bigCsv(big, 400_000);
    const child = spawn(process.execPath, [BIN, 'registers', 'import', big, '--db', db], { stdio: 'ignore' });
    // Wait until the import has written pages into the WAL (well inside its transaction), then kill it.
    const wal = `${db}-wal`;
    const t0 = Date.now();
    while (!(existsSync(wal) && statSync(wal).size > 4 << 20) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(snapshot(db)).toEqual(before);
    const again = run(['registers', 'import', big, '--db', db, '--format', 'json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ rowsRead: 400_000, inserted: 400_000 });
    expect(snapshot(db).integrity).toBe('ok');
  }, 120_000);

  it('an import waits while another connection holds the write lock, then completes (it does not fail with SQLITE_BUSY)', async () => {
    const d = tmp();
    const db = path.join(d, 'db.sqlite');
    const small = writeCsv(path.join(d, 'small.csv'), [HTN_HEADER, ['S1', '2025-03-01', '门诊', 130, 80, '李']]);
    expect(run(['registers', 'import', small, '--db', db]).status).toBe(0);
    await bigCsv(path.join(d, 'c.csv'), 20_000);
    const holder = openDatabase(db);
    holder.exec('BEGIN IMMEDIATE');
    const child = spawn(process.execPath, [BIN, 'registers', 'import', path.join(d, 'c.csv'), '--db', db, '--format', 'json']);
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Long enough for the child to start and reach the lock (it would exit at once without a busy timeout).
    await new Promise((r) => setTimeout(r, 4000));
    expect(child.exitCode, err).toBeNull();
    const released = new Date().toISOString();
    holder.exec('COMMIT');
    holder.close();
    expect(await exited, err).toBe(0);
    expect(JSON.parse(out)[0]).toMatchObject({ rowsRead: 20_000, inserted: 20_000 });
    const check = openDatabase(db, { readonly: true });
    try {
      // Its transaction began only after the lock was released.
      const started = (check.prepare('SELECT max(started_at) AS t FROM imports').get() as { t: string }).t;
      expect(started >= released.slice(0, 19)).toBe(true);
      expect(check.prepare('SELECT count(*) AS n FROM hypertension_followups').get()).toEqual({ n: 20_001 });
    } finally {
      check.close();
    }
  }, 120_000);

  it('two imports into the same database at once wait for each other and both complete', async () => {
    const d = tmp();
    const db = path.join(d, 'db.sqlite');
    await bigCsv(path.join(d, 'a.csv'), 60_000, 0);
    await bigCsv(path.join(d, 'b.csv'), 60_000, 30_000); // half overlaps a.csv
    const start = (f: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const c = spawn(process.execPath, [BIN, 'registers', 'import', path.join(d, f), '--db', db, '--format', 'json']);
        let out = '';
        c.stdout.on('data', (b) => (out += b));
        c.on('exit', (code) => resolve({ code, out }));
      });
    const [a, b] = await Promise.all([start('a.csv'), start('b.csv')]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const sa = JSON.parse(a.out)[0];
    const sb = JSON.parse(b.out)[0];
    expect(sa.inserted + sb.inserted).toBe(90_000);
    expect(sa.unchanged + sb.unchanged).toBe(30_000);
    const snap = snapshot(db);
    expect(snap.integrity).toBe('ok');
    expect(snap.rows.length).toBe(90_000);
    expect(snap.imports.length).toBe(2);
  }, 120_000);
});
