// Immunization indicators at county scale: generate children + 1,000,000 vaccinations, time the JS one-pass vs an SQL pivot.
// Usage: npx tsc -p tsconfig.build.json && node bench/immunization.mjs [--children 110000] [--keep 0.54] [--db bench/data/immunization.sqlite]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../dist/db.js';
import { ensureRegisterTables } from '../dist/registers/tables.js';
import { computeImmunization, immunizationGaps } from '../dist/indicators/immunization/compute.js';
import { loadSchedule } from '../dist/catalog/schedule.js';
import { dueDate } from '../dist/calendar.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const N_CHILDREN = Number(arg('children', '110000'));
// Share of due doses recorded: tuned so 110,000 children born 2018–2025 give about 1,000,000 vaccination rows.
const KEEP = Number(arg('keep', '0.54'));
const file = arg('db', 'bench/data/immunization.sqlite');
const villages = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村'];

// Deterministic PRNG (mulberry32).
let seed = 20250101;
const rnd = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86400000;

if (!fs.existsSync(file)) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const t0 = performance.now();
  const db = openDatabase(file);
  ensureRegisterTables(db);
  const schedule = loadSchedule('2021');
  const insC = db.prepare(
    'INSERT INTO children (child_id, name, birth_date, village, doctor, status, status_date, resident_since, certificate_date) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  const insV = db.prepare('INSERT OR IGNORE INTO vaccinations (child_id, vaccine, dose, vaccination_date, vaccine_name) VALUES (?,?,?,?,?)');
  const start = Date.UTC(2018, 0, 1);
  const span = Date.UTC(2025, 11, 31) - start;
  let nv = 0;
  db.transaction(() => {
    for (let i = 0; i < N_CHILDREN; i++) {
      const id = `C${String(i).padStart(7, '0')}`;
      const birth = iso(start + Math.floor(rnd() * span / DAY) * DAY);
      const v = villages[i % villages.length];
      const moved = rnd() < 0.05;
      insC.run(id, '张小明', birth, v, `${v}医生${i % 3}`, moved ? '迁出' : '在册', moved ? iso(Date.UTC(2025, Math.floor(rnd() * 12), 1)) : null, null, rnd() < 0.9 ? iso(Date.parse(birth) + 30 * DAY) : null);
      for (const d of schedule.doses) {
        const due = dueDate(birth, d.due);
        if (due > '2025-12-31') continue;
        if (rnd() > KEEP) continue;
        const given = iso(Date.parse(due) + Math.floor(rnd() * 45) * DAY);
        insV.run(id, rnd() < 0.01 ? '水痘疫苗' : d.code, d.dose, given, d.vaccineName);
        nv++;
      }
    }
  })();
  db.close();
  console.log(`generated ${N_CHILDREN} children, ${nv} vaccinations in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${file}`);
}

const db = openDatabase(file, { readonly: true });
const counts = db.prepare('SELECT (SELECT count(*) FROM children) c, (SELECT count(*) FROM vaccinations) v').get();
console.log(`children ${counts.c}, vaccinations ${counts.v}; load ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);

const time = (label, fn, runs = 3) => {
  const ms = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    out = fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} median ${ms[Math.floor(runs / 2)].toFixed(0)} ms (min ${ms[0].toFixed(0)})`);
  return out;
};

const year = { label: '2025', start: '2025-01-01', end: '2025-12-31' };
time('count(*) scan of children + vaccinations', () =>
  db.prepare('SELECT (SELECT count(*) FROM children), (SELECT count(*) FROM vaccinations)').get(),
);
time('first run on a fresh connection (notes not cached yet)', () => {
  const fresh = openDatabase(file, { readonly: true });
  computeImmunization(fresh, { period: year, by: 'village' });
  fresh.close();
}, 1);
const r = time('JS one pass: all immunization indicators, 2025, by village', () => computeImmunization(db, { period: year, by: 'village' }));
const hb3 = r.counts.find((c) => c.id === 'coverage.HepB.3' && c.group === null);
console.log(`  ${r.counts.length} results; coverage.HepB.3 ${hb3.numerator}/${hb3.denominator}; notes ${r.notes.map((n) => n.code).join(',')}`);
time('JS one pass: 12 months, by village', () => {
  for (let m = 1; m <= 12; m++) {
    const mm = String(m).padStart(2, '0');
    const last = new Date(Date.UTC(2025, m, 0)).getUTCDate();
    computeImmunization(db, { period: { label: `2025-${mm}`, start: `2025-${mm}-01`, end: `2025-${mm}-${last}` }, by: 'village' });
  }
}, 1);
const gaps = time('gaps coverage.DTaP.3, 2025', () => immunizationGaps(db, 'coverage.DTaP.3', { period: year }), 1);
console.log(`  ${gaps.length} gap rows`);

// The alternative: one SQL statement joining children with a pivot of vaccinations (earliest date per dose).
const schedule = loadSchedule('2021');
const pivotCols = schedule.doses
  .map((d, i) => `MIN(CASE WHEN v.vaccine = '${d.code}' AND v.dose = ${d.dose} THEN v.vaccination_date END) AS d${i}`)
  .join(',\n  ');
const pivotSql = `SELECT c.child_id, c.birth_date, c.status, c.status_date, c.village, ${pivotCols}
  FROM children c LEFT JOIN vaccinations v ON v.child_id = c.child_id
  WHERE c.birth_date >= ? AND c.birth_date <= ?
  GROUP BY c.child_id`;
time('SQL pivot (join + GROUP BY, rows only, no due dates yet)', () => db.prepare(pivotSql).raw().all('2017-12-01', '2025-12-31').length, 1);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
db.close();
