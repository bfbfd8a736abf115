#!/usr/bin/env node
// Deterministic example registers for the fictional 青石镇 (2025), in the shapes real exports have: `npm run examples:data`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'examples', 'registers'));
const YEAR = 2025;

// ---------- deterministic randomness and calendar helpers ----------
let seed = 20250101;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const DAY = 86400000;
const d = (s) => Date.parse(s + 'T00:00:00Z');
const iso = (t) => new Date(t).toISOString().slice(0, 10);
const addDays = (s, n) => iso(d(s) + n * DAY);
function addMonths(s, months) {
  const [y, m, dd] = s.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(dd, last)).padStart(2, '0')}`;
}
const randDate = (from, to) => iso(d(from) + int(0, Math.round((d(to) - d(from)) / DAY)) * DAY);
const ageOn = (birth, on) => {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, dd] = on.split('-').map(Number);
  return y - by - (m * 100 + dd < bm * 100 + bd ? 1 : 0);
};
const utc = (s) => new Date(d(s));

// ---------- people ----------
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅玉兰德福春花冬梅小龙晓东晓燕文博子涵浩然雨桐欣怡梓萱一诺宇轩佳怡思远'.match(/.{1,2}/g);
const personName = () => pick(SURNAMES) + pick(GIVEN);
const AREA = '361027';
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let idSeq = 100;
function idNumber(birth, sex) {
  idSeq = (idSeq % 998) + 1;
  let seq = String(idSeq).padStart(3, '0');
  const odd = sex === '男';
  if ((Number(seq[2]) % 2 === 1) !== odd) seq = seq.slice(0, 2) + String((Number(seq[2]) + 1) % 10);
  const body = AREA + birth.replaceAll('-', '') + seq;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * W[i], 0);
  return body + '10X98765432'[sum % 11];
}

const VILLAGES = [
  { name: '青石村', doctor: '王建华', size: 420, quality: 0.9 },
  { name: '东溪村', doctor: '李秀英', size: 380, quality: 0.8 },
  { name: '南岭村', doctor: '张志强', size: 360, quality: 0.7 },
  { name: '西坪村', doctor: '刘海燕', size: 330, quality: 0.85 },
  { name: '北塘村', doctor: '陈德福', size: 400, quality: 0.65 },
];

// ---------- the 2021 schedule (as the catalogue has it) ----------
const SCHEDULE = [
  ['乙肝疫苗', 1, { days: 0 }], ['卡介苗', 1, { days: 0 }], ['乙肝疫苗', 2, { months: 1 }],
  ['脊灰灭活疫苗', 1, { months: 2 }], ['脊灰灭活疫苗', 2, { months: 3 }], ['百白破疫苗', 1, { months: 3 }],
  ['二价脊灰减毒活疫苗', 3, { months: 4 }], ['百白破疫苗', 2, { months: 4 }], ['百白破疫苗', 3, { months: 5 }],
  ['乙肝疫苗', 3, { months: 6 }], ['A群流脑多糖疫苗', 1, { months: 6 }], ['麻腮风疫苗', 1, { months: 8 }],
  ['乙脑减毒活疫苗', 1, { months: 8 }], ['A群流脑多糖疫苗', 2, { months: 9 }], ['百白破疫苗', 4, { months: 18 }],
  ['麻腮风疫苗', 2, { months: 18 }], ['甲肝减毒活疫苗', 1, { months: 18 }], ['乙脑减毒活疫苗', 2, { months: 24 }],
  ['A群C群流脑多糖疫苗', 1, { months: 36 }], ['脊灰减毒活疫苗', 4, { months: 48 }], ['白破疫苗', 1, { months: 72 }],
  ['A群C群流脑多糖疫苗', 2, { months: 72 }],
];
const dueOf = (birth, age) => (age.days !== undefined ? addDays(birth, age.days) : addMonths(birth, age.months));

// ---------- generate ----------
const END = `${YEAR}-12-31`;
const population = [];
const residents = [];
const children = [];
const vaccinations = [];
const childVisits = [];
const maternal = [];
const elderly = [];
const patients = { hypertension: [], diabetes: [], mental: [] };
const followups = { hypertension: [], diabetes: [], mental: [] };
let recordNo = 0;
let childNo = 0;
let motherNo = 0;

for (const [vi, v] of VILLAGES.entries()) {
  const vcode = String(vi + 1).padStart(2, '0');
  let kids06 = 0;
  let old65 = 0;
  let adults = 0;
  for (let i = 0; i < v.size; i++) {
    const r = rand();
    const age = r < 0.08 ? int(0, 6) : r < 0.2 ? int(7, 17) : r < 0.84 ? int(18, 64) : int(65, 92);
    const birth = age <= 6 ? randDate(`${YEAR - age - 1}-01-01`, `${YEAR - age}-12-31`) : randDate(`${YEAR - age}-01-01`, `${YEAR - age}-12-31`);
    const sex = chance(0.5) ? '男' : '女';
    const name = personName();
    const id = idNumber(birth, sex);
    recordNo++;
    const recordId = `3610270${vcode}${String(recordNo).padStart(5, '0')}`;
    if (ageOn(birth, END) >= 18) adults++;
    const status = chance(0.015) ? '死亡' : chance(0.02) ? '迁出' : '正常';
    if (chance(0.9 + 0.08 * v.quality) && birth <= END) {
      residents.push({ recordId, name, sex, birth, id, village: v.name, created: randDate('2016-01-01', `${YEAR}-11-30`) > birth ? randDate(birth > '2016-01-01' ? birth : '2016-01-01', `${YEAR}-11-30`) : addDays(birth, 30), electronic: chance(0.93) ? '是' : '否', lastService: chance(0.5 + 0.3 * v.quality) ? randDate(`${YEAR}-01-01`, `${YEAR}-12-20`) : randDate('2022-01-01', `${YEAR - 1}-12-31`), status, doctor: v.doctor });
    }
    const a = ageOn(birth, END);
    if (a >= 65) {
      old65++;
      if (chance(0.55 + 0.3 * v.quality)) {
        elderly.push({ recordId, name, birth, village: v.name, exam: randDate(`${YEAR}-03-01`, `${YEAR}-10-31`), complete: chance(0.95) ? '是' : '否', guidance: pick(['低盐低脂饮食', '适量运动', '定期监测血压', '戒烟限酒']), tcm: chance(0.85) ? '是' : '否', doctor: v.doctor });
      }
    }
    // Chronic disease patients among adults.
    for (const [kind, p] of [['hypertension', a >= 35 ? 0.2 : 0.02], ['diabetes', a >= 35 ? 0.07 : 0.005], ['mental', 0.005]]) {
      if (a < 18 || !chance(p)) continue;
      const enrolled = chance(0.8) ? randDate('2018-01-01', `${YEAR - 1}-12-31`) : randDate(`${YEAR}-01-01`, `${YEAR}-10-31`);
      const ended = chance(0.05) ? randDate(enrolled > `${YEAR}-01-01` ? enrolled : `${YEAR}-01-01`, `${YEAR}-11-30`) : null;
      const pstatus = ended ? pick(['死亡', '迁出', '失访']) : '在管';
      const pid = `${recordId}${kind === 'hypertension' ? 'G' : kind === 'diabetes' ? 'T' : 'J'}`;
      patients[kind].push({ pid, name, sex, birth, id, village: v.name, diagnosed: addDays(enrolled, -int(0, 30)), enrolled, status: pstatus, ended, doctor: v.doctor, diagnosis: kind === 'mental' ? pick(['精神分裂症', '双相情感障碍', '偏执性精神病']) : undefined });
      const start = enrolled > `${YEAR}-01-01` ? enrolled : `${YEAR}-01-01`;
      const stop = ended ?? `${YEAR}-12-20`;
      const diligence = 0.8 + 0.18 * v.quality;
      for (let q = 0; q < 4; q++) {
        const qs = `${YEAR}-${String(q * 3 + 1).padStart(2, '0')}-01`;
        const qe = addDays(addMonths(qs, 3), -1);
        const from = qs > start ? qs : start;
        const to = qe < stop ? qe : stop;
        if (from > to || !chance(diligence)) continue;
        const date = randDate(from, to);
        const method = chance(0.05) ? '电话' : chance(0.6) ? '门诊' : '家庭';
        if (kind === 'mental') {
          followups.mental.push({ pid, date, method, condition: chance(0.85) ? '稳定' : chance(0.6) ? '基本稳定' : '不稳定', doctor: v.doctor });
        } else {
          const controlled = chance(0.45 + 0.35 * v.quality);
          const sbp = controlled ? int(112, 138) : int(141, 172);
          const dbp = controlled ? int(68, 88) : int(86, 102);
          const fbg = kind === 'diabetes' ? (controlled ? int(48, 69) / 10 : int(71, 125) / 10) : undefined;
          followups[kind].push({ pid, date, method, sbp, dbp, fbg, cls: controlled ? '控制满意' : '控制不满意', next: addDays(date, 90), doctor: v.doctor });
        }
      }
    }
  }
  // Children 0-6 (and a few born in the year), with vaccinations and visits.
  const nKids = Math.round(v.size * 0.085);
  for (let k = 0; k < nKids; k++) {
    const age = k < 5 ? 0 : int(0, 6);
    const birth = age === 0 ? randDate(`${YEAR}-01-01`, `${YEAR}-11-30`) : randDate(`${YEAR - age}-01-01`, `${YEAR - age}-12-31`);
    const sex = chance(0.52) ? '男' : '女';
    childNo++;
    const childId = `36102701${vcode}${String(childNo).padStart(4, '0')}`;
    const moved = chance(0.04);
    const status = moved ? '迁出' : '在册';
    const statusDate = moved ? randDate(addDays(birth, 60) < `${YEAR}-01-01` ? `${YEAR}-01-01` : addDays(birth, 60), `${YEAR}-12-15`) : null;
    const residentSince = chance(0.1) ? randDate(addDays(birth, 30), `${YEAR}-10-31`) : null;
    const cert = chance(0.93 + 0.06 * v.quality) ? addDays(birth, int(1, 40)) : null;
    const child = { childId, name: personName().slice(0, 1) + pick(GIVEN), sex, birth, id: idNumber(birth, sex), village: v.name, card: addDays(birth, int(1, 30)), cert: cert && cert <= END ? cert : null, residentSince: residentSince && residentSince <= END ? residentSince : null, status, statusDate, doctor: v.doctor };
    children.push(child);
    if (ageOn(birth, END) < 7 && status === '在册') kids06++;
    for (const [vaccine, dose, age0] of SCHEDULE) {
      const due = dueOf(birth, age0);
      if (due > END) continue;
      if (!chance(0.9 + 0.09 * v.quality)) continue;
      let date;
      if (age0.days === 0) date = addDays(birth, chance(0.93) ? 0 : chance(0.6) ? 1 : int(2, 5));
      else date = addDays(due, chance(0.85) ? int(0, 25) : int(32, 90));
      if (date > END) continue;
      vaccinations.push({ childId, vaccine, dose, date, unit: '青石镇卫生院预防接种门诊', batch: `20${int(23, 25)}${String(int(1, 12)).padStart(2, '0')}${int(100, 999)}` });
    }
    if (k === 3 && vi < 2) vaccinations.push({ childId, vaccine: '水痘减毒活疫苗', dose: 1, date: addMonths(birth, 12) > END ? birth : addMonths(birth, 12), unit: '青石镇卫生院预防接种门诊', batch: '202405123' });
    // Newborn visit, then health checks.
    if (birth >= `${YEAR}-01-01` && chance(0.8 + 0.18 * v.quality)) childVisits.push({ childId, date: addDays(birth, int(3, chance(0.9) ? 25 : 35)), type: '新生儿访视', doctor: v.doctor });
    if (birth < `${YEAR}-06-01` && ageOn(birth, END) < 7 && chance(0.7 + 0.25 * v.quality)) {
      const date = randDate(addDays(birth, 40) > `${YEAR}-01-01` ? addDays(birth, 40) : `${YEAR}-01-01`, `${YEAR}-12-20`);
      childVisits.push({ childId, date, type: pick(['3月龄', '6月龄', '8月龄', '12月龄', '18月龄', '24月龄', '3岁', '4岁', '5岁', '6岁']), doctor: v.doctor });
    }
  }
  // Deliveries in the year (and a few in the previous year).
  const nDeliveries = Math.round(v.size * 0.011) + 1;
  for (let k = 0; k < nDeliveries; k++) {
    motherNo++;
    const delivery = randDate(`${YEAR}-01-05`, `${YEAR}-12-10`);
    const lmp = addDays(delivery, -int(266, 287));
    const booking = addDays(lmp, chance(0.75 + 0.2 * v.quality) ? int(45, 90) : int(91, 120));
    const discharge = chance(0.9) ? addDays(delivery, int(2, 5)) : null;
    const base = discharge ?? delivery;
    const visit = chance(0.85 + 0.1 * v.quality) ? addDays(base, int(3, 26)) : chance(0.5) ? addDays(base, int(29, 40)) : null;
    const birth = randDate('1988-01-01', '2001-12-31');
    maternal.push({ motherId: `MC${YEAR}${vcode}${String(motherNo).padStart(3, '0')}`, name: personName(), birth, village: v.name, lmp, booking, prenatal: int(5, 12), delivery, discharge, visit: visit && visit <= END ? visit : null, d42: addDays(delivery, 42) <= END ? addDays(delivery, int(42, 50)) : null, doctor: v.doctor });
  }
  const estH = Math.round(adults * 0.18);
  population.push({ year: YEAR, village: v.name, resident: v.size, registered: v.size + int(20, 60), kids06: kids06 + int(0, 2), old65, births: Math.round(v.size * 0.011) + 1, adults, estH, estD: Math.round(adults * 0.065), estS: Math.max(1, Math.round(v.size * 0.0045)) });
  population.push({ year: YEAR - 1, village: v.name, resident: v.size - int(0, 10), registered: v.size + int(20, 60), kids06: kids06 + int(-2, 2), old65: old65 - int(0, 3), births: Math.round(v.size * 0.012), adults: adults - int(0, 5), estH: Math.round(adults * 0.18), estD: Math.round(adults * 0.065), estS: Math.max(1, Math.round(v.size * 0.0045)) });
}

// Infectious disease report cards and health education activities.
const DISEASES = [['肺结核', '乙类'], ['乙型病毒性肝炎', '乙类'], ['手足口病', '丙类'], ['流行性感冒', '丙类'], ['其它感染性腹泻病', '丙类'], ['梅毒', '乙类'], ['肺炭疽', '乙类按甲类管理'], ['细菌性痢疾', '乙类']];
const infectious = [];
for (let k = 1; k <= 28; k++) {
  const [disease, category] = k === 9 ? DISEASES[6] : pick(DISEASES.filter((x) => x[1] !== '乙类按甲类管理'));
  const day = randDate(`${YEAR}-01-03`, `${YEAR}-12-20`);
  const diagnosed = `${day} ${String(int(8, 17)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`;
  const limitMin = category === '乙类按甲类管理' ? 120 : 1440;
  const delay = k % 11 === 0 ? limitMin + int(30, 600) : int(10, limitMin - 5);
  const rt = new Date(Date.parse(diagnosed.replace(' ', 'T') + ':00Z') + delay * 60000).toISOString();
  infectious.push({ card: `${YEAR}${String(k).padStart(4, '0')}`, disease, category, diagnosed, reported: `${rt.slice(0, 10)} ${rt.slice(11, 16)}`, online: k % 14 === 0 ? '否' : '是', village: pick(VILLAGES).name });
}
const education = [];
const TOPICS = ['高血压防治', '糖尿病饮食指导', '儿童预防接种', '结核病防治', '合理用药', '老年人防跌倒', '心理健康', '中医养生', '传染病预防', '孕期保健', '控烟限酒', '食品安全'];
for (let m = 1; m <= 12; m++) {
  const mm = String(m).padStart(2, '0');
  education.push({ date: `${YEAR}-${mm}-${String(int(5, 25)).padStart(2, '0')}`, type: '讲座', topic: TOPICS[m - 1], people: int(25, 80), materials: null, village: VILLAGES[m % 5].name });
  if (m % 4 !== 2) education.push({ date: `${YEAR}-${mm}-${String(int(5, 25)).padStart(2, '0')}`, type: '咨询', topic: `${TOPICS[(m + 3) % 12]}义诊咨询`, people: int(60, 200), materials: null, village: VILLAGES[(m + 1) % 5].name });
  if (m % 2 === 0) education.push({ date: `${YEAR}-${mm}-${String(int(5, 25)).padStart(2, '0')}`, type: '发放资料', topic: `${TOPICS[(m + 5) % 12]}宣传资料`, people: null, materials: int(150, 400), village: VILLAGES[(m + 2) % 5].name });
  if (m % 3 === 0) education.push({ date: `${YEAR}-${mm}-01`, type: '宣传栏', topic: `${TOPICS[(m + 7) % 12]}专栏`, people: null, materials: null, village: '青石村' });
}

// ---------- writers ----------
const TEXT_DATE_FORMS = [(s) => s.replaceAll('-', '/').replace(/\/0/g, '/'), (s) => `${+s.slice(0, 4)}年${+s.slice(5, 7)}月${+s.slice(8, 10)}日`, (s) => s.replaceAll('-', ''), (s) => s.replaceAll('-', '.')];
const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
function writeCsv(file, headers, rows, { encoding = 'utf8', bom = false, title } = {}) {
  const lines = [];
  if (title) lines.push(csvCell(title));
  lines.push(headers.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(',')));
  const text = lines.join('\r\n') + '\r\n';
  const buf = encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from((bom ? '\ufeff' : '') + text, 'utf8');
  fs.writeFileSync(path.join(outDir, file), buf);
}
async function writeXlsx(file, sheet, headers, rows, { title, subtitle, total, dateCols = [], widths } = {}) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gongwei examples';
  wb.created = wb.modified = new Date(Date.UTC(YEAR + 1, 0, 5));
  const ws = wb.addWorksheet(sheet);
  let r = 1;
  if (title) {
    ws.getCell(r, 1).value = title;
    ws.mergeCells(r, 1, r, headers.length);
    ws.getCell(r, 1).font = { bold: true, size: 14 };
    ws.getCell(r, 1).alignment = { horizontal: 'center' };
    r++;
  }
  if (subtitle) {
    ws.getCell(r, 1).value = subtitle;
    ws.mergeCells(r, 1, r, headers.length);
    r++;
  }
  headers.forEach((h, i) => {
    ws.getCell(r, i + 1).value = h;
    ws.getCell(r, i + 1).font = { bold: true };
    ws.getCell(r, i + 1).alignment = { wrapText: true };
    ws.getColumn(i + 1).width = widths?.[i] ?? Math.max(10, h.length * 2 + 2);
  });
  r++;
  for (const row of rows) {
    row.forEach((v, i) => {
      const c = ws.getCell(r, i + 1);
      if (dateCols.includes(i) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
        c.value = utc(v);
        c.numFmt = 'yyyy-mm-dd';
      } else c.value = v ?? null;
    });
    r++;
  }
  if (total) {
    ws.getCell(r, 1).value = '合计';
    total.forEach(([col, v]) => (ws.getCell(r, col + 1).value = v));
    r++;
  }
  ws.getCell(r + 1, 1).value = '填表说明：本表由青石镇卫生院公卫办汇总，数据截至2025年12月31日。';
  await wb.xlsx.writeFile(path.join(outDir, file));
}

fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) if (/\.(xlsx|csv)$/i.test(f)) fs.rmSync(path.join(outDir, f));
const UNIT = '青石镇卫生院';
const sum = (rows, k) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
const pop25 = population.filter((p) => p.year === YEAR);

await writeXlsx('2025年人口基础数据.xlsx', '人口', ['年度', '行政村', '常住人口', '户籍人口', '0-6岁儿童数', '65岁及以上人口', '活产数', '18岁及以上人口', '高血压估算患者数', '糖尿病估算患者数', '严重精神障碍估算患者数'],
  population.map((p) => [p.year, p.village, p.resident, p.registered, p.kids06, p.old65, p.births, p.adults, p.estH, p.estD, p.estS]),
  { title: `${UNIT}辖区基础人口数据`, subtitle: '填报单位：青石镇卫生院公卫办    填报日期：2025年1月8日', total: [[2, sum(pop25, 'resident')]] });
writeCsv('居民健康档案（2025年12月导出）.csv', ['档案编号', '姓名', '性别', '出生日期', '身份证号码', '所属村', '建档日期', '是否电子档案', '最近服务日期', '档案状态', '责任医生'],
  residents.map((x) => [x.recordId, x.name, x.sex, x.birth, x.id, x.village, x.created, x.electronic, x.lastService, x.status, x.doctor]), { bom: true });
await writeXlsx('儿童花名册（预防接种卡）.xlsx', '儿童花名册', ['儿童编号', '姓名', '性别', '出生日期', '身份证号', '所属村', '建卡日期', '建证日期', '居住起始日期', '在册状态', '状态变更日期', '责任医生'],
  children.map((c) => [c.childId, c.name, c.sex === '男' ? 1 : 2, c.birth, c.id, c.village, c.card, c.cert, c.residentSince, c.status, c.statusDate, c.doctor]),
  { title: `${UNIT}适龄儿童花名册`, dateCols: [3, 6, 7, 8, 10] });
writeCsv('预防接种记录（免疫规划系统导出）.csv', ['儿童编号', '疫苗名称', '剂次', '接种日期', '接种单位', '疫苗批号'],
  vaccinations.map((x, i) => [x.childId, x.vaccine, `第${x.dose}剂`, i % 3 === 0 ? x.date.replaceAll('-', '/') : x.date, x.unit, x.batch]), { encoding: 'gb18030' });
await writeXlsx('0-6岁儿童健康管理记录.xlsx', '随访记录', ['儿童编号', '随访日期', '随访类型', '随访医生'],
  childVisits.map((x, i) => [x.childId, TEXT_DATE_FORMS[i % TEXT_DATE_FORMS.length](x.date), x.type, x.doctor]), { title: '0-6岁儿童健康管理随访登记' });
await writeXlsx('孕产妇健康管理登记.xlsx', '孕产妇', ['孕产妇编号', '姓名', '出生日期', '所属村', '末次月经', '建册日期', '产前检查次数', '分娩日期', '出院日期', '产后访视日期', '产后42天检查日期', '责任医生'],
  maternal.map((m) => [m.motherId, m.name, m.birth, m.village, m.lmp, m.booking, m.prenatal, m.delivery, m.discharge, m.visit, m.d42, m.doctor]),
  { title: `${UNIT}孕产妇健康管理登记表`, dateCols: [2, 4, 5, 7, 8, 9, 10] });
writeCsv('老年人健康体检（2025年）.csv', ['档案编号', '姓名', '出生日期', '所属村', '体检日期', '体检表完整', '健康指导', '中医体质辨识', '责任医生'],
  elderly.map((e) => [e.recordId, e.name, e.birth, e.village, e.exam, e.complete, e.guidance, e.tcm, e.doctor]), { encoding: 'gb18030' });
for (const [kind, zh, sheet] of [['hypertension', '高血压', '高血压患者'], ['diabetes', '2型糖尿病', '糖尿病患者'], ['mental', '严重精神障碍', '精神障碍患者']]) {
  const headers = ['档案编号', '姓名', '性别', '出生日期', '身份证号', '所属村', '确诊日期', '纳入管理日期', '管理状态', '终止管理日期', ...(kind === 'mental' ? ['诊断'] : []), '责任医生'];
  const rows = patients[kind].map((p) => [p.pid, p.name, p.sex, p.birth, p.id, p.village, p.diagnosed, p.enrolled, p.status, p.ended, ...(kind === 'mental' ? [p.diagnosis] : []), p.doctor]);
  if (kind === 'mental') writeCsv(`${zh}患者管理名册.csv`, headers, rows, { encoding: 'gb18030', title: `${UNIT}${zh}患者管理名册` });
  else await writeXlsx(`${zh}患者管理名册.xlsx`, sheet, headers, rows, { title: `${UNIT}${zh}患者管理名册`, dateCols: [3, 6, 7, 9] });
}
writeCsv('高血压患者随访记录（2025年）.csv', ['档案编号', '随访日期', '随访方式', '血压(mmHg)', '此次随访分类', '下次随访日期', '随访医生'],
  followups.hypertension.map((f) => [f.pid, f.date, f.method, `${f.sbp}/${f.dbp}`, f.cls, f.next, f.doctor]), { encoding: 'gb18030', title: '青石镇卫生院高血压患者随访登记表' });
await writeXlsx('2型糖尿病患者随访记录.xlsx', '随访', ['档案编号', '本次随访日期', '随访方式', '收缩压\n(mmHg)', '舒张压\n(mmHg)', '空腹血糖\n(mmol/L)', '此次随访分类', '下次随访日期', '随访医生'],
  followups.diabetes.map((f) => [f.pid, f.date, f.method, f.sbp, f.dbp, f.fbg, f.cls, f.next, f.doctor]), { title: `${UNIT}2型糖尿病患者随访服务记录表`, dateCols: [1, 7] });
writeCsv('严重精神障碍患者随访记录.csv', ['档案编号', '随访日期', '随访方式', '病情', '随访医生'], followups.mental.map((f) => [f.pid, f.date, f.method, f.condition, f.doctor]), { bom: true });
await writeXlsx('传染病报告卡（2025年）.xlsx', '报告卡', ['卡片编号', '疾病名称', '传染病类别', '诊断时间', '报告时间', '是否网络直报', '所属村'],
  infectious.map((x) => [x.card, x.disease, x.category, x.diagnosed, x.reported, x.online, x.village]), { title: '传染病报告卡登记' });
await writeXlsx('健康教育活动记录.xlsx', '活动记录', ['活动日期', '活动类型', '主题', '参与人数', '发放数量', '所属村'],
  education.map((x) => [x.date, x.type, x.topic, x.people, x.materials, x.village]), { title: `${UNIT}${YEAR}年健康教育活动记录`, dateCols: [0] });

// A separate file with deliberate mistakes, to show `registers rejects` (not part of the main example import).
fs.mkdirSync(path.join(outDir, 'bad'), { recursive: true });
for (const f of fs.readdirSync(path.join(outDir, 'bad'))) if (/\.(xlsx|csv)$/i.test(f)) fs.rmSync(path.join(outDir, 'bad', f));
const good = patients.hypertension.slice(0, 6);
const badId = (p) => p.id.slice(0, 17) + ('10X98765432'.indexOf(p.id[17]) === 0 ? '0' : '1'); // wrong check digit
writeCsv(path.join('bad', '高血压患者管理名册（有错误）.csv'), ['档案编号', '姓名', '性别', '出生日期', '身份证号', '所属村', '纳入管理日期', '管理状态', '责任医生'], [
  ...good.map((p) => [`${p.pid}X`, p.name, p.sex, p.birth, p.id, p.village, p.enrolled, '在管', p.doctor]),
  [`${good[0].pid}Y`, good[0].name, good[0].sex, good[0].birth, good[0].id, good[0].village, '2025-02-30', '在管', good[0].doctor],
  [`${good[1].pid}Y`, good[1].name, good[1].sex, good[1].birth, badId(good[1]), good[1].village, good[1].enrolled, '在管', good[1].doctor],
  [`${good[2].pid}Y`, good[2].name, good[2].sex, good[2].birth, good[2].id, good[2].village, '2031-05-01', '在管', good[2].doctor],
  ['', good[3].name, good[3].sex, good[3].birth, good[3].id, good[3].village, good[3].enrolled, '在管', good[3].doctor],
]);

const counts = { population: population.length, residents: residents.length, children: children.length, vaccinations: vaccinations.length, childVisits: childVisits.length, maternal: maternal.length, elderly: elderly.length, hypertension: patients.hypertension.length, hypertensionFollowups: followups.hypertension.length, diabetes: patients.diabetes.length, diabetesFollowups: followups.diabetes.length, mental: patients.mental.length, mentalFollowups: followups.mental.length, infectious: infectious.length, education: education.length };
process.stdout.write(`示例登记表已写入 ${path.relative(process.cwd(), outDir) || '.'}：${JSON.stringify(counts)}\n`);
