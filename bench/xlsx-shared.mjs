// Benchmark: importing an xlsx whose text is all shared strings (as Excel, WPS and LibreOffice save at scale) — peak RSS
// and time, one thread and two, against another build in the same window.
// Usage: npm run build && node bench/xlsx-shared.mjs [--rows 300000] [--threads 1,2] [--rounds 1] [--compare <other checkout, built>] [--file other.xlsx]
// The workbook (a 居民健康档案 roster, every cell text; exceljs streaming writer, useSharedStrings) is generated once
// into bench/data/xlsx-shared/.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './gen/prng.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const N = Number(arg('rows', '300000'));
const threads = arg('threads', '1,2').split(',');
const rounds = Number(arg('rounds', '1'));
const other = arg('compare', '');
const dataDir = path.join(root, 'bench', 'data', 'xlsx-shared');
mkdirSync(dataDir, { recursive: true });
const file = arg('file', '') ? path.resolve(arg('file', '')) : path.join(dataDir, `居民健康档案-${N}.xlsx`);

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = (s) => '10X98765432'[[...s].reduce((a, c, i) => a + Number(c) * W[i], 0) % 11];
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

if (!existsSync(file)) {
  const ExcelJS = (await import('exceljs')).default;
  const tmp = `${file}.part`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: true });
  const ws = wb.addWorksheet('居民健康档案');
  ws.addRow(['档案编号', '姓名', '性别', '出生日期', '身份证号', '所属村', '建档日期', '是否电子档案', '最近服务日期', '档案状态', '责任医生']).commit();
  const r = prng(13);
  const SUR = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹';
  const GIVEN = '明华建国志强秀英丽娟伟芳军平红玉兰海霞桂淑珍德文武子涛敏静磊洋勇艳杰娜';
  const villages = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村', '上坊村', '下湾村', '石桥村'];
  const doctors = ['王建华', '李秀英', '张志强', '刘芳', '陈伟'];
  const pick = (s) => s[Math.floor(r() * s.length)];
  for (let i = 0; i < N; i++) {
    const birth = Date.UTC(1930, 0, 1) + Math.floor(r() * 90 * 365.25) * 86400000;
    const b = iso(birth);
    const sex = r() < 0.5 ? '男' : '女';
    const seq = String(Math.floor(r() * 500) * 2 + (sex === '男' ? 1 : 0)).padStart(3, '0');
    const id17 = `361027${b.replace(/-/g, '')}${seq}`;
    const created = iso(Date.UTC(2010, 0, 1) + Math.floor(r() * 15 * 365) * 86400000);
    const served = iso(Date.UTC(2025, 0, 1) + Math.floor(r() * 330) * 86400000);
    ws.addRow([
      `3610270${String(i).padStart(8, '0')}`,
      pick(SUR) + pick(GIVEN) + (r() < 0.7 ? pick(GIVEN) : ''),
      sex,
      b,
      id17 + idCheck(id17),
      villages[Math.floor(i / 2000) % villages.length],
      created,
      r() < 0.9 ? '是' : '否',
      served,
      '正常',
      doctors[i % doctors.length],
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  spawnSync('mv', [tmp, file]);
}

const sst = spawnSync('unzip', ['-l', file], { encoding: 'utf8' }).stdout.match(/(\d+)\s+\S+\s+\S+\s+xl\/sharedStrings\.xml/);
console.log(`文件 ${path.relative(root, file)}：${N} 行，共享字符串 ${sst ? (Number(sst[1]) / 2 ** 20).toFixed(1) : '?'} MB；${os.cpus().length} 核，负载 ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const builds = [['本构建', root], ...(other ? [['对比', path.resolve(other)]] : [])];
const db = path.join(dataDir, 'bench.sqlite');
/** One import (a fresh database): wall s, CPU s, peak RSS MB (GNU time), rows read. */
function run(build, t) {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const r = spawnSync('/usr/bin/time', ['-f', '@@ %e %U %S %M', process.execPath, path.join(build, 'bin/gongwei.js'), 'registers', 'import', file, '--db', db, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, GONGWEI_THREADS: t },
    maxBuffer: 1 << 28,
  });
  const m = /@@ ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`${build}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
  const s = JSON.parse(r.stdout)[0];
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), mb: Number(m[4]) / 1024, rows: s.rowsRead, detail: `新增 ${s.inserted} 拒绝 ${s.rejected}` };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const t of threads) {
  const res = builds.map(() => []);
  for (let k = 0; k < rounds; k++) for (const [i, [, dir]] of builds.entries()) res[i].push(run(dir, t));
  for (const [i, [who]] of builds.entries()) {
    const xs = res[i];
    console.log(`GONGWEI_THREADS=${t} ${who}：${median(xs.map((x) => x.wall)).toFixed(2)} s，CPU ${median(xs.map((x) => x.cpu)).toFixed(2)} s，峰值 RSS ${Math.max(...xs.map((x) => x.mb)).toFixed(0)} MB（${xs[0].rows} 行，${xs[0].detail}）`);
  }
  if (builds.length === 2) {
    const [a, b] = res;
    console.log(`  比值（本构建/对比）：时间 ${(median(a.map((x) => x.wall)) / median(b.map((x) => x.wall))).toFixed(2)}，CPU ${(median(a.map((x) => x.cpu)) / median(b.map((x) => x.cpu))).toFixed(2)}，峰值 RSS ${(Math.max(...a.map((x) => x.mb)) / Math.max(...b.map((x) => x.mb))).toFixed(2)}`);
  }
}
