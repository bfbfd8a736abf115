// The indicator catalogue: one YAML file per indicator, plus per-dose immunization entries from the schedule.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { GongweiError } from '../errors.js';
import type { Issue } from '../issues.js';
import { catalogDir, schemasDir } from '../paths.js';
import { collapseAlternatives } from '../plan/schema-errors.js';
import { parseYaml, positionAt } from '../yaml-source.js';
import { FIXED_DESCRIPTIONS, perDoseDefinitionsFor, vaccineNamesFor, type VaccineNames } from './immunization/definitions.js';
import { nameIndex, type NameIndex } from './name-meaning.js';
import type { IndicatorUnit } from './types.js';

export type IndicatorCompute =
  | { kind: 'sql'; sql: string; denominatorPopulation?: string; gaps?: string }
  | { kind: 'immunization' };

export interface IndicatorDef {
  id: string;
  name: string;
  aliases: string[];
  domain: string;
  unit: IndicatorUnit;
  kind: 'rate' | 'count';
  factor: number;
  register: string;
  description: string;
  numerator: string;
  denominator?: string;
  source: string;
  /** Verb of the summary's "还需××N人" sentence. */
  gapVerb?: string;
  /** What a gap counts: 人 for rates unless the entry says otherwise (例 for report cards); a count's own unit. */
  gapUnit: string;
  compute: IndicatorCompute;
  /** Where the definition came from (a catalogue file, or the schedule). */
  file?: string;
  /** Line of `sql:` in the file, for error positions of custom SQL. */
  sqlLine?: number;
  /** True for entries from --catalog directories. */
  custom?: boolean;
  vaccine?: string;
  dose?: number;
}

export interface IndicatorCatalog {
  all: IndicatorDef[];
  get(id: string): IndicatorDef | undefined;
  resolve(idNameOrAlias: string): IndicatorDef | undefined;
  /** Indicators of the same meaning as an unknown name, best first (at least the equally good alternatives). */
  suggest(text: string, n?: number): IndicatorDef[];
  /** The same, split: `best` are equally good alternatives (each dose of 乙脑疫苗), `more` the rest. */
  suggestions(text: string): { best: IndicatorDef[]; more: IndicatorDef[] };
}

export const builtinIndicatorsDir = path.join(catalogDir, 'indicators');

/** Normalise a name for matching: NFKC (full-width → half-width), no spaces/quotes, 0～6 / 0至6 → 0-6. */
export function normalizeIndicatorName(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s"'“”‘’「」『』《》]/g, '')
    .replace(/(\d)\s*[~～〜—–至到-]\s*(\d)/g, '$1-$2')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')')
    .toLowerCase();
}

function readBuiltin(file: string): IndicatorDef {
  const raw = jsyaml.load(readFileSync(file, 'utf8'), { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown>;
  return fromRaw(raw, file);
}

function fromRaw(raw: Record<string, unknown>, file: string, sqlLine?: number): IndicatorDef {
  const id = String(raw.id);
  const fixed = (FIXED_DESCRIPTIONS as Record<string, string>)[id];
  return {
    id,
    name: String(raw.name),
    aliases: (raw.aliases as string[] | undefined) ?? [],
    domain: String(raw.domain ?? ''),
    unit: String(raw.unit),
    kind: raw.kind as 'rate' | 'count',
    factor: Number(raw.factor ?? (raw.kind === 'count' ? 1 : 100)),
    register: String(raw.register),
    description: String(raw.description ?? fixed ?? ''),
    numerator: String(raw.numerator),
    denominator: raw.denominator === undefined ? undefined : String(raw.denominator),
    source: String(raw.source ?? ''),
    gapVerb: raw.gapVerb === undefined ? undefined : String(raw.gapVerb),
    gapUnit: raw.gapUnit !== undefined ? String(raw.gapUnit) : raw.kind === 'count' ? String(raw.unit) : '人',
    compute: raw.compute as IndicatorCompute,
    file,
    sqlLine,
  };
}

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GongweiError('CATALOG_DIR_NOT_FOUND', `指标目录不存在：${dir}`);
    if (code === 'ENOTDIR') throw new GongweiError('CATALOG_NOT_DIR', `--catalog 需要一个目录：${dir}`);
    throw e;
  }
  return names.filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => path.join(dir, n));
}

let validateEntry: ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] | null } | undefined;

function entryValidator() {
  if (!validateEntry) {
    const require = createRequire(import.meta.url);
    const Ajv2020 = require('ajv/dist/2020').default;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validateEntry = ajv.compile(JSON.parse(readFileSync(path.join(schemasDir, 'indicator.schema.json'), 'utf8')));
  }
  return validateEntry!;
}

/** Read and check a user's indicator file; problems are issues with file:line:col. */
export function readCustomIndicator(file: string): { def?: IndicatorDef; issues: Issue[] } {
  const src = parseYaml(readFileSync(file, 'utf8'), file);
  if (src.issues.some((i) => i.severity === 'error')) return { issues: src.issues };
  const validate = entryValidator();
  const issues: Issue[] = [];
  if (!validate(src.value)) {
    for (const err of collapseAlternatives((validate.errors ?? []) as never) as typeof validate.errors & object) {
      if (err.keyword === 'oneOf' || err.keyword === 'if') continue;
      const where = err.keyword === 'additionalProperties' ? `${err.instancePath}/${String(err.params.additionalProperty)}` : err.instancePath;
      const pos = positionAt(src, where, err.keyword === 'additionalProperties');
      const what = err.keyword === 'required' ? `缺少必填项「${String(err.params.missingProperty)}」`
        : err.keyword === 'additionalProperties' ? `不认识的键「${String(err.params.additionalProperty)}」`
        : err.keyword === 'enum' || err.keyword === 'const' ? `取值不在允许范围内`
        : `格式不正确（${err.message ?? err.keyword}）`;
      issues.push({ code: 'CATALOG_SCHEMA', severity: 'error', message: `指标文件${err.instancePath ? `「${err.instancePath.slice(1)}」` : ''}${what}`, file, ...pos });
    }
    return { issues };
  }
  const raw = src.value as Record<string, unknown>;
  const expected = path.basename(file).replace(/\.ya?ml$/i, '');
  if (raw.id !== expected) {
    issues.push({ code: 'CATALOG_ID_MISMATCH', severity: 'error', message: `指标编号「${String(raw.id)}」与文件名「${expected}」不一致`, file, ...positionAt(src, '/id') });
    return { issues };
  }
  const sqlPos = (raw.compute as { kind?: string })?.kind === 'sql' ? positionAt(src, '/compute/sql') : undefined;
  // A block scalar starts on the line after `sql: |`.
  const def = fromRaw(raw, file, sqlPos ? sqlPos.line + 1 : undefined);
  def.custom = true;
  return { def, issues };
}

/** Display order: the official programme order, then indicators.md's order within a programme. */
const DOMAIN_ORDER = ['健康档案', '健康教育', '预防接种', '传染病及突发公共卫生事件报告和处理', '儿童健康', '孕产妇健康', '老年人健康', '中医药健康管理', '高血压患者健康管理', '2型糖尿病患者健康管理', '严重精神障碍患者管理'];
const ID_ORDER = [
  'health-record-rate', 'e-health-record-rate', 'health-record-usage-rate',
  'health-education-lectures', 'health-education-consultations', 'health-education-materials',
  'vaccination-certificate-rate', 'hepb-birth-dose-timely-rate', 'coverage-0y', 'coverage-1-6y', 'dtap-dropout-rate',
  'infectious-report-timeliness-rate', 'infectious-report-rate',
  'newborn-visit-rate', 'child-health-management-rate', 'early-booking-rate', 'postpartum-visit-rate',
  'elderly-health-management-rate', 'elderly-tcm-rate',
  'hypertension-managed', 'hypertension-management-rate', 'hypertension-standard-management-rate', 'hypertension-control-rate',
  'diabetes-managed', 'diabetes-management-rate', 'diabetes-standard-management-rate', 'diabetes-control-rate',
  'smi-standard-management-rate', 'smi-stable-rate',
];

function sortCatalog(all: IndicatorDef[]): IndicatorDef[] {
  const rank = (d: IndicatorDef) => {
    const dom = DOMAIN_ORDER.indexOf(d.domain);
    const id = ID_ORDER.indexOf(d.id);
    return [dom < 0 ? DOMAIN_ORDER.length : dom, id < 0 ? ID_ORDER.length : id];
  };
  return all
    .map((d, i) => ({ d, i, r: rank(d) }))
    .sort((a, b) => a.r[0]! - b.r[0]! || a.r[1]! - b.r[1]! || a.i - b.i)
    .map((x) => x.d);
}

function buildCatalog(all: IndicatorDef[], vaccines: VaccineNames[]): IndicatorCatalog {
  const byId = new Map(all.map((d) => [d.id, d]));
  const byName = new Map<string, IndicatorDef>();
  for (const d of all) {
    for (const n of [d.id, d.name, ...d.aliases]) {
      const k = normalizeIndicatorName(n);
      if (!byName.has(k)) byName.set(k, d);
      if (!byName.has(n)) byName.set(n, d);
    }
  }
  let names: NameIndex | undefined;
  const meanings = () => (names ??= nameIndex(all, vaccines, normalizeIndicatorName, editDistance));
  const suggestions = (text: string) => meanings().suggestions(normalizeIndicatorName(text));
  return {
    all,
    get: (id) => byId.get(id),
    resolve(text) {
      const hit = byId.get(text) ?? byName.get(text);
      if (hit) return hit;
      const k = normalizeIndicatorName(text);
      return byId.get(text.trim()) ?? byName.get(k) ?? meanings().resolve(k);
    },
    suggest(text, n = 3) {
      const { best, more } = suggestions(text);
      return [...best, ...more].slice(0, Math.max(n, best.length));
    },
    suggestions,
  };
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const A = [...a];
  const B = [...b];
  let prev = Array.from({ length: B.length + 1 }, (_, j) => j);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    for (let j = 1; j <= B.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (A[i - 1] === B[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[B.length]!;
}

const cache = new Map<string, IndicatorCatalog>();

/**
 * The built-in catalogue (+ per-dose immunization entries of the schedule in use) and, with `extraDirs`,
 * the user's own indicator files. A bad user file is a GongweiError CATALOG_INVALID listing its issues.
 */
export function loadIndicatorCatalog(opts: { schedule?: string; extraDirs?: string[] } = {}): IndicatorCatalog {
  const key = JSON.stringify([opts.schedule ?? '', opts.extraDirs ?? []]);
  const hit = cache.get(key);
  if (hit) return hit;
  const all: IndicatorDef[] = yamlFiles(builtinIndicatorsDir).map(readBuiltin);
  for (const d of perDoseDefinitionsFor(opts.schedule)) {
    all.push({ ...d, domain: '预防接种', gapVerb: '接种', gapUnit: '人', compute: { kind: 'immunization' } });
  }
  for (const dir of opts.extraDirs ?? []) {
    const issues: Issue[] = [];
    for (const file of yamlFiles(dir)) {
      if (!statSync(file).isFile()) continue;
      const r = readCustomIndicator(file);
      issues.push(...r.issues);
      if (!r.def) continue;
      if (all.some((d) => d.id === r.def!.id)) {
        issues.push({ code: 'CATALOG_DUPLICATE_ID', severity: 'error', message: `指标编号「${r.def.id}」与已有指标重复`, file, line: 1, col: 1 });
        continue;
      }
      all.push(r.def);
    }
    if (issues.length) {
      const first = issues[0]!;
      throw new GongweiError('CATALOG_INVALID', `自定义指标文件有误：${first.file}:${first.line}:${first.col} ${first.message}`, {
        hint: issues.length > 1 ? `共 ${issues.length} 处问题，请逐一修改。` : undefined,
      });
    }
  }
  const cat = buildCatalog(sortCatalog(all), vaccineNamesFor(opts.schedule));
  cache.set(key, cat);
  return cat;
}
