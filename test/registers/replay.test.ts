// Re-importing an unchanged file that is still the latest import of its register: recorded as all unchanged without reading it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';
import { importFiles } from '../../src/registers/import.js';

// Every full read of a file goes through createReadStream (the CSV parse with its streamed sha256, or the sha256 alone):
// count them per path. Sniffing the encoding and separator reads only the head of the file.
const streams = vi.hoisted(() => new Map<string, number>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    createReadStream: ((p: string, o?: object) => {
      streams.set(String(p), (streams.get(String(p)) ?? 0) + 1);
      return fs.createReadStream(p, o as never);
    }) as typeof fs.createReadStream,
  };
});
const reads = async (file: string, run: () => Promise<unknown>): Promise<number> => {
  streams.delete(file);
  await run();
  return streams.get(file) ?? 0;
};

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'gw-replay-'));
const csv = (rows: string[]) => '档案编号,随访日期,随访方式,收缩压,舒张压\n' + rows.join('\n') + '\n';

describe('re-import of an unchanged file', () => {
  it('counts every row as unchanged, keeps the rejected rows (copied with reasons), and stays exact after other imports', async () => {
    const d = dir();
    const db = openDatabase(path.join(d, 'db.sqlite'));
    ensureRegisterTables(db);
    const a = path.join(d, '高血压随访一月.csv');
    writeFileSync(a, csv(['G1,2025-01-05,门诊,130,80', 'G2,2025-01-06,门诊,150,95', 'G3,2025-02-30,门诊,120,70']));
    const first = (await importFiles(db, [a]))[0]!;
    expect(first).toMatchObject({ rowsRead: 3, inserted: 2, rejected: 1 });

    const again = (await importFiles(db, [a]))[0]!;
    expect(again).toMatchObject({ rowsRead: 3, inserted: 0, updated: 0, unchanged: 2, rejected: 1, register: 'hypertension_followups' });
    expect(again.importId).toBeGreaterThan(first.importId!);
    const copied = db.prepare('SELECT "row", code FROM rejected_rows WHERE import_id = ?').all(again.importId) as { row: number; code: string }[];
    expect(copied).toEqual(db.prepare('SELECT "row", code FROM rejected_rows WHERE import_id = ?').all(first.importId));
    expect(copied[0]!.code).toBe('REG_BAD_DATE');
    expect(again.issues[0]).toMatchObject({ code: 'REG_BAD_DATE', row: 4 });

    // Another file changes a row of the same register: re-importing the first file must read it and put the row back.
    const b = path.join(d, '高血压随访更正.csv');
    writeFileSync(b, csv(['G1,2025-01-05,家庭,128,78']));
    expect((await importFiles(db, [b]))[0]).toMatchObject({ updated: 1 });
    const third = (await importFiles(db, [a]))[0]!;
    expect(third).toMatchObject({ rowsRead: 3, updated: 1, unchanged: 1, rejected: 1 });
    expect((db.prepare("SELECT method FROM hypertension_followups WHERE patient_id = 'G1'").get() as { method: string }).method).toBe('门诊');
    db.close();
  });
  it('a changed file at the same path and size is read again', async () => {
    const d = dir();
    const db = openDatabase(path.join(d, 'db.sqlite'));
    ensureRegisterTables(db);
    const a = path.join(d, 'f.csv');
    writeFileSync(a, csv(['G1,2025-01-05,门诊,130,80']));
    await importFiles(db, [a]);
    writeFileSync(a, csv(['G1,2025-01-05,门诊,131,80']));
    expect((await importFiles(db, [a]))[0]).toMatchObject({ rowsRead: 1, updated: 1, unchanged: 0 });
    db.close();
  });

  it('each run reads the file once: first import, unchanged re-import, re-import after another file changed the register', async () => {
    const d = dir();
    const db = openDatabase(path.join(d, 'db.sqlite'));
    ensureRegisterTables(db);
    const a = path.join(d, '高血压随访一月.csv');
    const rows = Array.from({ length: 203 }, (_, i) => `G${i},2025-01-05,门诊,130,80`);
    writeFileSync(a, csv([...rows, 'G900,2025-02-30,门诊,120,70', 'G901,2025-01-05,门诊,abc,80', 'G902,,门诊,120,70']));
    let s: Awaited<ReturnType<typeof importFiles>> = [];
    expect(await reads(a, async () => (s = await importFiles(db, [a])))).toBe(1);
    expect(s[0]).toMatchObject({ rowsRead: 206, inserted: 203, rejected: 3 });
    for (let k = 0; k < 5; k++) {
      expect(await reads(a, async () => (s = await importFiles(db, [a])))).toBe(1);
      expect(s[0]).toMatchObject({ rowsRead: 206, inserted: 0, updated: 0, unchanged: 203, rejected: 3 });
    }
    // Another file changes a row of the same register: the next import of the first file cannot be replayed; it is
    // parsed (with its hash) in one read, and puts the row back.
    const b = path.join(d, '高血压随访更正.csv');
    writeFileSync(b, csv(['G1,2025-01-05,家庭,128,78']));
    await importFiles(db, [b]);
    expect(await reads(a, async () => (s = await importFiles(db, [a])))).toBe(1);
    expect(s[0]).toMatchObject({ rowsRead: 206, updated: 1, unchanged: 202, rejected: 3 });
    expect((db.prepare("SELECT method FROM hypertension_followups WHERE patient_id = 'G1'").get() as { method: string }).method).toBe('门诊');
    // One import per run, each rejected row stored once per import, the same sha256 for every run.
    const imports = db.prepare('SELECT id, sha256, rows_read FROM imports WHERE file = ? ORDER BY id').all(a) as { id: number; sha256: string; rows_read: number }[];
    expect(imports.map((i) => i.rows_read)).toEqual(Array(7).fill(206));
    expect(new Set(imports.map((i) => i.sha256)).size).toBe(1);
    expect(imports[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const i of imports) expect(db.prepare('SELECT count(*) AS n FROM rejected_rows WHERE import_id = ?').get(i.id)).toEqual({ n: 3 });
    expect(db.prepare('SELECT count(*) AS n FROM rejected_rows').get()).toEqual({ n: 21 });
    db.close();
  });
});
