// Benchmark of the real binary `gongwei registers import` on county-scale files (bench/gen/county.mjs): rows/s and peak RSS
// for CSV UTF-8, CSV GB18030 and xlsx, first import and re-import of the unchanged file, beside `sqlite3 .import` of the same CSV.
// Usage: npm run build && node bench/import.mjs [--scale 1] [--registers vaccinations,hypertension_followups,residents] [--formats csv,gb18030,xlsx] [--compare <other checkout>]
// --compare runs another build's binary (its bin/gongwei.js, built) on the same files right after this one's, and prints the ratio;
// --rounds N repeats that N times (builds interleaved) and reports medians (times) and the highest peak RSS.
// Residents (xlsx with 所属村 merged down village blocks) also report how many rows got no village.
// Targets (issue 13, ratios because absolute times drift by 1.8× between days): CSV first import ≤ 2.5× the time of
// `sqlite3 .import` of the same file, GB18030 the same ratio, xlsx ≥ 100,000 rows/s, peak RSS ≤ 200 MB; re-import ≥ 2× faster.
// All ratios are printed at the end, from this one run (the .import runs right after the CSV imports it is compared with).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const scale = arg('scale', '1');
const registers = arg('registers', 'vaccinations,hypertension_followups').split(',');
const dataDir = path.join(root, 'bench', 'data', 'county');
const FILES = { residents: '居民健康档案', vaccinations: '预防接种记录', hypertension_followups: '高血压患者随访记录', hypertension_patients: '高血压患者管理名册', children: '儿童花名册', diabetes_followups: '2型糖尿病患者随访记录', diabetes_patients: '2型糖尿病患者管理名册', population: '人口基础数据' };
const BIN = path.join(root, 'bin', 'gongwei.js');
const compare = arg('compare', '');
const rounds = Number(arg('rounds', '1'));
// Only some of the files, e.g. --formats xlsx (the .import comparison comes with csv).
const formats = arg('formats', 'csv,gb18030,xlsx').split(',');
const BINS = [['本版', BIN], ...(compare ? [['对照', path.join(path.resolve(compare), 'bin', 'gongwei.js')]] : [])];
const sqlite3 = ['/usr/bin/sqlite3', 'sqlite3'].find((p) => spawnSync(p, ['--version']).status === 0);

// Generate what is missing (deterministic; kept between runs).
const gen = spawnSync(process.execPath, [path.join(root, 'bench/gen/county.mjs'), '--scale', scale, '--only', registers.join(',')], { stdio: ['ignore', 'ignore', 'inherit'] });
if (gen.status !== 0) process.exit(gen.status ?? 1);

// CPU time (user + system) through GNU time when installed: on a shared machine it moves far less than the wall clock.
const TIME = ['/usr/bin/time'].find((p) => spawnSync(p, ['-f', '%U', 'true']).status === 0);
const CPU_MARK = '@@cpu ';

/** Run a command, polling /proc/<pid>/status for VmHWM (peak RSS); returns ms, CPU ms (if measurable), peak MB, stdout. */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = TIME
      ? spawn(TIME, ['-f', `${CPU_MARK}%U %S`, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peak = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const poll = () => {
      // With GNU time in between, the measured program is time's child.
      let pids = [child.pid];
      try {
        if (TIME) pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        /* exited */
      }
      for (const pid of pids) {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        } catch {
          /* exited */
        }
      }
    };
    const timer = setInterval(poll, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const m = new RegExp(`${CPU_MARK}([\\d.]+) ([\\d.]+)\\s*$`).exec(err);
      const cpuMs = m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined;
      resolve({ code, ms: performance.now() - t, cpuMs, peakMB: peak, out, err: m ? err.slice(0, m.index) : err });
    });
  });
}

const rows = [];
const pad = (s, n) => String(s).padEnd(n);
const num = (n) => Math.round(n).toLocaleString('en-US');
console.log(`机器：${os.cpus().length} 核，负载 ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}；规模 ${scale}；${rounds} 轮取中位数`);
for (const reg of registers) {
  const base = path.join(dataDir, `${FILES[reg]}-${scale}`);
  for (const [label, file, format] of [['CSV UTF-8', `${base}.csv`, 'csv'], ['CSV GB18030', `${base}.gb18030.csv`, 'gb18030'], ['xlsx', `${base}.xlsx`, 'xlsx']]) {
    if (!existsSync(file) || !formats.includes(format)) continue;
    // Each round runs every build once (first import, then the re-import), so the builds see the same load; medians are reported.
    const results = BINS.map(() => ({ 首次: [], 再次: [] }));
    for (let round = 0; round < rounds; round++) {
      for (const [b, [, bin]] of BINS.entries()) {
        const db = path.join(dataDir, 'bench-import.sqlite');
        for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
        for (const pass of ['首次', '再次']) {
          const r = await measure(process.execPath, [bin, 'registers', 'import', file, '--db', db, '--format', 'json']);
          if (r.code !== 0 && r.code !== 1) throw new Error(`${file}: exit ${r.code}\n${r.err}`);
          const s = JSON.parse(r.out)[0];
          let detail = `新增 ${s.inserted} 更新 ${s.updated} 未变 ${s.unchanged} 拒绝 ${s.rejected}`;
          if (reg === 'residents' && sqlite3) {
            detail += `；无所属村 ${spawnSync(sqlite3, [db, 'select count(*) from residents where village is null'], { encoding: 'utf8' }).stdout.trim()} 行`;
          }
          results[b][pass].push({ ms: r.ms, cpuMs: r.cpuMs, peakMB: r.peakMB, rows: s.rowsRead, detail });
        }
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const [b, [who]] of BINS.entries()) {
      for (const pass of ['首次', '再次']) {
        const runs = results[b][pass];
        const ms = median(runs.map((x) => x.ms));
        let detail = runs[0].detail;
        if (b > 0) detail += `；本版用时为对照的 ${(median(results[0][pass].map((x) => x.ms)) / ms).toFixed(2)} 倍`;
        if (pass === '再次') detail += `；比首次快 ${(median(results[b].首次.map((x) => x.ms)) / ms).toFixed(1)} 倍`;
        const cpuMs = runs[0].cpuMs === undefined ? undefined : median(runs.map((x) => x.cpuMs));
        rows.push({ reg, kind: label, who, pass, label: `${BINS.length > 1 ? `${who} ` : ''}${label} ${pass}导入`, rows: runs[0].rows, ms, cpuMs, peakMB: Math.max(...runs.map((x) => x.peakMB)), detail });
      }
    }
    if (label === 'CSV UTF-8' && sqlite3) {
      const raw = path.join(dataDir, 'bench-raw.sqlite');
      rmSync(raw, { force: true });
      // A title line (no comma) is skipped; the header line becomes the table's column names.
      const first = readFileSync(file, { encoding: 'utf8' }).slice(0, 500).split('\n')[0];
      const skip = first.includes(',') ? '' : '--skip 1 ';
      const r = await measure(sqlite3, [raw, '.mode csv', `.import ${skip}${file} raw`]);
      const n = Number(spawnSync(sqlite3, [raw, 'select count(*) from raw'], { encoding: 'utf8' }).stdout.trim());
      rows.push({ reg, kind: '.import', label: 'sqlite3 .import（无校验）', rows: n, ms: r.ms, cpuMs: r.cpuMs, peakMB: r.peakMB, detail: '' });
    }
  }
}
console.log(`${pad('登记表', 24)}${pad('文件/操作', 30)}${'行数'.padStart(10)}${'秒'.padStart(8)}${'CPU秒'.padStart(8)}${'行/秒'.padStart(10)}${'峰值RSS(MB)'.padStart(12)}  结果`);
for (const r of rows) {
  const cpu = r.cpuMs === undefined ? '' : (r.cpuMs / 1000).toFixed(2);
  console.log(`${pad(r.reg, 24)}${pad(r.label, 30)}${num(r.rows).padStart(10)}${(r.ms / 1000).toFixed(2).padStart(8)}${cpu.padStart(8)}${num(r.rows / (r.ms / 1000)).padStart(10)}${Math.round(r.peakMB).toString().padStart(12)}  ${r.detail}`);
}

// The issue-13 figures, as ratios measured in this run.
const met = (ok) => (ok ? '达到' : '未达到');
console.log('\n比值（同一次运行）：');
if (!sqlite3) console.log('  没有 sqlite3 命令行（apt-get install sqlite3），不与 .import 比较。');
for (const reg of registers) {
  const peer = rows.find((r) => r.reg === reg && r.kind === '.import');
  for (const [who] of BINS) {
    const of = (kind, pass = '首次') => rows.find((r) => r.reg === reg && r.kind === kind && r.who === who && r.pass === pass);
    const tag = BINS.length > 1 ? `${who} ` : '';
    for (const kind of ['CSV UTF-8', 'CSV GB18030']) {
      const r = of(kind);
      if (!r) continue;
      if (peer) {
        const cpu = r.cpuMs !== undefined && peer.cpuMs ? `；CPU 时间 ${(r.cpuMs / peer.cpuMs).toFixed(2)} 倍` : '';
        console.log(`  ${reg} ${tag}${kind} 首次导入用时 = .import 的 ${(r.ms / peer.ms).toFixed(2)} 倍（目标 ≤ 2.5 倍，${met(r.ms / peer.ms <= 2.5)}）${cpu}`);
      }
      const again = of(kind, '再次');
      if (again) console.log(`  ${reg} ${tag}${kind} 再次导入比首次快 ${(r.ms / again.ms).toFixed(1)} 倍`);
    }
    if (BINS.length > 1 && who === BINS[0][0]) {
      for (const kind of ['CSV UTF-8', 'CSV GB18030', 'xlsx']) {
        const a = of(kind);
        const b = rows.find((r) => r.reg === reg && r.kind === kind && r.who === BINS[1][0] && r.pass === '首次');
        if (a && b) console.log(`  ${reg} ${kind} 首次导入：本版用时为对照的 ${(a.ms / b.ms).toFixed(2)} 倍${a.cpuMs && b.cpuMs ? `，CPU 时间 ${(a.cpuMs / b.cpuMs).toFixed(2)} 倍` : ''}`);
      }
    }
    const x = of('xlsx');
    if (x) console.log(`  ${reg} ${tag}xlsx 首次导入 ${num(x.rows / (x.ms / 1000))} 行/秒（目标 ≥ 100,000，${met(x.rows / (x.ms / 1000) >= 100000)}）${peer ? `；用时 = .import 的 ${(x.ms / peer.ms).toFixed(2)} 倍` : ''}`);
    const mine = rows.filter((r) => r.reg === reg && r.who === who);
    if (mine.length) {
      const peak = Math.max(...mine.map((r) => r.peakMB));
      console.log(`  ${reg} ${tag}峰值 RSS 最高 ${Math.round(peak)} MB（目标 ≤ 200 MB，${met(peak <= 200)}）`);
    }
  }
}
