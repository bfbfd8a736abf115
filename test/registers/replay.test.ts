// Re-importing an unchanged file that is still the latest import of its register: recorded as all unchanged without reading it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';
import { importFiles } from '../../src/registers/import.js';

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
});
