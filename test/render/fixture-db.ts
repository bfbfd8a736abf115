// A small register database on disk for render tests: population, residents, hypertension patients and follow-ups in five villages.
import { openDatabase } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';

export const VILLAGES = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村'];

export function buildFixtureDb(file: string): void {
  const db = openDatabase(file);
  ensureRegisterTables(db);
  const pop = db.prepare('INSERT INTO population (year, village, resident_population, children_0_6, elderly_65, hypertension_estimated, diabetes_estimated) VALUES (?,?,?,?,?,?,?)');
  VILLAGES.forEach((v, i) => pop.run(2025, v, 100 + i * 10, 10, 20, 30 + i, 12));
  const res = db.prepare('INSERT INTO residents (record_id, village, created_date, status, last_service_date) VALUES (?,?,?,?,?)');
  let n = 0;
  VILLAGES.forEach((v, i) => {
    for (let k = 0; k < 60 + i * 7; k++) res.run(`R${++n}`, v, '2024-03-01', k % 17 === 0 ? '迁出' : '正常', k % 3 === 0 ? '2025-05-01' : null);
  });
  const pt = db.prepare('INSERT INTO hypertension_patients (patient_id, village, enrolled_date, status, birth_date) VALUES (?,?,?,?,?)');
  const fu = db.prepare('INSERT INTO hypertension_followups (patient_id, followup_date, method, sbp, dbp) VALUES (?,?,?,?,?)');
  let p = 0;
  VILLAGES.forEach((v, i) => {
    for (let k = 0; k < 20 + i; k++) {
      const id = `H${++p}`;
      pt.run(id, v, '2023-01-01', '在管', '1960-01-01');
      const visits = (k + i) % 5; // 0..4 face-to-face visits in 2025
      for (let q = 0; q < visits; q++) fu.run(id, `2025-${String(q * 3 + 2).padStart(2, '0')}-10`, q === 3 && k % 2 ? '电话' : '门诊', 130 + k, 85);
    }
  });
  db.close();
}
