// Test helpers for the immunization tests: an on-disk SQLite file with the register tables and a few rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';
import type { Period } from '../../src/indicators/types.js';

export interface ChildRow {
  child_id: string;
  birth_date: string | null;
  name?: string;
  village?: string | null;
  doctor?: string | null;
  status?: string | null;
  status_date?: string | null;
  resident_since?: string | null;
  certificate_date?: string | null;
}

/** [child_id, vaccine (code or name as written), dose, date] */
export type VacRow = [string, string, number, string | null];

export function tempDb(children: ChildRow[], vaccinations: VacRow[]): { db: Database; file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongwei-imm-'));
  const file = path.join(dir, 'test.sqlite');
  const db = openDatabase(file);
  ensureRegisterTables(db);
  const ins = db.prepare(
    `INSERT INTO children (child_id, name, birth_date, village, doctor, status, status_date, resident_since, certificate_date)
     VALUES (@child_id, @name, @birth_date, @village, @doctor, @status, @status_date, @resident_since, @certificate_date)`,
  );
  const insV = db.prepare('INSERT INTO vaccinations (child_id, vaccine, dose, vaccination_date, vaccine_name) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const c of children) {
      ins.run({
        name: '张小明',
        village: '青石村',
        doctor: '李医生',
        status: '在册',
        status_date: null,
        resident_since: null,
        certificate_date: null,
        ...c,
      });
    }
    for (const [id, v, dose, date] of vaccinations) insV.run(id, v, dose, date, v);
  })();
  return {
    db,
    file,
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Period for '2025', '2025-03', '2025Q2' (test-local; the engine has the real parser). */
export function period(label: string): Period {
  let m = /^(\d{4})$/.exec(label);
  if (m) return { label, start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return { label, start: `${y}-${pad(mo)}-01`, end: `${y}-${pad(mo)}-${pad(last)}` };
  }
  m = /^(\d{4})Q([1-4])$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const endMonth = q * 3;
    const last = new Date(Date.UTC(y, endMonth, 0)).getUTCDate();
    return { label, start: `${y}-${pad(endMonth - 2)}-01`, end: `${y}-${pad(endMonth)}-${pad(last)}` };
  }
  throw new Error(`bad test period ${label}`);
}
