// The floor under `gongwei registers import` of a CSV: how long better-sqlite3 alone takes to store the rows of the county
// vaccinations CSV in the register's table — rows already split and typed before the clock starts, no checks, no hashing,
// no duplicate keys, no derived tables — beside `sqlite3 .import` of the same file, in one run. What the import does on
// top of this floor cannot make it faster than the floor, so the floor says which ratio to `.import` is within reach.
// Variants: the table with its UNIQUE natural-key index (as an import writes), and the index built after the rows.
// Usage: npm run build && node bench/insert-floor.mjs [--rounds 3]   (generates bench/data/county/ files if missing)
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const rounds = Number(arg('rounds', '3'));
const file = path.join(root, 'bench/data/county/预防接种记录-1.csv');
const work = path.join(os.tmpdir(), `gongwei-floor-${process.pid}`);

if (process.argv[2] === '--child') {
  // One variant in a process of its own (a fresh heap and page cache for each).
  const [, , , variant, db] = process.argv;
  const { default: Database } = await import('better-sqlite3');
  const { registerTableSql } = await import(path.join(root, 'dist/registers/tables.js'));
  const { loadRegisterCatalog } = await import(path.join(root, 'dist/catalog/registers.js'));
  const reg = loadRegisterCatalog().find((r) => r.id === 'vaccinations');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.shift();
  // The stored columns in the table's order; the values as an import stores them (dose a number, hashes numbers).
  const rows = [];
  for (const l of lines) {
    if (!l) continue;
    const c = l.split(',');
    const byName = { child_id: c[0], vaccine: c[1], dose: Number(c[2].replace(/\D/g, '')), vaccination_date: c[3], vaccine_name: c[1], unit: c[4], batch: c[5] };
    rows.push([...reg.columns.map((col) => byName[col.name] ?? null), 1, rows.length * 7919, rows.length * 104729]);
  }
  rmSync(db, { force: true });
  const d = new Database(db);
  d.pragma('journal_mode = WAL');
  d.pragma('synchronous = NORMAL');
  d.pragma('cache_size = -8192');
  d.exec(registerTableSql(reg));
  const index = `CREATE UNIQUE INDEX vaccinations_natural_key ON vaccinations (${reg.naturalKey.map((k) => `"${k}"`).join(', ')})`;
  if (variant === 'indexed') d.exec(index);
  const insert = d.prepare(`INSERT INTO vaccinations VALUES (${rows[0].map(() => '?').join(', ')})`);
  const t0 = performance.now();
  d.exec('BEGIN');
  for (const r of rows) insert.run(r);
  if (variant === 'index-after') d.exec(index);
  d.exec('COMMIT');
  d.close();
  process.stdout.write(JSON.stringify({ rows: rows.length, ms: performance.now() - t0 }));
  process.exit(0);
}

const sqlite3 = ['/usr/bin/sqlite3', 'sqlite3'].find((p) => spawnSync(p, ['--version']).status === 0);
if (!sqlite3) {
  console.error('需要 sqlite3 命令行程序（apt-get install sqlite3）');
  process.exit(1);
}
const gen = spawnSync(process.execPath, [path.join(root, 'bench/gen/county.mjs'), '--only', 'vaccinations'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (gen.status !== 0) process.exit(gen.status ?? 1);
rmSync(work, { recursive: true, force: true });
spawnSync('mkdir', ['-p', work]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { import: [], indexed: [], 'index-after': [] };
let n = 0;
for (let i = 0; i < rounds; i++) {
  const raw = path.join(work, 'raw.sqlite');
  rmSync(raw, { force: true });
  const t = performance.now();
  const r = spawnSync(sqlite3, [raw, '.mode csv', `.import ${file} raw`]);
  if (r.status !== 0) throw new Error(String(r.stderr));
  times.import.push(performance.now() - t);
  for (const v of ['indexed', 'index-after']) {
    const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', v, path.join(work, `${v}.sqlite`)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (c.status !== 0) throw new Error(c.stderr);
    const out = JSON.parse(c.stdout);
    n = out.rows;
    times[v].push(out.ms);
  }
}
rmSync(work, { recursive: true, force: true });
const imp = median(times.import);
console.log(`机器：${os.cpus().length} 核，负载 ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}；${n.toLocaleString('en')} 行；${rounds} 轮取中位数`);
console.log(`sqlite3 .import（整个进程）                    ${(imp / 1000).toFixed(2)} s`);
for (const [v, label] of [['indexed', '只写入，表上已有唯一索引（导入的写法）'], ['index-after', '只写入，写完再建唯一索引']]) {
  const ms = median(times[v]);
  console.log(`better-sqlite3 ${label.padEnd(24)} ${(ms / 1000).toFixed(2)} s = .import 的 ${(ms / imp).toFixed(2)} 倍（不含启动、读文件、拆行）`);
}
