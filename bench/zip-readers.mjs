// The xlsx zip reader (src/registers/xlsx/zip.ts) against yauzl, the well-kept npm zip reader: time to inflate one entry
// completely with its CRC-32 checked (yauzl leaves the CRC to its caller), rounds interleaved, median per reader.
// yauzl is not a dependency: npm install --prefix /tmp/yauzl-eval yauzl@3, then
// Usage: npm run build && node bench/zip-readers.mjs <file.xlsx> [--entry xl/worksheets/sheet1.xml] [--yauzl /tmp/yauzl-eval/node_modules/yauzl] [--rounds 5]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const file = process.argv[2];
if (!file || file.startsWith('--')) {
  console.error('用法：node bench/zip-readers.mjs <文件.xlsx> [--entry xl/worksheets/sheet1.xml] [--yauzl <yauzl 目录>] [--rounds 5]');
  process.exit(2);
}
const entryName = arg('entry', 'xl/worksheets/sheet1.xml');
const rounds = Number(arg('rounds', '5'));
const { ZipFile } = await import(pathToFileURL(path.join(root, 'dist/registers/xlsx/zip.js')).href);
let yauzl;
try {
  const where = arg('yauzl', '');
  yauzl = (await import(where ? pathToFileURL(path.join(path.resolve(where), 'index.js')).href : 'yauzl')).default;
} catch {
  console.error('找不到 yauzl：npm install --prefix /tmp/yauzl-eval yauzl@3，再加 --yauzl /tmp/yauzl-eval/node_modules/yauzl');
  process.exit(2);
}

async function ours() {
  const z = await ZipFile.open(file, 2 ** 40);
  let n = 0;
  for await (const chunks of z.stream(z.get(entryName))) for (const c of chunks) n += c.length;
  return n;
}

function viaYauzl() {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zf) => {
      if (err) return reject(err);
      zf.on('entry', (e) => {
        if (e.fileName !== entryName) return zf.readEntry();
        zf.openReadStream(e, (err2, rs) => {
          if (err2) return reject(err2);
          let n = 0;
          let crc = 0;
          rs.on('data', (c) => {
            n += c.length;
            crc = crc32(c, crc);
          });
          rs.on('end', () => {
            zf.close();
            if (crc !== e.crc32) reject(new Error(`${entryName}: CRC-32 不符`));
            else resolve(n);
          });
          rs.on('error', reject);
        });
      });
      zf.readEntry();
    });
  });
}

const times = { 'xlsx/zip.ts': [], yauzl: [] };
let bytes = 0;
for (let i = 0; i < rounds; i++) {
  for (const [name, read] of [['xlsx/zip.ts', ours], ['yauzl', viaYauzl]]) {
    const t = performance.now();
    bytes = await read();
    times[name].push(performance.now() - t);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const a = median(times['xlsx/zip.ts']);
const b = median(times.yauzl);
console.log(`${path.basename(file)} ${entryName}：解压 ${(bytes / 1048576).toFixed(1)} MB，${rounds} 轮中位数`);
console.log(`  xlsx/zip.ts ${a.toFixed(0)} ms（${(bytes / 1048576 / (a / 1000)).toFixed(0)} MB/s）`);
console.log(`  yauzl       ${b.toFixed(0)} ms（${(bytes / 1048576 / (b / 1000)).toFixed(0)} MB/s），为 zip.ts 的 ${(b / a).toFixed(2)} 倍用时`);
