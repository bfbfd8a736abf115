#!/usr/bin/env node
// Benchmark: `gongwei plan validate` on 1,000 plan files vs ajv-cli on the same files and schema; start-up figures.
// Usage: npm run build && node bench/validate.mjs [count=1000] [runs=5]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const dir = path.join(root, 'bench/data/plans');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const examples = readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
for (let i = 0; i < count; i++) {
  const f = examples[i % examples.length];
  copyFileSync(path.join(root, 'examples', f), path.join(dir, `${String(i).padStart(4, '0')}-${f}`));
}
// The same plans as JSON (parsed as YAML 1.2), so ajv-cli also gets a clean run to compare with.
const jsonDir = path.join(root, 'bench/data/plans-json');
rmSync(jsonDir, { recursive: true, force: true });
mkdirSync(jsonDir, { recursive: true });
const asJson = Object.fromEntries(examples.map((f) => [f, JSON.stringify(yaml.load(readFileSync(path.join(root, 'examples', f), 'utf8'), { schema: yaml.CORE_SCHEMA }))]));
for (let i = 0; i < count; i++) {
  const f = examples[i % examples.length];
  writeFileSync(path.join(jsonDir, `${String(i).padStart(4, '0')}-${f.replace(/\.yaml$/, '.json')}`), asJson[f]);
}

// The same plans with one slip each, as an office worker makes them: a Tab before a key (the file is re-read as with
// spaces to report it once), or an indicator named loosely (乙脑疫苗接种率: the suggestions of the same meaning).
const slipDirs = {};
for (const [slip, edit] of [
  ['tab', (t) => t.replace(/\n {2}(\S)/, '\n\t$1')],
  ['indicator', (t) => t.replace(/指标: [^,}\n]+/, '指标: 乙脑疫苗接种率')],
]) {
  const d = path.join(root, `bench/data/plans-${slip}`);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  for (let i = 0; i < count; i++) {
    const f = examples[i % examples.length];
    writeFileSync(path.join(d, `${String(i).padStart(4, '0')}-${f}`), edit(readFileSync(path.join(root, 'examples', f), 'utf8')));
  }
  slipDirs[slip] = d;
}

function time(cmd, args) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    last = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], best: times[0], status: last.status };
}

const node = process.execPath;
const bin = path.join(root, 'bin/gongwei.js');
const ajv = path.join(root, 'node_modules/.bin/ajv');
const rows = [
  ['gongwei --version', time(node, [bin, '--version'])],
  ['gongwei plan validate (1 个计划)', time(node, [bin, 'plan', 'validate', path.join(root, 'examples', examples[0])])],
  [`gongwei plan validate (${count} 个文件，schema + 业务规则 + 行列位置)`, time(node, [bin, 'plan', 'validate', dir])],
  [`gongwei plan validate (${count} 个文件，每个有一处行首 Tab)`, time(node, [bin, 'plan', 'validate', slipDirs.tab])],
  [`gongwei plan validate (${count} 个文件，每个有一个未知指标“乙脑疫苗接种率”)`, time(node, [bin, 'plan', 'validate', slipDirs.indicator])],
  [`ajv-cli validate (${count} 个文件，仅 schema，无位置)`, time(ajv, ['validate', '--spec=draft2020', '-c', 'ajv-formats', '--strict=false', '--all-errors', '-s', 'schemas/plan.schema.json', '-d', `${path.relative(root, dir)}/*.yaml`, '--errors=no'])],
  [`ajv-cli validate (${count} 个 JSON 副本，仅 schema)`, time(ajv, ['validate', '--spec=draft2020', '-c', 'ajv-formats', '--strict=false', '--all-errors', '-s', 'schemas/plan.schema.json', '-d', `${path.relative(root, jsonDir)}/*.json`, '--errors=no'])],
];
const w = Math.max(...rows.map(([l]) => l.length));
console.log(`gongwei validate benchmark — ${count} files, median of ${runs} runs, ${new Date().toISOString()}`);
for (const [label, r] of rows) console.log(`${label.padEnd(w + 2)} ${r.median.toFixed(0).padStart(6)} ms  (best ${r.best.toFixed(0)} ms, exit ${r.status})`);
const g = rows[2][1].median;
const a = rows[5][1].median;
const aj = rows[6][1].median;
console.log(`\ngongwei / ajv-cli(YAML) = ${(g / a).toFixed(2)}, gongwei / ajv-cli(JSON) = ${(g / aj).toFixed(2)}  (targets: ${count} files ≤ 1500 ms, faster than ajv-cli; --version and one plan ≤ 300 ms)`);
console.log(`files with one slip / clean files: Tab ${(rows[3][1].median / g).toFixed(2)}, unknown indicator ${(rows[4][1].median / g).toFixed(2)}  (the slow path with positions and explanations only runs for files with a problem)`);
console.log('note: ajv-cli reads YAML as YAML 1.1 (js-yaml), so it turns unquoted dates such as 2025-01-10 into Date objects and reports them invalid; gongwei reads YAML 1.2, where they stay text. The JSON copies avoid that and give ajv-cli a clean run (and a cheaper parser).');
