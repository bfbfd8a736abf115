// Deterministic county-scale register generator (seeded PRNG): children + 1,000,000 vaccinations, 100,000 hypertension patients
// with 400,000 follow-ups, diabetes at matching scale, population, 140,000 residents (所属村 merged down village blocks in
// the xlsx, as hand-kept rosters have it); as CSV UTF-8, CSV GB18030 and xlsx (own streaming writer).
// Usage: node bench/gen/county.mjs [--scale 1] [--formats csv,gb18030,xlsx] [--only vaccinations,hypertension_followups] [--out bench/data/county]
// Prints the files written as JSON lines {register, format, file, rows}. Existing files are kept (delete bench/data/county to regenerate).
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { prng } from './prng.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const scale = Number(arg('scale', '1'));
const formats = arg('formats', 'csv,gb18030,xlsx').split(',');
const only = arg('only', '') ? arg('only', '').split(',') : null;
const outDir = path.resolve(arg('out', path.join(root, 'bench', 'data', 'county')));
mkdirSync(outDir, { recursive: true });


const VILLAGES = ['青石村', '东溪村', '南岭村', '西坪村', '北塘村'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '明华建国志强秀英丽娟伟芳军平红玉兰海霞桂英淑珍';
const DOCTORS = ['王建华', '李秀英', '张志强', '刘芳', '陈伟'];
const DAY = 86400000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const utc = (y, m, d) => Date.UTC(y, m - 1, d);
const addMonths = (ms, n) => {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last));
};
const END = utc(2025, 12, 31);
const name = (r) => SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN[Math.floor(r() * GIVEN.length)] + (r() < 0.6 ? GIVEN[Math.floor(r() * GIVEN.length)] : '');

// Immunization schedule (name as exports write it, dose, age in months).
const SCHEDULE = [
  ['乙肝疫苗', 1, 0], ['卡介苗', 1, 0], ['乙肝疫苗', 2, 1], ['脊灰灭活疫苗', 1, 2], ['脊灰灭活疫苗', 2, 3], ['百白破疫苗', 1, 3],
  ['二价脊灰减毒活疫苗', 3, 4], ['百白破疫苗', 2, 4], ['百白破疫苗', 3, 5], ['乙肝疫苗', 3, 6], ['A群流脑多糖疫苗', 1, 6],
  ['麻腮风疫苗', 1, 8], ['乙脑减毒活疫苗', 1, 8], ['A群流脑多糖疫苗', 2, 9], ['百白破疫苗', 4, 18], ['麻腮风疫苗', 2, 18],
  ['甲肝减毒活疫苗', 1, 18], ['乙脑减毒活疫苗', 2, 24], ['A群C群流脑多糖疫苗', 1, 36], ['二价脊灰减毒活疫苗', 4, 48],
  ['A群C群流脑多糖疫苗', 2, 72], ['白破疫苗', 1, 72],
];

// Registers: header row + a row generator. Types: 'd' = date (serial in xlsx), 'n' = number, otherwise text.
const N_VACC = Math.round(1_000_000 * scale);
const N_HTN = Math.round(100_000 * scale);
const N_DM = Math.round(30_000 * scale);
const N_RES = Math.round(140_000 * scale);
/** Rows of a village block in the residents roster (所属村 merged down the block in the xlsx). */
const RES_BLOCK = 100;

function* childrenAndVaccinations(kind) {
  const r = prng(20250101);
  let vacc = 0;
  for (let c = 0; vacc < N_VACC; c++) {
    const birth = utc(2019, 1, 1) + Math.floor(r() * 7 * 365) * DAY;
    const id = `3610270${String(c).padStart(7, '0')}`;
    const child = [id, name(r), r() < 0.52 ? '男' : '女', iso(birth), VILLAGES[c % 5], iso(birth + Math.floor(r() * 30) * DAY), '在册'];
    if (kind === 'children') yield child;
    for (const [vname, dose, months] of SCHEDULE) {
      const due = addMonths(birth, months);
      const date = due + Math.floor(r() * 20) * DAY;
      if (date > END || vacc >= N_VACC) continue;
      if (r() < 0.03) continue; // missed dose
      vacc++;
      if (kind === 'vaccinations') yield [id, vname, `第${dose}剂`, iso(date), '青石镇卫生院预防接种门诊', `2025${String(Math.floor(r() * 99999)).padStart(5, '0')}`];
    }
  }
}

function* patients(seed, n, prefix) {
  const r = prng(seed);
  for (let p = 0; p < n; p++) {
    const birth = utc(1935 + Math.floor(r() * 50), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28));
    const enrolled = utc(2015 + Math.floor(r() * 10), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28));
    yield [`${prefix}${String(p).padStart(8, '0')}`, name(r), r() < 0.5 ? '男' : '女', iso(birth), VILLAGES[p % 5], iso(enrolled), r() < 0.95 ? '在管' : '迁出', DOCTORS[p % 5]];
  }
}

function* followups(seed, n, prefix, diabetes) {
  const r = prng(seed);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < 4; q++) {
      const date = utc(2025, q * 3 + 1 + Math.floor(r() * 3), 1 + Math.floor(r() * 28));
      const sbp = 105 + Math.floor(r() * 55);
      const dbp = 62 + Math.floor(r() * 33);
      const row = [`${prefix}${String(p).padStart(8, '0')}`, iso(date), ['门诊', '家庭', '电话'][Math.floor(r() * 3)], sbp, dbp];
      if (diabetes) row.push(Math.round((4 + r() * 8) * 10) / 10);
      row.push(sbp < 140 && dbp < 90 ? '控制满意' : '控制不满意', iso(date + 90 * DAY), DOCTORS[p % 5]);
      yield row;
    }
  }
}

/** A valid 18-digit ID number for a birth date (GB 11643 check character). */
function idNumber(r, birthMs) {
  const first17 = `361027${iso(birthMs).replace(/-/g, '')}${String(Math.floor(r() * 1000)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[sum % 11];
}

function* residents() {
  const r = prng(31);
  for (let p = 0; p < N_RES; p++) {
    const birth = utc(1935 + Math.floor(r() * 85), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28));
    const created = Math.max(birth + 30 * DAY, utc(2012 + Math.floor(r() * 13), 1 + Math.floor(r() * 12), 1 + Math.floor(r() * 28)));
    const village = VILLAGES[Math.floor(p / RES_BLOCK) % 5];
    yield [`R${String(p).padStart(9, '0')}`, name(r), r() < 0.5 ? '男' : '女', iso(birth), idNumber(r, birth), village, iso(created), r() < 0.9 ? '是' : '否', iso(created + Math.floor(r() * 300) * DAY), r() < 0.97 ? '正常' : '迁出', DOCTORS[p % 5]];
  }
}

function* population() {
  const r = prng(7);
  for (const year of [2024, 2025]) {
    for (let v = 0; v < 200 * Math.max(1, Math.round(scale)); v++) {
      const pop = 1500 + Math.floor(r() * 3000);
      yield [year, v < 5 ? VILLAGES[v] : `第${v}村`, pop, Math.round(pop * 1.05), Math.round(pop * 0.08), Math.round(pop * 0.16), Math.round(pop * 0.01), Math.round(pop * 0.78), Math.round(pop * 0.78 * 0.25), Math.round(pop * 0.78 * 0.08)];
    }
  }
}

const PATIENT_HEAD = ['档案编号', '姓名', '性别', '出生日期', '所属村', '纳入管理日期', '管理状态', '责任医生'];
const PATIENT_TYPES = ['t', 't', 't', 'd', 't', 'd', 't', 't'];
const REGISTERS = {
  population: {
    file: '人口基础数据',
    title: '临川县2024—2025年人口基础数据',
    head: ['年度', '行政村', '常住人口', '户籍人口', '0-6岁儿童数', '65岁及以上人口', '活产数', '18岁及以上人口', '高血压估算患者数', '糖尿病估算患者数'],
    types: ['n', 't', 'n', 'n', 'n', 'n', 'n', 'n', 'n', 'n'],
    rows: population,
  },
  children: {
    file: '儿童花名册',
    title: '临川县儿童花名册（预防接种卡）',
    head: ['儿童编号', '姓名', '性别', '出生日期', '所属村', '建卡日期', '在册状态'],
    types: ['t', 't', 't', 'd', 't', 'd', 't'],
    rows: () => childrenAndVaccinations('children'),
  },
  vaccinations: {
    file: '预防接种记录',
    title: null,
    head: ['儿童编号', '疫苗名称', '剂次', '接种日期', '接种单位', '疫苗批号'],
    types: ['t', 't', 't', 'd', 't', 't'],
    rows: () => childrenAndVaccinations('vaccinations'),
  },
  hypertension_patients: { file: '高血压患者管理名册', title: '临川县高血压患者管理名册', head: PATIENT_HEAD, types: PATIENT_TYPES, rows: () => patients(11, N_HTN, 'H') },
  hypertension_followups: {
    file: '高血压患者随访记录',
    title: '临川县高血压患者随访登记表',
    head: ['档案编号', '随访日期', '随访方式', '收缩压(mmHg)', '舒张压(mmHg)', '此次随访分类', '下次随访日期', '随访医生'],
    types: ['t', 'd', 't', 'n', 'n', 't', 'd', 't'],
    rows: () => followups(12, N_HTN, 'H', false),
  },
  residents: {
    file: '居民健康档案',
    title: '临川县居民健康档案花名册',
    head: ['档案编号', '姓名', '性别', '出生日期', '身份证号', '所属村', '建档日期', '是否电子档案', '最近服务日期', '档案状态', '责任医生'],
    types: ['t', 't', 't', 'd', 't', 't', 'd', 't', 'd', 't', 't'],
    rows: residents,
    /** xlsx: this column is merged down each block of RES_BLOCK rows (only the first row of a block holds the value). */
    mergeColumn: 5,
  },
  diabetes_patients: { file: '2型糖尿病患者管理名册', title: '临川县2型糖尿病患者管理名册', head: PATIENT_HEAD, types: PATIENT_TYPES, rows: () => patients(21, N_DM, 'D') },
  diabetes_followups: {
    file: '2型糖尿病患者随访记录',
    title: '临川县2型糖尿病患者随访登记表',
    head: ['档案编号', '随访日期', '随访方式', '收缩压(mmHg)', '舒张压(mmHg)', '空腹血糖(mmol/L)', '此次随访分类', '下次随访日期', '随访医生'],
    types: ['t', 'd', 't', 'n', 'n', 'n', 't', 'd', 't'],
    rows: () => followups(22, N_DM, 'D', true),
  },
};

const csvCell = (v) => (v === null || v === undefined ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

async function writeCsv(file, reg, gb18030) {
  const tmp = file + '.part';
  const out = createWriteStream(tmp);
  let buf = [];
  let rows = 0;
  const flush = async () => {
    const text = buf.join('\r\n') + '\r\n';
    buf = [];
    if (!out.write(gb18030 ? iconv.encode(text, 'gb18030') : text)) await new Promise((r) => out.once('drain', r));
  };
  if (reg.title) buf.push(csvCell(reg.title));
  buf.push(reg.head.map(csvCell).join(','));
  for (const row of reg.rows()) {
    buf.push(row.map(csvCell).join(','));
    rows++;
    if (buf.length >= 20000) await flush();
  }
  await flush();
  await new Promise((r) => out.end(r));
  renameSync(tmp, file);
  return rows;
}

// Minimal streaming xlsx writer: inline strings, numbers, dates as 1900-system serials with a yyyy-mm-dd style.
const xmlEsc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const colName = (i) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));
const EPOCH = utc(1899, 12, 30);

async function writeXlsx(file, reg, sheetName) {
  const tmp = file + '.part';
  const out = createWriteStream(tmp);
  let pending = Promise.resolve();
  let done;
  const finished = new Promise((r) => (done = r));
  const zip = new Zip((err, chunk, final) => {
    if (err) throw err;
    if (!out.write(chunk)) pending = new Promise((r) => out.once('drain', r));
    if (final) out.end(done);
  });
  const add = (name, text) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  add('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>');
  add('_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  add('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlEsc(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`);
  add('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>');
  add('xl/styles.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>');
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  let r = 0;
  let parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  const textRow = (cells) => {
    r++;
    parts.push(`<row r="${r}">` + cells.map((v, i) => `<c r="${colName(i)}${r}" t="inlineStr"><is><t>${xmlEsc(String(v))}</t></is></c>`).join('') + '</row>');
  };
  if (reg.title) textRow([reg.title]);
  textRow(reg.head);
  let rows = 0;
  const merges = [];
  for (const row of reg.rows()) {
    r++;
    rows++;
    let x = `<row r="${r}">`;
    const blockStart = reg.mergeColumn !== undefined && (rows - 1) % RES_BLOCK === 0;
    if (blockStart) merges.push(`${colName(reg.mergeColumn)}${r}:${colName(reg.mergeColumn)}${r + RES_BLOCK - 1}`);
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null || v === undefined || v === '') continue;
      if (i === reg.mergeColumn && !blockStart) continue;
      const ref = colName(i) + r;
      const t = reg.types[i];
      if (t === 'd') {
        const [y, m, d] = v.split('-').map(Number);
        x += `<c r="${ref}" s="1"><v>${(utc(y, m, d) - EPOCH) / DAY}</v></c>`;
      } else if (t === 'n') x += `<c r="${ref}"><v>${v}</v></c>`;
      else x += `<c r="${ref}" t="inlineStr"><is><t>${xmlEsc(String(v))}</t></is></c>`;
    }
    parts.push(x + '</row>');
    if (parts.length >= 5000) {
      sheet.push(strToU8(parts.join('')));
      parts = [];
      await pending;
    }
  }
  parts.push('</sheetData>');
  if (merges.length) parts.push(`<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`);
  parts.push('</worksheet>');
  sheet.push(strToU8(parts.join('')), true);
  zip.end();
  await finished;
  renameSync(tmp, file);
  return rows;
}

for (const [id, reg] of Object.entries(REGISTERS)) {
  if (only && !only.includes(id)) continue;
  for (const fmt of formats) {
    const suffix = fmt === 'csv' ? '.csv' : fmt === 'gb18030' ? '.gb18030.csv' : '.xlsx';
    const file = path.join(outDir, `${reg.file}-${scale}${suffix}`);
    if (existsSync(file)) {
      console.log(JSON.stringify({ register: id, format: fmt, file, existed: true }));
      continue;
    }
    const t = performance.now();
    const rows = fmt === 'xlsx' ? await writeXlsx(file, reg, reg.file) : await writeCsv(file, reg, fmt === 'gb18030');
    console.log(JSON.stringify({ register: id, format: fmt, file, rows, seconds: +((performance.now() - t) / 1000).toFixed(1) }));
  }
}
