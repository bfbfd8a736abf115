#!/usr/bin/env node
// Plan import benchmarks (compiled dist): the seed collections as text and as LibreOffice .docx, our .docx reader against mammoth (the usual docx → text library) in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { importPlanFile, planDraftYaml } = await dist('plan-import/index.js');
const { readSource } = await dist('plan-import/read.js');
const seeds = path.join(root, 'test', 'fixtures', 'plan-import', 'seeds');
const names = fs.readdirSync(seeds).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
const ms = (t) => `${t.toFixed(1)} ms`;
const ROUNDS = 20;

/** Median time of `rounds` runs of fn (after one warm-up run). */
async function time(fn, rounds = ROUNDS) {
  await fn();
  const ts = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)];
}

// mammoth is not a dependency: install it anywhere and point PEER_DIR at that folder (npm i --prefix /tmp/peer mammoth).
let mammoth;
for (const base of [process.env.PEER_DIR, root].filter(Boolean)) {
  try {
    mammoth = createRequire(path.join(base, 'package.json'))('mammoth');
    break;
  } catch {
    /* not there */
  }
}

console.log(`机器：${os.cpus().length} 核，负载 ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}；Node ${process.version}；每项取 ${ROUNDS} 次的中位数`);
const bytes = (f) => fs.statSync(f).size;
let totalText = 0;
let totalDocx = 0;
let plans = 0;
for (const n of names) {
  const txt = path.join(seeds, `${n}.txt`);
  const docx = path.join(seeds, `${n}.docx`);
  const tText = await time(() => {
    const r = importPlanFile(txt, { split: true });
    for (const p of r.plans) planDraftYaml(r, p);
    plans += r.plans.length;
  });
  const tDocx = await time(() => importPlanFile(docx, { split: true }));
  const tRead = await time(() => readSource(docx));
  let peer = '';
  if (mammoth) {
    const buf = fs.readFileSync(docx);
    const tPeer = await time(() => mammoth.extractRawText({ buffer: buf }));
    peer = `；同一文件 mammoth.extractRawText ${ms(tPeer)}，gongwei 只读段落 ${ms(tRead)}（${(tPeer / tRead).toFixed(1)} 倍快）`;
  }
  totalText += tText;
  totalDocx += tDocx;
  console.log(`${n}：文本 ${(bytes(txt) / 1024).toFixed(0)} KB 导入并写出草稿 ${ms(tText)}；.docx ${(bytes(docx) / 1024).toFixed(0)} KB 导入 ${ms(tDocx)}${peer}`);
}
console.log(`合计（${plans / (ROUNDS + 1)} 篇计划）：文本 ${ms(totalText)}，.docx ${ms(totalDocx)}${mammoth ? '' : '；未找到 mammoth（PEER_DIR=…），没有对照'}`);

// The whole command, as a user runs it (Node start-up included).
const { spawnSync } = await import('node:child_process');
const cli = path.join(root, 'bin', 'gongwei.js');
const runs = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'plan', 'import', path.join(seeds, `${names[0]}.docx`), '--split', '-f', 'json'], { encoding: 'utf8' });
  runs.push(performance.now() - t0);
  if (r.status !== 0) throw new Error(r.stderr);
}
console.log(`命令行 gongwei plan import（最大的合集 .docx，--split，-f json）：${ms(runs.sort((a, b) => a - b)[2])}`);
