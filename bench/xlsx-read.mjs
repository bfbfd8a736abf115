// Benchmark: gongwei's streaming xlsx reader vs exceljs's streaming reader on the same file (rows/s, peak RSS of each in its own process).
// Usage: npm run build && node bench/xlsx-read.mjs [rows=200000] [file.xlsx]
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.argv[2] ?? 200000);
const dataDir = path.join(root, 'bench', 'data', 'xlsx');
mkdirSync(dataDir, { recursive: true });
const file = process.argv[3] ? path.resolve(process.argv[3]) : path.join(dataDir, `followups-${N}.xlsx`);

// Deterministic 8-column hypertension follow-up sheet with a title row, Chinese text and dates (exceljs WorkbookWriter).
if (!existsSync(file)) {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('随访');
  ws.addRow(['青石镇卫生院高血压患者随访登记表']).commit();
  ws.addRow(['档案编号', '随访日期', '随访方式', '收缩压(mmHg)', '舒张压(mmHg)', '此次随访分类', '下次随访日期', '随访医生']).commit();
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const villages = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村'];
  for (let i = 0; i < N; i++) {
    const d = new Date(Date.UTC(2025, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28)));
    const sbp = 110 + Math.floor(rnd() * 50);
    const row = ws.addRow([String(430102000000 + Math.floor(i / 4)), d, ['门诊', '家庭', '电话'][i % 3], sbp, 65 + Math.floor(rnd() * 30), sbp < 140 ? '控制满意' : '控制不满意', null, `${villages[i % 5]}李医生`]);
    row.getCell(2).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

const readers = {
  gongwei: `
    const { openWorkbook } = await import(${JSON.stringify(path.join(root, 'dist/registers/xlsx-reader.js'))});
    const wb = await openWorkbook(FILE);
    let n = 0;
    for (const s of wb.sheets) for await (const r of wb.rows(s.name)) n++;
    return n;`,
  'exceljs 流式': `
    const ExcelJS = (await import('exceljs')).default;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(FILE, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' });
    let n = 0;
    for await (const ws of reader) for await (const r of ws) n++;
    return n;`,
};

console.log(`文件 ${path.relative(root, file)}；${os.cpus().length} 核，负载 ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [name, body] of Object.entries(readers)) {
  const script = `const FILE = ${JSON.stringify(file)}; const t = performance.now(); const n = await (async () => {${body}})();
    console.log(JSON.stringify({ n, ms: performance.now() - t, rss: process.resourceUsage().maxRSS / 1024 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.log(`${name}: 失败 ${r.stderr.split('\n')[0]}`);
    continue;
  }
  const { n, ms, rss } = JSON.parse(r.stdout.trim().split('\n').pop());
  console.log(`${name.padEnd(14)} ${String(n).padStart(8)} 行  ${(ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(n / (ms / 1000)).toString().padStart(8)} 行/秒  峰值 RSS ${Math.round(rss)} MB`);
}
