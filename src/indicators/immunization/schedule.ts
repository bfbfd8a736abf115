// The immunization schedule as versioned data: load catalog/schedules/<version>.yaml, map vaccine names to codes.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import jsyaml from 'js-yaml';
import { GongweiError } from '../../errors.js';
import { catalogDir, schemasDir } from '../../paths.js';
import { type CalendarAge, dueDate } from './dates.js';

export { dueDate, type CalendarAge } from './dates.js';

export const DEFAULT_SCHEDULE_VERSION = '2021';
export const schedulesDir = path.join(catalogDir, 'schedules');

export interface ScheduleDose {
  code: string; // vaccine code, e.g. 'HepB'
  dose: number; // 1-based dose number of the series
  due: CalendarAge; // added to the birth date
  timely: CalendarAge; // added to the due date: the last day a dose still counts as 及时
  label?: string; // 出生时, 2月龄, 6周岁
  vaccineName: string; // 乙肝疫苗
}

export interface ScheduleVaccine {
  code: string;
  name: string;
  aliases: string[];
  /** Names shared with other vaccines (流脑疫苗: A群 and A群C群): for suggesting indicator names, never for matching registers. */
  sharedNames?: string[];
  doses: ScheduleDose[];
}

export interface Schedule {
  version: string;
  name: string;
  source?: string;
  extends?: string;
  appliesTo?: { bornFrom?: string; bornTo?: string; description?: string };
  vaccines: ScheduleVaccine[];
  /** Every dose of every vaccine, in file order. */
  doses: ScheduleDose[];
  /** The files read, the base first. */
  files: string[];
}

interface RawDose {
  dose: number;
  due: CalendarAge;
  timely?: CalendarAge;
  label?: string;
}
interface RawVaccine {
  code: string;
  name: string;
  aliases?: string[];
  sharedNames?: string[];
  doses: RawDose[];
}
interface RawSchedule {
  version: string;
  name: string;
  source?: string;
  extends?: string;
  appliesTo?: { bornFrom?: string; bornTo?: string; description?: string };
  defaultTimely?: CalendarAge;
  remove?: string[];
  vaccines?: RawVaccine[];
}

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
let validator: Validator | undefined;

function validateRaw(data: unknown, file: string): RawSchedule {
  if (!validator) {
    const require = createRequire(import.meta.url);
    const { Ajv } = require('ajv') as typeof import('ajv');
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, 'schedule.schema.json'), 'utf8'));
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema) as Validator;
  }
  if (!validator(data)) {
    const first = validator.errors?.[0];
    const where = first?.instancePath ? `（${first.instancePath}）` : '';
    throw new GongweiError('SCHEDULE_INVALID', `免疫程序文件格式不正确：${file}${where} ${first?.message ?? ''}`.trim(), {
      hint: '格式见 schemas/schedule.schema.json 与 docs/immunization.md',
    });
  }
  return data as RawSchedule;
}

function readRaw(file: string): RawSchedule {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GongweiError('SCHEDULE_NOT_FOUND', `找不到免疫程序文件：${file}`);
    throw e;
  }
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    throw new GongweiError('SCHEDULE_YAML', `免疫程序文件不是有效的 YAML：${file}${mark ? `:${mark.line + 1}:${mark.column + 1}` : ''}`, { cause: e });
  }
  // Built-in files are checked against the schema by the test suite; user files are validated on every load.
  if (path.dirname(path.resolve(file)) === path.resolve(schedulesDir) && data && typeof data === 'object') return data as RawSchedule;
  return validateRaw(data, file);
}

/** Built-in schedule versions (file names under catalog/schedules without .yaml). */
export function listScheduleVersions(dirs: string[] = []): string[] {
  const out = new Set<string>();
  for (const dir of [...dirs, schedulesDir]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (/\.ya?ml$/i.test(n)) out.add(n.replace(/\.ya?ml$/i, ''));
  }
  return [...out].sort();
}

function isFileRef(ref: string): boolean {
  return /\.ya?ml$/i.test(ref) || ref.includes('/') || ref.includes('\\');
}

function findScheduleFile(ref: string, dirs: string[]): string {
  if (isFileRef(ref)) return path.resolve(ref);
  for (const dir of [...dirs, schedulesDir]) {
    for (const ext of ['.yaml', '.yml']) {
      const f = path.join(dir, ref + ext);
      if (fs.existsSync(f)) return f;
    }
  }
  throw new GongweiError('SCHEDULE_NOT_FOUND', `没有免疫程序版本「${ref}」`, {
    hint: `可用版本：${listScheduleVersions(dirs).join('、')}；也可以给出一个 .yaml 文件`,
  });
}

function build(file: string, dirs: string[], seen: string[]): Schedule {
  if (seen.includes(file)) {
    throw new GongweiError('SCHEDULE_EXTENDS_CYCLE', `免疫程序的 extends 形成循环：${[...seen, file].join(' → ')}`);
  }
  const raw = readRaw(file);
  const base = raw.extends ? build(findScheduleFile(raw.extends, [path.dirname(file), ...dirs]), dirs, [...seen, file]) : undefined;
  const defaultTimely = raw.defaultTimely ?? { months: 1 };
  const vaccines: ScheduleVaccine[] = base ? base.vaccines.map((v) => ({ ...v, aliases: [...v.aliases], doses: [...v.doses] })) : [];
  for (const code of raw.remove ?? []) {
    const i = vaccines.findIndex((v) => v.code === code);
    if (i < 0) throw new GongweiError('SCHEDULE_REMOVE_UNKNOWN', `免疫程序 ${file} 要删除的疫苗代码「${code}」在基础版本中不存在`);
    vaccines.splice(i, 1);
  }
  for (const rv of raw.vaccines ?? []) {
    const seenDoses = new Set<number>();
    const doses: ScheduleDose[] = rv.doses.map((d) => {
      if (seenDoses.has(d.dose)) {
        throw new GongweiError('SCHEDULE_DUPLICATE_DOSE', `免疫程序 ${file} 中疫苗 ${rv.code} 的第${d.dose}剂重复`);
      }
      seenDoses.add(d.dose);
      return { code: rv.code, dose: d.dose, due: d.due, timely: d.timely ?? defaultTimely, label: d.label, vaccineName: rv.name };
    });
    doses.sort((a, b) => a.dose - b.dose);
    const v: ScheduleVaccine = { code: rv.code, name: rv.name, aliases: rv.aliases ?? [], sharedNames: rv.sharedNames, doses };
    const i = vaccines.findIndex((x) => x.code === rv.code);
    if (i >= 0) vaccines[i] = v;
    else if (base || !vaccines.some((x) => x.code === rv.code)) vaccines.push(v);
    else throw new GongweiError('SCHEDULE_DUPLICATE_VACCINE', `免疫程序 ${file} 中疫苗代码「${rv.code}」重复`);
  }
  return {
    version: raw.version,
    name: raw.name,
    source: raw.source ?? base?.source,
    extends: raw.extends,
    appliesTo: raw.appliesTo,
    vaccines,
    doses: vaccines.flatMap((v) => v.doses),
    files: [...(base?.files ?? []), file],
  };
}

const cache = new Map<string, Schedule>();

/**
 * Load a schedule by version ('2021', '2025', a version in one of `dirs`) or by a .yaml file path.
 * A file with `extends: <version>` starts from that version (see docs/immunization.md).
 * Throws GongweiError SCHEDULE_NOT_FOUND / SCHEDULE_INVALID / SCHEDULE_YAML / SCHEDULE_EXTENDS_CYCLE.
 */
export function loadSchedule(version: string = DEFAULT_SCHEDULE_VERSION, opts: { dirs?: string[] } = {}): Schedule {
  const dirs = opts.dirs ?? [];
  const file = findScheduleFile(version, dirs);
  const key = `${file}\0${dirs.join('\0')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const s = build(file, dirs, []);
  cache.set(key, s);
  return s;
}

/** The dose of a schedule, or undefined. */
export function scheduleDose(schedule: Schedule, code: string, dose: number): ScheduleDose | undefined {
  return schedule.doses.find((d) => d.code === code && d.dose === dose);
}

/** Due date of one dose of the schedule for a child born on `birth` ('YYYY-MM-DD'). */
export function doseDueDate(birth: string, dose: ScheduleDose): string {
  return dueDate(birth, dose.due);
}

// ---- vaccine names as written in registers → codes ----

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function cnNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 1) return CN_DIGITS[s];
  if (s.length === 2 && s[0] === '十') return 10 + (CN_DIGITS[s[1]!] ?? NaN);
  return undefined;
}

/** NFKC (full-width → half-width), brackets unified to (), no spaces, lower case. */
export function normalizeVaccineName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[【［\[〔〈《{]/g, '(')
    .replace(/[】］\]〕〉》}]/g, ')')
    .replace(/[\s\u200b]+/g, '')
    .toLowerCase();
}

const DOSE_SUFFIXES: RegExp[] = [
  /\(?第?([0-9一二两三四五六七八九十]+)(?:剂次|剂|针|次)\)?$/u, // 第1剂, (第二针), 1剂
  /\(?第([0-9一二两三四五六七八九十]+)\)?$/u, // 第3
  /[-_#/]([0-9]{1,2})$/u, // -1, _2
];
const NON_DOSE_SUFFIXES = /(?:\(?(?:加强免疫|加强针|加强|初种|复种|基础免疫|基础|补种|强化)\)?)$/u;

/** Strip a trailing dose marker (第N剂, (第二针), -1, 加强…) from a normalised name; returns the stem and the dose number if any. */
function stripDose(n: string): { stem: string; dose?: number } {
  let stem = n.replace(/[,，.。;；:：、]+$/u, '');
  let dose: number | undefined;
  for (let guard = 0; guard < 3; guard++) {
    let changed = false;
    for (const re of DOSE_SUFFIXES) {
      const m = re.exec(stem);
      if (m && m.index > 0) {
        const num = cnNumber(m[1]!);
        if (num !== undefined) {
          dose ??= num;
          stem = stem.slice(0, m.index);
          changed = true;
        }
      }
    }
    const m2 = NON_DOSE_SUFFIXES.exec(stem);
    if (m2 && m2.index > 0) {
      stem = stem.slice(0, m2.index);
      changed = true;
    }
    if (!changed) break;
  }
  return { stem, dose };
}

type NameIndex = Map<string, string>;
const indexCache = new WeakMap<Schedule, NameIndex>();
let builtinIndex: NameIndex | undefined;

function addToIndex(idx: NameIndex, s: Schedule): void {
  for (const v of s.vaccines) {
    for (const n of [v.code, v.name, ...v.aliases]) {
      const key = normalizeVaccineName(n);
      if (!idx.has(key)) idx.set(key, v.code);
      const bare = key.replace(/\([^()]*\)/g, '');
      if (bare && !idx.has(bare)) idx.set(bare, v.code);
      const noSuffix = bare.replace(/疫苗$/u, '');
      if (noSuffix && !idx.has(noSuffix)) idx.set(noSuffix, v.code);
    }
  }
}

function indexFor(schedule?: Schedule): NameIndex {
  if (schedule) {
    let idx = indexCache.get(schedule);
    if (!idx) {
      idx = new Map();
      addToIndex(idx, schedule);
      indexCache.set(schedule, idx);
    }
    return idx;
  }
  if (!builtinIndex) {
    builtinIndex = new Map();
    // The default schedule first, then every other built-in version (so 白破疫苗 is known even though 2025 removed it).
    const versions = [DEFAULT_SCHEDULE_VERSION, ...listScheduleVersions().filter((v) => v !== DEFAULT_SCHEDULE_VERSION)];
    for (const v of versions) addToIndex(builtinIndex, loadSchedule(v));
  }
  return builtinIndex;
}

function lookup(idx: NameIndex, stem: string): string | undefined {
  const direct = idx.get(stem) ?? idx.get(stem.replace(/疫苗$/u, ''));
  if (direct) return direct;
  const bare = stem.replace(/\([^()]*\)/g, '');
  if (bare && bare !== stem) {
    const hit = idx.get(bare) ?? idx.get(stripDose(bare).stem);
    if (hit) return hit;
  }
  // A product name in brackets alone: "(IPV)".
  for (const m of stem.matchAll(/\(([^()]+)\)/g)) {
    const hit = idx.get(m[1]!);
    if (hit) return hit;
  }
  // Strength or package after the name: 乙肝疫苗10μg.
  const spec = bare.replace(/[0-9.]+(?:μg|ug|微克|ml|毫升|iu)$/u, '');
  if (spec !== bare) return idx.get(spec);
  return undefined;
}

/**
 * A vaccine name as written in a register → its schedule code and the dose number written after it, if any.
 * "乙肝疫苗（酿酒酵母）第1剂" → { code: 'HepB', dose: 1 }; "二价脊灰 2" → { code: 'Polio', dose: 2 }; unknown → { code: undefined }.
 * Without a schedule, every built-in version is searched.
 */
export function parseVaccineName(name: string, schedule?: Schedule): { code?: string; dose?: number } {
  if (typeof name !== 'string') return {};
  const n = normalizeVaccineName(name);
  if (!n) return {};
  const idx = indexFor(schedule);
  const { stem, dose: strippedDose } = stripDose(n);
  const dose = strippedDose ?? (stem === n ? stripDose(n.replace(/\([^()]*\)/g, '')).dose : undefined);
  const whole = lookup(idx, n);
  if (whole) return dose === undefined ? { code: whole } : { code: whole, dose };
  let code = stem !== n ? lookup(idx, stem) : undefined;
  if (!code) {
    // A dose number written with a space and no marker: "二价脊灰 2" → "二价脊灰2".
    const m = /^(.*\D)(\d{1,2})$/u.exec(stem);
    if (m) {
      code = lookup(idx, m[1]!);
      if (code) return { code, dose: dose ?? Number(m[2]) };
    }
  }
  return code ? (dose === undefined ? { code } : { code, dose }) : {};
}

/** A vaccine name as written → schedule code (HepB, Polio, DTaP …), or undefined when unknown. */
export function vaccineCode(name: string, schedule?: Schedule): string | undefined {
  return parseVaccineName(name, schedule).code;
}
