// Benchmark of `registers import`: generates hypertension follow-ups (CSV UTF-8, CSV GB18030), imports them twice,
// and compares with sqlite3's `.import` of the same CSV. Usage: node bench/registers-import.mjs [rows=400000]
// Needs a build (npm run build). Data goes to bench/data/ (git-ignored). XLSX_ROWS caps the xlsx size (default 200000).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench', 'data', 'registers');
mkdirSync(dataDir, { recursive: true });
const N = Number(process.argv[2] ?? 400000);
const villages = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村'];
const methods = ['门诊', '家庭', '电话'];

// Deterministic generator (LCG): 1 patient per 4 follow-ups, one per quarter of 2025.
function* rows() {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  yield '档案编号,随访日期,随访方式,收缩压(mmHg),舒张压(mmHg),此次随访分类,下次随访日期,随访医生';
  for (let i = 0; i < N; i++) {
    const p = Math.floor(i / 4);
    const q = i % 4;
    const m = q * 3 + 1 + Math.floor(rnd() * 3);
    const d = 1 + Math.floor(rnd() * 28);
    const date = `2025-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const sbp = 110 + Math.floor(rnd() * 50);
    const dbp = 65 + Math.floor(rnd() * 30);
    yield `${String(4301020000 + p).padStart(12, '0')},${date},${methods[Math.floor(rnd() * 3)]},${sbp},${dbp},${sbp < 140 ? '控制满意' : '控制不满意'},,${villages[p % 5]}李医生`;
  }
}

async function writeCsvFile(file, encoding) {
  if (existsSync(file)) return;
  const iconv = (await import('iconv-lite')).default;
  const out = createWriteStream(file);
  let buf = [];
  const flush = async () => {
    const text = buf.join('\n') + '\n';
    buf = [];
    const ok = out.write(encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : text);
    if (!ok) await new Promise((r) => out.once('drain', r));
  };
  for (const line of rows()) {
    buf.push(line);
    if (buf.length >= 10000) await flush();
  }
  await flush();
  await new Promise((r) => out.end(r));
}

function runImport(file, db) {
  const script = `
    const { openDatabase } = await import(${JSON.stringify(path.join(root, 'dist/db.js'))});
    const { importFiles } = await import(${JSON.stringify(path.join(root, 'dist/registers/import.js'))});
    const db = openDatabase(${JSON.stringify(db)});
    const t = performance.now();
    const [s] = await importFiles(db, [${JSON.stringify(file)}], { today: '2026-01-01' });
    const ms = performance.now() - t;
    db.close();
    console.log(JSON.stringify({ ms, rows: s.rowsRead, inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected, error: s.error, rssMB: process.resourceUsage().maxRSS / 1024 }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function writeXlsxFile(file, n) {
  if (existsSync(file)) return;
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('随访');
  ws.addRow(['青石镇卫生院高血压患者随访登记表']).commit();
  let i = 0;
  for (const line of rows()) {
    if (i++ > n) break;
    const c = line.split(',');
    if (i === 1) ws.addRow(c).commit();
    else {
      const [y, m, d] = c[1].split('-').map(Number);
      ws.addRow([c[0], new Date(Date.UTC(y, m - 1, d)), c[2], Number(c[3]), Number(c[4]), c[5], null, c[7]]).commit();
    }
  }
  ws.getColumn(2).numFmt = 'yyyy-mm-dd';
  await wb.commit();
}

const utf8 = path.join(dataDir, `htn-followups-${N}.csv`);
const gbk = path.join(dataDir, `htn-followups-${N}.gb18030.csv`);
await writeCsvFile(utf8, 'utf-8');
await writeCsvFile(gbk, 'gb18030');
const NX = Math.min(N, Number(process.env.XLSX_ROWS ?? 200000));
const xlsx = path.join(dataDir, `htn-followups-${NX}.xlsx`);
await writeXlsxFile(xlsx, NX);

const fmt = (label, r) => console.log(`${label.padEnd(34)} ${String(r.rows).padStart(8)} 行  ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(r.rows / (r.ms / 1000)).toString().padStart(8)} 行/秒  峰值 RSS ${Math.round(r.rssMB)} MB  (新增 ${r.inserted} 更新 ${r.updated} 未变 ${r.unchanged} 拒绝 ${r.rejected})`);

console.log(`机器：${(await import('node:os')).cpus().length} 核，负载 ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [label, file] of [['CSV UTF-8', utf8], ['CSV GB18030', gbk], ['xlsx', xlsx]]) {
  const db = path.join(dataDir, 'bench.sqlite');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  fmt(`${label} 首次导入`, runImport(file, db));
  fmt(`${label} 再次导入（未变）`, runImport(file, db));
}
// sqlite3 .import: the raw floor, no validation.
try {
  const db = path.join(dataDir, 'raw.sqlite');
  rmSync(db, { force: true });
  const t = performance.now();
  execFileSync('sqlite3', [db, '.mode csv', `.import ${utf8} raw`], { stdio: 'pipe' });
  const ms = performance.now() - t;
  console.log(`${'sqlite3 .import（无校验）'.padEnd(34)} ${String(N).padStart(8)} 行  ${(ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(N / (ms / 1000)).toString().padStart(8)} 行/秒`);
} catch (e) {
  console.log(`sqlite3 不可用：${e.message}`);
}
