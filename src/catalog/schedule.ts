// The immunization schedule as versioned data: catalog/schedules/<version>.yaml (a version may extend another).
import fs from 'node:fs';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { GongweiError } from '../errors.js';
import { readBoundedText } from '../files.js';
import { catalogDir } from '../paths.js';
import { builtAs, MAX_CATALOG_FILE_BYTES, schemaIssues } from './check.js';
import { type CalendarAge, dueDate } from '../calendar.js';

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

function readRaw(file: string): RawSchedule {
  let text: string;
  try {
    text = readBoundedText(file, MAX_CATALOG_FILE_BYTES);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FILE_NOT_FOUND') throw new GongweiError('SCHEDULE_NOT_FOUND', `找不到免疫程序文件：${file}`);
    throw e;
  }
  // A built-in file as the build parsed and checked it.
  const built = builtAs('schedule', text);
  if (built) return built as unknown as RawSchedule;
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    throw new GongweiError('SCHEDULE_YAML', `免疫程序文件不是有效的 YAML：${file}${mark ? `:${mark.line + 1}:${mark.column + 1}` : ''}`, { cause: e });
  }
  // Every file is checked against the schema when it loads, the built-in versions too.
  const issues = schemaIssues('schedule', data, text, file);
  if (issues.length) {
    const first = issues[0]!;
    const builtin = path.dirname(path.resolve(file)) === path.resolve(schedulesDir);
    throw new GongweiError(builtin ? 'CATALOG_INVALID' : 'SCHEDULE_INVALID', `${builtin ? '程序自带的' : ''}免疫程序文件格式不正确：${file}:${first.line}:${first.col} ${first.message}`, {
      hint: issues.length > 1 ? `共 ${issues.length} 处问题；格式见 schemas/schedule.schema.json 与 docs/immunization.md` : '格式见 schemas/schedule.schema.json 与 docs/immunization.md',
    });
  }
  return data as RawSchedule;
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
