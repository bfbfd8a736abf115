// Catalogue metadata for the immunization indicators: per-dose entries generated from the schedule in use, with their
// wording and the rules written into every description taken from catalog/immunization-rules.yaml.
import { DEFAULT_SCHEDULE_VERSION, listScheduleVersions, loadSchedule, type Schedule, type ScheduleDose } from './schedule.js';
import path from 'node:path';
import { addAgeInt } from '../calendar.js';
import { catalogDir } from '../paths.js';
import { readBuiltinFile } from './check.js';

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

/** The names of the rules in catalog/immunization-rules.yaml (an indicator file lists them in `descriptionRules`). */
export type ImmunizationRule = 'inRegister' | 'dueDate' | 'dose' | 'timely' | 'schedule' | 'vaccineNames' | 'ageGroups';

interface PerDoseWording {
  name: string;
  aliases: string[];
  description: string;
  descriptionRules: ImmunizationRule[];
  numerator: string;
  denominator: string;
}

interface ImmunizationRules {
  rules: Record<ImmunizationRule, string>;
  perDose: { source: string; coverage: PerDoseWording; 'timely-coverage': PerDoseWording };
}

let rulesFile: ImmunizationRules | undefined;

/** catalog/immunization-rules.yaml, checked against its schema (read once). */
export function immunizationRules(): ImmunizationRules {
  return (rulesFile ??= readBuiltinFile('immunization-rules', path.join(catalogDir, 'immunization-rules.yaml')) as unknown as ImmunizationRules);
}

/** A description followed by the named rules, in order. */
export function withRules(description: string, rules: readonly ImmunizationRule[] = []): string {
  const text = immunizationRules().rules;
  return [description, ...rules.map((r) => text[r])].join('');
}

function doseLabel(d: ScheduleDose): string {
  return `${d.vaccineName}第${d.dose}剂`;
}

/** The timely window of a dose in words: 出生日期+1天 for the hepatitis B birth dose, else 应种日期后<时限>. */
function timelyWindow(d: ScheduleDose): string {
  if (d.code === 'HepB' && d.dose === 1) return '出生日期+1天';
  const t = d.timely;
  return `应种日期后${[t.years ? `${t.years}年` : '', t.months ? `${t.months}个月` : '', t.days ? `${t.days}天` : ''].join('') || '0天'}`;
}

/** Per-dose coverage and timely-coverage entries for every dose of the schedule in use. */
export function perDoseDefinitions(schedule: Schedule): ImmunizationIndicatorDef[] {
  const { perDose } = immunizationRules();
  const out: ImmunizationIndicatorDef[] = [];
  for (const d of schedule.doses) {
    const words: Record<string, string> = { 剂次: doseLabel(d), 代码: d.code, 剂: String(d.dose), 月龄: d.label ? `（${d.label}）` : '', 时限: timelyWindow(d) };
    const fill = (t: string) => t.replace(/\{(剂次|代码|剂|月龄|时限)\}/g, (_, k: string) => words[k]!);
    for (const kind of ['coverage', 'timely-coverage'] as const) {
      const w = perDose[kind];
      out.push({
        id: `${kind}.${d.code}.${d.dose}`,
        name: fill(w.name),
        aliases: w.aliases.map(fill),
        unit: '%',
        kind: 'rate',
        factor: 100,
        register: 'vaccinations',
        description: withRules(fill(w.description), w.descriptionRules),
        source: perDose.source,
        numerator: fill(w.numerator),
        denominator: fill(w.denominator),
        computation: { kind: 'immunization' },
        vaccine: d.code,
        dose: d.dose,
      });
    }
  }
  return out;
}

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
