// Vaccine names as written in registers (乙肝疫苗（酿酒酵母）第1剂, 二价脊灰 2, IPV) → the schedule's codes and dose numbers.
import { DEFAULT_SCHEDULE_VERSION, listScheduleVersions, loadSchedule, type Schedule } from './schedule.js';

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

/** Every name of each vaccine of a `--schedule` choice, with its doses: for resolving and suggesting per-dose indicator names. */
export interface VaccineNames {
  code: string;
  /** Its own names: standard name, aliases, code. */
  names: string[];
  /** Names it shares with other vaccines (流脑疫苗). */
  shared: string[];
  doses: number[];
}

export function vaccineNamesFor(choice?: string, dirs: string[] = []): VaccineNames[] {
  const versions = choice === 'auto' ? listScheduleVersions(dirs) : [choice ?? DEFAULT_SCHEDULE_VERSION];
  const byCode = new Map<string, VaccineNames>();
  for (const v of versions) {
    for (const x of loadSchedule(v, { dirs }).vaccines) {
      const e = byCode.get(x.code) ?? { code: x.code, names: [], shared: [], doses: [] };
      byCode.set(x.code, e);
      e.names = [...new Set([...e.names, x.name, ...x.aliases, x.code])];
      e.shared = [...new Set([...e.shared, ...(x.sharedNames ?? [])])];
      e.doses = [...new Set([...e.doses, ...x.doses.map((d) => d.dose)])].sort((a, b) => a - b);
    }
  }
  return [...byCode.values()];
}
