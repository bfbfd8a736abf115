// Catalogue metadata for the immunization indicators: generated per-dose entries and the rules written into every description.
import { DEFAULT_SCHEDULE_VERSION, listScheduleVersions, loadSchedule, type Schedule, type ScheduleDose } from './schedule.js';
import { addAgeInt } from '../calendar.js';

/** Fixed (not per-dose) immunization indicator ids, computed by this module. */
export const FIXED_IMMUNIZATION_IDS = [
  'hepb-birth-dose-timely-rate',
  'coverage-0y',
  'coverage-1-6y',
  'dtap-dropout-rate',
  'vaccination-certificate-rate',
] as const;

/** True for every id this module computes (fixed ids and coverage.<code>.<dose> / timely-coverage.<code>.<dose>). */
export function isImmunizationIndicator(id: string): boolean {
  return (FIXED_IMMUNIZATION_IDS as readonly string[]).includes(id) || /^(coverage|timely-coverage)\.[A-Za-z][A-Za-z0-9-]*\.\d+$/.test(id);
}

/** The indicator entry fields this module provides (a subset of the engine's IndicatorDef, same names). */
export interface ImmunizationIndicatorDef {
  id: string;
  name: string;
  aliases: string[];
  unit: '%';
  kind: 'rate';
  factor: number;
  register: string;
  description: string;
  source: string;
  numerator: string;
  denominator: string;
  computation: { kind: 'immunization' };
  /** For per-dose entries: the schedule dose. */
  vaccine?: string;
  dose?: number;
}

/** Rules shared by every schedule-driven indicator (the choices where indicators.md is silent). */
export const IMMUNIZATION_RULES = {
  inRegister:
    '在册儿童（截至期末E）：出生日期≤E，且在册状态为“在册”，或状态变更日期晚于E（E之后才迁出/死亡的仍计入）；状态为迁出/死亡而无变更日期的视为E之前已变更，不计入；在册状态为空的不是“在册”，只有状态变更日期晚于E时才计入（作为数据问题提示）。出生日期缺失或无法识别的儿童不计入任何分母。',
  dueDate:
    '应种日期 = 出生日期加上程序规定的月龄/年龄，按日历相加，目标月份没有该日时取当月最后一天（1月31日出生 + 1月 = 2月28/29日；8月31日出生 + 6月 = 次年2月28/29日）。',
  dose:
    '剂次按登记的剂次号与疫苗代码匹配（脊灰各产品IPV、bOPV、糖丸等统一为一个系列）；同一儿童同一剂次有多条记录时取最早的接种日期；接种日期为空的记录不计。提前于应种日期接种的剂次计为实种；接种日期晚于期末E的剂次不计为实种。',
  timely:
    '及时接种：接种日期不晚于及时时限的最后一天（乙肝第1剂为出生日期+1天，其余剂次为应种日期按日历加1个月，程序文件另有规定的从其规定），且不晚于期末E：期末之后接种的剂次不计入本期的任何数字（实种、及时都不计），所以及时接种人数不超过实种人数，已结束的统计期间的数字也不会因为之后补录的剂次而改变；早于应种日期接种的也算及时。',
  schedule:
    '免疫程序：未指定 --schedule 时所有儿童按2021年版计算；--schedule 2025 时所有儿童按2025年调整后的程序计算；--schedule auto 时按出生队列为每名儿童选择程序（程序文件中的 appliesTo，2025年1月1日及以后出生按2025版）。',
  vaccineNames:
    '疫苗按代码匹配；登记表中不在所用免疫程序中的疫苗名称不计入任何指标，并作为数据问题报告。',
  ageGroups: '0岁组 = 程序规定应种年龄不满1周岁的剂次；1-6岁组 = 应种年龄满1周岁、不满7周岁的剂次。',
} as const;

const SOURCE = '国家免疫规划疫苗儿童免疫程序及说明（2021年版）；预防接种工作规范；indicators.md';

function doseLabel(d: ScheduleDose): string {
  return `${d.vaccineName}第${d.dose}剂`;
}

/** Per-dose coverage and timely-coverage entries for every dose of the schedule in use. */
export function perDoseDefinitions(schedule: Schedule): ImmunizationIndicatorDef[] {
  const out: ImmunizationIndicatorDef[] = [];
  for (const d of schedule.doses) {
    const label = doseLabel(d);
    const aliases = [`${d.code}${d.dose}`, `${d.code}第${d.dose}剂`];
    const age = d.label ? `（${d.label}）` : '';
    const window =
      d.code === 'HepB' && d.dose === 1
        ? '出生日期+1天'
        : `应种日期后${[d.timely.years ? `${d.timely.years}年` : '', d.timely.months ? `${d.timely.months}个月` : '', d.timely.days ? `${d.timely.days}天` : ''].join('') || '0天'}`;
    const common = [IMMUNIZATION_RULES.inRegister, IMMUNIZATION_RULES.dueDate, IMMUNIZATION_RULES.dose, IMMUNIZATION_RULES.schedule, IMMUNIZATION_RULES.vaccineNames];
    out.push({
      id: `coverage.${d.code}.${d.dose}`,
      name: `${label}接种率`,
      aliases: [...aliases.map((a) => `${a}接种率`), `${d.code}-${d.dose}接种率`],
      unit: '%',
      kind: 'rate',
      factor: 100,
      register: 'vaccinations',
      description: [`${label}${age}接种率 = 实种人数 / 应种人数 × 100%。`, ...common].join(''),
      source: SOURCE,
      numerator: `应种儿童中有${label}且接种日期≤期末E的人数（实种）`,
      denominator: `期末E在册、${label}应种日期在统计期间内的儿童（应种）`,
      computation: { kind: 'immunization' },
      vaccine: d.code,
      dose: d.dose,
    });
    out.push({
      id: `timely-coverage.${d.code}.${d.dose}`,
      name: `${label}及时接种率`,
      aliases: aliases.map((a) => `${a}及时接种率`),
      unit: '%',
      kind: 'rate',
      factor: 100,
      register: 'vaccinations',
      description: [`${label}${age}及时接种率 = 及时接种人数 / 应种人数 × 100%；及时时限为${window}。`, IMMUNIZATION_RULES.timely, ...common].join(''),
      source: SOURCE,
      numerator: `应种儿童中${label}接种日期不晚于及时时限（${window}）且不晚于期末E的人数`,
      denominator: `期末E在册、${label}应种日期在统计期间内的儿童（应种）`,
      computation: { kind: 'immunization' },
      vaccine: d.code,
      dose: d.dose,
    });
  }
  return out;
}

/** Descriptions (with every choice spelled out) for the fixed immunization indicators; the engine's YAML may use them verbatim. */
export const FIXED_DESCRIPTIONS: Record<(typeof FIXED_IMMUNIZATION_IDS)[number], string> = {
  'hepb-birth-dose-timely-rate':
    '乙肝疫苗首针及时接种率 = 统计期间内出生的儿童中，乙肝疫苗第1剂接种日期≤出生日期+1天且≤期末E的人数 / 统计期间内出生的儿童数（不论在册状态）× 100%。期末之后接种的剂次不计入本期（期末当天出生、次日即期末之后接种的，本期不计为及时）。' +
    IMMUNIZATION_RULES.dose,
  'coverage-0y':
    '0岁组接种率 = 各剂次实种人数之和 / 各剂次应种人数之和 × 100%，按人剂次计算。' +
    IMMUNIZATION_RULES.ageGroups +
    IMMUNIZATION_RULES.inRegister +
    IMMUNIZATION_RULES.dueDate +
    IMMUNIZATION_RULES.dose +
    IMMUNIZATION_RULES.schedule,
  'coverage-1-6y':
    '1-6岁组接种率 = 各剂次实种人数之和 / 各剂次应种人数之和 × 100%，按人剂次计算。' +
    IMMUNIZATION_RULES.ageGroups +
    IMMUNIZATION_RULES.inRegister +
    IMMUNIZATION_RULES.dueDate +
    IMMUNIZATION_RULES.dose +
    IMMUNIZATION_RULES.schedule,
  'dtap-dropout-rate':
    '百白破疫苗脱漏率 = 分母中截至期末E没有百白破第3剂的人数 / 期末E在册、百白破第3剂应种日期在统计期间内、且截至E已接种百白破第1剂的儿童数 × 100%。' +
    IMMUNIZATION_RULES.inRegister +
    IMMUNIZATION_RULES.dueDate +
    IMMUNIZATION_RULES.dose +
    IMMUNIZATION_RULES.schedule,
  'vaccination-certificate-rate':
    '建证率 = 已建证人数 / 应建证人数 × 100%。应建证：期末E在册、E时未满7周岁（周岁按生日计算，2月29日出生的在平年3月1日长一岁）、居住起始日期（无则为出生日期）≤ E减3个月（按日历相减，月末取当月最后一天，如5月31日减3个月为2月28/29日）的儿童；已建证：其中接种证发证日期≤E的。' +
    IMMUNIZATION_RULES.inRegister,
};

/** 0岁组 / 1-6岁组 of a dose by its due age: added to a reference birth date (2001-01-01), before the 1st / 7th birthday. */
export function doseAgeGroup(d: ScheduleDose): '0y' | '1-6y' | undefined {
  const due = addAgeInt(20010101, d.due);
  if (due < 20020101) return '0y';
  if (due < 20080101) return '1-6y';
  return undefined;
}

/**
 * Per-dose entries for a `--schedule` choice: a version, a .yaml file, or 'auto' (every built-in version, each
 * (vaccine, dose) once, the default version's wording first). Default '2021'.
 */
export function perDoseDefinitionsFor(choice?: string, dirs: string[] = []): ImmunizationIndicatorDef[] {
  if (choice !== 'auto') return perDoseDefinitions(loadSchedule(choice ?? DEFAULT_SCHEDULE_VERSION, { dirs }));
  const versions = listScheduleVersions(dirs);
  const ordered = [DEFAULT_SCHEDULE_VERSION, ...versions.filter((v) => v !== DEFAULT_SCHEDULE_VERSION)].filter((v) => versions.includes(v));
  const seen = new Set<string>();
  const out: ImmunizationIndicatorDef[] = [];
  for (const v of ordered) {
    for (const d of perDoseDefinitions(loadSchedule(v, { dirs }))) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      out.push(d);
    }
  }
  return out;
}
