#!/usr/bin/env node
// Benchmark: every indicator at county scale (1,000,000 vaccinations, 100,000 hypertension patients with 400,000
// follow-ups, other registers to match) — one year by village, each of 12 months, peak RSS — as ratios to a count(*)
// scan of every table in the same run (the machine drifts; the ratios do not), and the year-end summary command.
// Every figure, the count(*) scan included, is measured --runs times (default 5) in rounds (each round runs every
// figure once, in a fresh process each), and the median is reported with the range: one noisy run of the scan or of
// a figure does not flip a verdict. The ratios are of medians.
// Usage: npm run build && node bench/indicators.mjs [--db bench/data/county.sqlite] [--runs 5]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../dist/db.js';
import { ensureRegisterTables } from '../dist/registers/tables.js';
import { CHILD_FACTS_TABLES, childDosesFresh, refreshChildDoses } from '../dist/registers/child-doses.js';
import { INDICATOR_FACTS_TABLE } from '../dist/indicators/stored-facts.js';
import { refreshIndicatorFacts } from '../dist/indicators/indicator-facts.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const file = path.resolve(root, arg('db', 'bench/data/county.sqlite'));
const runs = Math.max(1, Number(arg('runs', '5')));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const villages = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村'];
let seed = 7;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const day = (from, to) => iso(Date.parse(from) + int(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY)) * DAY);

if (!fs.existsSync(file)) {
  // Children and 1,000,000 vaccinations come from the immunization bench's generator (same data, one definition).
  const t0 = performance.now();
  const gen = spawnSync(process.execPath, [path.join(root, 'bench/immunization.mjs'), '--db', file], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
  const db = openDatabase(file);
  ensureRegisterTables(db);
  const tx = db.transaction(() => {
    const pop = db.prepare('INSERT INTO population (year, village, resident_population, children_0_6, elderly_65, hypertension_estimated, diabetes_estimated) VALUES (?,?,?,?,?,?,?)');
    for (const v of villages) pop.run(2025, v, 100_000, 22_000, 14_000, 25_000, 9_000);
    const res = db.prepare('INSERT INTO residents (record_id, village, doctor, created_date, is_electronic, last_service_date, status) VALUES (?,?,?,?,?,?,?)');
    for (let i = 0; i < 450_000; i++) res.run(`R${i}`, villages[i % 5], `医生${i % 40}`, day('2015-01-01', '2025-12-31'), rnd() < 0.92 ? 1 : 0, day('2023-01-01', '2025-12-31'), rnd() < 0.03 ? '迁出' : '正常');
    for (const [P, F, n, per, extra] of [['hypertension_patients', 'hypertension_followups', 100_000, 4, 'bp'], ['diabetes_patients', 'diabetes_followups', 35_000, 4, 'fbg'], ['mental_patients', 'mental_followups', 3_000, 4, 'smi']]) {
      const ip = db.prepare(`INSERT INTO ${P} (patient_id, village, doctor, birth_date, enrolled_date, status, ended_date) VALUES (?,?,?,?,?,?,?)`);
      const cols = extra === 'bp' ? 'sbp, dbp' : extra === 'fbg' ? 'fbg' : 'condition';
      const ph = extra === 'bp' ? '?,?' : '?';
      const iff = db.prepare(`INSERT INTO ${F} (patient_id, followup_date, method, ${cols}) VALUES (?,?,?,${ph})`);
      for (let i = 0; i < n; i++) {
        const id = `${P[0]}${i}`;
        const ended = rnd() < 0.04 ? day('2025-01-01', '2025-12-31') : null;
        ip.run(id, villages[i % 5], `医生${i % 40}`, day('1935-01-01', '1985-12-31'), day('2015-01-01', '2025-10-31'), ended ? '死亡' : '在管', ended);
        for (let q = 0; q < per; q++) {
          if (rnd() < 0.03) continue;
          const date = day(`2025-${String(q * 3 + 1).padStart(2, '0')}-01`, `2025-${String(q * 3 + 3).padStart(2, '0')}-28`);
          const method = rnd() < 0.08 ? '电话' : '门诊';
          if (extra === 'bp') iff.run(id, date, method, int(110, 170), int(65, 100));
          else if (extra === 'fbg') iff.run(id, date, method, int(45, 110) / 10);
          else iff.run(id, date, method, rnd() < 0.85 ? '稳定' : '基本稳定');
        }
      }
    }
    const cv = db.prepare('INSERT OR IGNORE INTO child_visits (child_id, visit_date, visit_type) VALUES (?,?,?)');
    for (const { child_id, birth_date } of db.prepare("SELECT child_id, birth_date FROM children WHERE birth_date >= '2019-01-01'").all()) {
      if (rnd() < 0.9) cv.run(child_id, iso(Date.parse(birth_date) + int(3, 40) * DAY), '新生儿访视');
      if (rnd() < 0.85) cv.run(child_id, day('2025-01-01', '2025-12-31'), '体检');
    }
    const mat = db.prepare('INSERT INTO maternal (mother_id, village, lmp, booking_date, delivery_date, discharge_date, postpartum_visit_date) VALUES (?,?,?,?,?,?,?)');
    for (let i = 0; i < 12_000; i++) {
      const d = Date.parse(day('2024-06-01', '2025-12-31'));
      const lmp = d - int(266, 287) * DAY;
      mat.run(`M${i}`, villages[i % 5], iso(lmp), iso(lmp + int(40, 120) * DAY), iso(d), iso(d + 3 * DAY), iso(d + int(3, 40) * DAY));
    }
    const eld = db.prepare('INSERT OR IGNORE INTO elderly_checkups (record_id, village, birth_date, exam_date, complete, tcm) VALUES (?,?,?,?,?,?)');
    for (let i = 0; i < 60_000; i++) eld.run(`E${i}`, villages[i % 5], day('1930-01-01', '1960-12-31'), day('2025-01-01', '2025-12-31'), rnd() < 0.95 ? 1 : 0, rnd() < 0.7 ? 1 : 0);
    const inf = db.prepare('INSERT INTO infectious_reports (card_id, village, category, diagnosed_at, reported_at, reported_online) VALUES (?,?,?,?,?,?)');
    for (let i = 0; i < 5_000; i++) {
      const t = Date.parse(day('2025-01-01', '2025-12-31')) + int(0, 86_000) * 1000;
      const iso16 = (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
      inf.run(`C${i}`, villages[i % 5], rnd() < 0.02 ? '甲类' : '乙类', iso16(t), iso16(t + int(10, 1800) * 60000), 1);
    }
    const edu = db.prepare('INSERT OR IGNORE INTO health_education (activity_date, activity_type, topic, materials, village) VALUES (?,?,?,?,?)');
    for (let i = 0; i < 3_000; i++) edu.run(day('2025-01-01', '2025-12-31'), ['讲座', '咨询', '发放资料'][i % 3], `主题${i}`, int(50, 500), villages[i % 5]);
  });
  tx();
  db.close();
  console.log(`generated the county database in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${path.relative(root, file)}`);
}

{
  // The per-child facts an import stores at its end (the generator above writes the registers directly): as imported.
  const db = openDatabase(file);
  if (!childDosesFresh(db)) {
    const t0 = performance.now();
    refreshChildDoses(db);
    console.log(`stored the per-child facts of children and vaccinations (what an import does at its end) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The facts of the follow-up and record entries the CLI's import stores at its end (only those not fresh).
  const t1 = performance.now();
  refreshIndicatorFacts(db);
  const ms = performance.now() - t1;
  if (ms > 50) console.log(`stored the follow-up and record facts (what \`gongwei registers import\` does at its end) in ${(ms / 1000).toFixed(1)} s`);
  db.close();
}

const db = openDatabase(file, { readonly: true });
const notRegisters = ['imports', 'rejected_rows', 'row_warnings', ...CHILD_FACTS_TABLES, INDICATOR_FACTS_TABLE];
const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name).filter((t) => !notRegisters.includes(t));
const counts = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) AS n FROM "${t}"`).get().n]));
db.close();
console.log(`rows: ${Object.entries(counts).filter(([, n]) => n).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}`);
console.log(`load: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);

/** Run a script in a fresh process; wall time and peak RSS (VmHWM) as the kernel reports them. */
function measure(label, code) {
  const script = `import { openDatabase } from '${root}/dist/db.js'; import { computeIndicators } from '${root}/dist/indicators/compute.js';
const t0 = performance.now(); ${code}; const ms = performance.now() - t0;
const hwm = /VmHWM:\\s+(\\d+)/.exec(require_('fs').readFileSync('/proc/self/status', 'utf8'))[1];
console.log(JSON.stringify({ ms, rssMb: Number(hwm) / 1024 }));
function require_(m) { return process.getBuiltinModule(m); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { label, ...out };
}

const immOnly = `process.env.GONGWEI_THREADS = '1'; const { loadIndicatorCatalog } = await import('${root}/dist/catalog/indicators.js'); const db = openDatabase('${file}', { readonly: true });
const ids = loadIndicatorCatalog().all.filter((d) => d.compute.kind === 'immunization').map((d) => d.id);`;
const figures = [
  ['count(*) of every register table', `const db = openDatabase('${file}', { readonly: true }); for (const t of ${JSON.stringify(tables)}) db.prepare('SELECT count(*) FROM "' + t + '"').get();`],
  ['all indicators, 2025, by village', `const db = openDatabase('${file}', { readonly: true }); const r = computeIndicators(db, { period: '2025', by: 'village' }); if (!r.results.length) throw 1;`],
  ['all indicators, 2025, whole unit', `const db = openDatabase('${file}', { readonly: true }); computeIndicators(db, { period: '2025' });`],
  ['all indicators, each of 12 months, by village', `const db = openDatabase('${file}', { readonly: true }); for (let m = 1; m <= 12; m++) computeIndicators(db, { period: '2025-' + String(m).padStart(2, '0'), by: 'village' });`],
  // The immunization indicators alone (one thread): the share the stored per-child facts serve.
  ['immunization indicators only, 2025, by village', `${immOnly} computeIndicators(db, { period: '2025', by: 'village', only: ids });`],
  ['immunization indicators only, 12 months', `${immOnly} for (let m = 1; m <= 12; m++) computeIndicators(db, { period: '2025-' + String(m).padStart(2, '0'), by: 'village', only: ids });`],
];
// Rounds: each runs every figure once, so that a slow spell of the machine touches all figures alike.
const samples = figures.map(() => []);
for (let round = 0; round < runs; round++) figures.forEach(([label, code], i) => samples[i].push(measure(label, code)));
const rows = figures.map(([label], i) => ({
  label,
  ms: median(samples[i].map((r) => r.ms)),
  lo: Math.min(...samples[i].map((r) => r.ms)),
  hi: Math.max(...samples[i].map((r) => r.ms)),
  rssMb: Math.max(...samples[i].map((r) => r.rssMb)),
}));
const base = rows[0].ms;
const w = Math.max(...rows.map((r) => r.label.length), 40);
const range = (r) => (runs > 1 ? ` (${(r.lo / 1000).toFixed(2)}–${(r.hi / 1000).toFixed(2)})` : '');
console.log(`median of ${runs} run${runs > 1 ? 's' : ''} each (range in brackets); peak RSS: the largest`);
for (const r of rows) console.log(`${r.label.padEnd(w + 2)} ${(r.ms / 1000).toFixed(2).padStart(6)} s${range(r).padEnd(14)}   peak RSS ${r.rssMb.toFixed(0).padStart(4)} MB   ${r === rows[0] ? '' : `${(r.ms / base).toFixed(1)}× the count(*) scan`}`);

// The year-end summary as a user runs it: the real command, node start-up included, DOCX written.
const plan = path.join(root, 'examples/qingshi-2025-annual-plan.yaml');
const out = path.join(os.tmpdir(), `gongwei-bench-summary-${process.pid}.docx`);
const summaryRuns = [];
for (let round = 0; round < runs; round++) {
  const t0 = performance.now();
  const cli = spawnSync(process.execPath, [path.join(root, 'bin/gongwei.js'), 'plan', 'render', plan, '--summary', '--db', file, '--period', '2025', '-o', out], { cwd: root, encoding: 'utf8' });
  summaryRuns.push(performance.now() - t0);
  fs.rmSync(out, { force: true });
  if (cli.status !== 0) throw new Error(`plan render --summary exited ${cli.status}: ${cli.stderr}`);
}
const summaryMs = median(summaryRuns);
console.log(`${'year-end summary (gongwei plan render --summary → DOCX)'.padEnd(w + 2)} ${(summaryMs / 1000).toFixed(2).padStart(6)} s${range({ lo: Math.min(...summaryRuns), hi: Math.max(...summaryRuns) })}`);

console.log(`load after: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
const year = rows[1].ms / base;
const months = rows[3].ms / base;
const met = (ok) => (ok ? 'met' : 'NOT met');
console.log(`ratios (medians): one year by village ${year.toFixed(1)}× the count(*) scan (target ≤ 5×, ${met(year <= 5)}); 12 months ${months.toFixed(1)}× (target ≤ 20×, ${met(months <= 20)}); summary ${(summaryMs / 1000).toFixed(2)} s (target ≤ 1.5 s, ${met(summaryMs <= 1500)}); peak RSS target ≤ 300 MB (${met(Math.max(...rows.map((r) => r.rssMb)) <= 300)})`);
