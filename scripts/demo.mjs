#!/usr/bin/env node
// The whole flow on the bundled examples in one command: import registers, compute 2025, render plan, summary and assessment.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'gongwei.js');
const out = path.join(root, 'out');
const db = path.join(out, 'demo.sqlite');
const period = '2025';
const rel = (f) => path.relative(process.cwd(), f) || '.';

function step(title, args, { quiet = false } = {}) {
  process.stdout.write(`\n▶ ${title}\n  gongwei ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  if (!quiet && r.stdout) process.stdout.write(r.stdout.replace(/^/gm, '  '));
  if (r.stderr) process.stderr.write(r.stderr.replace(/^/gm, '  '));
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(`\n演示中断：上一步失败（退出码 ${r.status}）。\n`);
    process.exit(r.status ?? 2);
  }
  return r;
}

/** The example plans by 文档类型 (read from the file's first lines, no YAML parser needed). */
function examplePlans() {
  const dir = path.join(root, 'examples');
  const plans = {};
  for (const f of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const kind = /^文档类型\s*:\s*(\S+)/m.exec(text)?.[1];
    const unit = /^单位\s*:\s*(\S+)/m.exec(text)?.[1] ?? '';
    if (kind) (plans[kind] ??= []).push({ file: path.join(dir, f), unit });
  }
  return plans;
}

if (!fs.existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('尚未编译：请先运行 npm run build（npm install 会自动编译）。\n');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(db + suffix, { force: true });

const registersDir = path.join(root, 'examples', 'registers');
const registers = fs.existsSync(registersDir)
  ? fs.readdirSync(registersDir).filter((f) => /\.(xlsx|csv)$/i.test(f)).sort().map((f) => path.join(registersDir, f))
  : [];
if (!registers.length) {
  process.stderr.write('examples/registers/ 中没有示例登记表（可用 npm run examples:data 生成）。\n');
  process.exit(2);
}
const plans = examplePlans();
const annual = (plans['年度工作计划'] ?? []).find((p) => p.unit.includes('卫生院')) ?? plans['年度工作计划']?.[0];
const scheme = plans['考核方案']?.[0];
const files = [];

step(`导入 ${registers.length} 个示例登记表到 ${rel(db)}`, ['registers', 'import', ...registers.map(rel), '--db', rel(db)]);
step(`计算 ${period} 年各项指标`, ['indicators', 'compute', '--db', rel(db), '--period', period, ...(annual ? ['--plan', rel(annual.file)] : [])]);

if (annual) {
  const base = path.join(out, path.basename(annual.file).replace(/\.ya?ml$/, ''));
  for (const format of ['docx', 'html']) {
    step(`生成年度工作计划（${format.toUpperCase()}）`, ['plan', 'render', rel(annual.file), '--format', format, '-o', rel(`${base}.${format}`)]);
    files.push(`${base}.${format}`);
  }
  for (const format of ['docx', 'html']) {
    const f = `${base}.${period}工作总结.${format}`;
    step(`生成 ${period} 年工作总结（${format.toUpperCase()}）`, ['plan', 'render', rel(annual.file), '--summary', '--db', rel(db), '--period', period, '--format', format, '-o', rel(f)]);
    files.push(f);
  }
} else {
  process.stderr.write('examples/ 中没有“年度工作计划”示例，跳过计划与总结。\n');
}

for (const p of plans['实施方案'] ?? []) {
  const f = path.join(out, path.basename(p.file).replace(/\.ya?ml$/, '.docx'));
  step('生成实施方案（DOCX）', ['plan', 'render', rel(p.file), '--format', 'docx', '-o', rel(f)]);
  files.push(f);
}

if (scheme) {
  step(`${period} 年绩效考核（表格）`, ['plan', 'assess', rel(scheme.file), '--db', rel(db), '--period', period]);
  const f = path.join(out, path.basename(scheme.file).replace(/\.ya?ml$/, `.${period}考核结果.docx`));
  step(`${period} 年绩效考核结果（DOCX）`, ['plan', 'assess', rel(scheme.file), '--db', rel(db), '--period', period, '--format', 'docx', '-o', rel(f)]);
  files.push(f);
}

process.stdout.write('\n完成。生成的文件：\n');
for (const f of [db, ...files]) {
  const size = fs.existsSync(f) ? `${Math.max(1, Math.round(fs.statSync(f).size / 1024))} KB` : '未生成';
  process.stdout.write(`  ${rel(f)}  (${size})\n`);
}
process.stdout.write('\n用 Word / WPS / LibreOffice 打开 .docx，用浏览器打开 .html（可直接打印为 A4）。\n');
