// The indicator catalogue: one YAML file per indicator, plus per-dose immunization entries from the schedule.
import { statSync } from 'node:fs';
import path from 'node:path';
import { GongweiError } from '../errors.js';
import { readBoundedText, walkFiles } from '../files.js';
import type { Issue } from '../issues.js';
import { catalogDir } from '../paths.js';
import { editDistance } from '../edit-distance.js';
import { parseYaml, positionAt } from '../yaml-source.js';
import { catalogError, MAX_CATALOG_FILE_BYTES, readBuiltinFile, readCatalogFile } from './check.js';
import { loadDomains } from './domains.js';
import { perDoseDefinitionsFor, withRules, type ImmunizationRule } from './immunization-entries.js';
import { nameIndex, type NameIndex } from './name-meaning.js';
import { loadRegisterCatalog } from './registers.js';
import { vaccineNamesFor, type VaccineNames } from './vaccine-names.js';

/** %, ‰, /10万 for rates; 人, 次, 份 … for counts. */
export type IndicatorUnit = '%' | '‰' | '/10万' | '人' | '次' | '份' | string;

export type IndicatorCompute = SqlCompute | FollowupsCompute | RecordsCompute | { kind: 'immunization' };

/** What every kind counted from a register's rows may say (all kinds but immunization). */
export interface CountedCompute {
  /** The population column that is the denominator (its sum for the year of E), instead of the rows' den. */
  denominatorPopulation?: string;
  /** SQL listing the people behind the rate (gaps). */
  gaps?: string;
}

/** One read-only SELECT giving village, doctor, num, den per row, with :start, :end, :year. */
export interface SqlCompute extends CountedCompute {
  kind: 'sql';
  sql: string;
  /**
   * Built-in entries only: what the SQL counts, which the engine then counts from the facts stored at import
   * (src/indicators/child-visit-facts.ts) while they are fresh — the same figures; the SQL otherwise.
   */
  facts?: 'newborn-visit' | 'child-visit-in-period';
}

/**
 * Rows of the entry's register meeting `where` and created on or before E (`created` ≤ :end): den 1 each; num: those
 * meeting `num`, and with `numWithin` in P when given. `where` and `num` are SQL on the row, independent of the period.
 */
export interface RecordsCompute extends CountedCompute {
  kind: 'records';
  created: string;
  where?: string;
  num?: string;
  numWithin?: string;
}

/**
 * Patients of the entry's register managed in P (the rule of managed()), with their follow-ups in `followups`:
 * `managed` counts them; `visits`: at least q (required_followups) follow-ups meeting `where` in P and in the
 * managed span; `last`: the latest follow-up in P meets `where`. `where` is SQL on the follow-up f and patient p.
 */
export interface FollowupsCompute extends CountedCompute {
  kind: 'followups';
  followups: string;
  measure: 'managed' | 'visits' | 'last';
  where?: string;
}

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
  /** The gap list's reason for a row whose gaps SQL gives none (随访不足, 未访视 …). */
  gapReason?: string;
  /** What a gap counts: 人 for rates unless the entry says otherwise (例 for report cards); a count's own unit. */
  gapUnit: string;
  compute: IndicatorCompute;
  /** Where the definition came from (a catalogue file, or the schedule). */
  file?: string;
  /** First line of the `sql:` text in the file, for error positions of custom SQL. */
  sqlLine?: number;
  /** First line of the `gaps:` text in the file. */
  gapsLine?: number;
  /** True for entries from --catalog directories. */
  custom?: boolean;
  vaccine?: string;
  dose?: number;
}

/** The compute part every non-immunization kind shares (population denominator, gaps); undefined for immunization. */
export function countedCompute(def: IndicatorDef): CountedCompute | undefined {
  return def.compute.kind === 'immunization' ? undefined : def.compute;
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
  return fromRaw(readBuiltinFile('indicator', file), file);
}

function fromRaw(raw: Record<string, unknown>, file: string, lines: { sqlLine?: number; gapsLine?: number } = {}): IndicatorDef {
  const id = String(raw.id);
  return {
    id,
    name: String(raw.name),
    aliases: (raw.aliases as string[] | undefined) ?? [],
    domain: String(raw.domain ?? ''),
    unit: String(raw.unit),
    kind: raw.kind as 'rate' | 'count',
    factor: Number(raw.factor ?? (raw.kind === 'count' ? 1 : 100)),
    register: String(raw.register),
    description: raw.descriptionRules ? withRules(String(raw.description ?? ''), raw.descriptionRules as ImmunizationRule[]) : String(raw.description ?? ''),
    numerator: String(raw.numerator),
    denominator: raw.denominator === undefined ? undefined : String(raw.denominator),
    source: String(raw.source ?? ''),
    gapVerb: raw.gapVerb === undefined ? undefined : String(raw.gapVerb),
    gapReason: raw.gapReason === undefined ? undefined : String(raw.gapReason),
    gapUnit: raw.gapUnit !== undefined ? String(raw.gapUnit) : raw.kind === 'count' ? String(raw.unit) : '人',
    compute: raw.compute as IndicatorCompute,
    file,
    ...lines,
  };
}

/** The .yaml files of an indicator directory: regular files only, each real file once. */
function yamlFiles(dir: string): string[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new GongweiError('CATALOG_DIR_NOT_FOUND', `指标目录不存在：${dir}`);
  }
  if (!st.isDirectory()) throw new GongweiError('CATALOG_NOT_DIR', `--catalog 需要一个目录：${dir}`);
  return walkFiles(dir, (n) => /\.ya?ml$/i.test(n));
}

/** Read and check a user's indicator file; problems are issues with file:line:col. */
export function readCustomIndicator(file: string): { def?: IndicatorDef; issues: Issue[] } {
  const r = readCatalogFile('indicator', file);
  if (!r.value) return { issues: r.issues };
  const raw = r.value;
  const src = parseYaml(r.text, file);
  const expected = path.basename(file).replace(/\.ya?ml$/i, '');
  if (raw.id !== expected) {
    return { issues: [{ code: 'CATALOG_ID_MISMATCH', severity: 'error', message: `指标编号「${String(raw.id)}」与文件名「${expected}」不一致`, file, ...positionAt(src, '/id') }] };
  }
  const issues: Issue[] = [];
  const registers = loadRegisterCatalog();
  const reg = registers.find((x) => x.id === raw.register);
  if (!reg) {
    issues.push({ code: 'CATALOG_UNKNOWN_REGISTER', severity: 'error', message: `指标的登记表「${String(raw.register)}」不存在（可用：${registers.map((x) => x.id).join('、')}）`, file, ...positionAt(src, '/register') });
  }
  const compute = raw.compute as { kind?: string; denominatorPopulation?: string; gaps?: string; facts?: string };
  const population = registers.find((x) => x.id === 'population');
  if (compute.denominatorPopulation !== undefined && !population?.columns.some((c) => c.name === compute.denominatorPopulation && c.type === 'integer')) {
    issues.push({ code: 'CATALOG_UNKNOWN_POPULATION_COLUMN', severity: 'error', message: `人口分母「${compute.denominatorPopulation}」不是人口基础数据（population）中的人数列`, file, ...positionAt(src, '/compute/denominatorPopulation') });
  }
  if (compute.kind === 'followups' || compute.kind === 'records') {
    issues.push({ code: 'CATALOG_KIND_BUILTIN_ONLY', severity: 'error', message: `计算类型 ${compute.kind} 只用于内置指标；自定义指标请用 kind: sql（可用 managed()、required_followups() 函数）`, file, ...positionAt(src, '/compute/kind') });
  }
  if (compute.facts !== undefined) {
    issues.push({ code: 'CATALOG_FACTS_BUILTIN_ONLY', severity: 'error', message: 'facts 只用于内置指标（按导入时保存的派生数据计算内置的 SQL）；自定义指标去掉这一项即可，按 sql 计算', file, ...positionAt(src, '/compute/facts') });
  }
  if (issues.length) return { issues };
  // A block scalar (`sql: |`) starts on the line after its key.
  const line = (p: string) => {
    const pos = positionAt(src, p);
    return /^\s*[|>]/.test(r.text.split(/\r?\n/)[pos.line - 1]?.slice(pos.col - 1) ?? '') ? pos.line + 1 : pos.line;
  };
  const def = fromRaw(raw, file, compute.kind === 'sql' ? { sqlLine: line('/compute/sql'), gapsLine: compute.gaps === undefined ? undefined : line('/compute/gaps') } : {});
  def.custom = true;
  return { def, issues };
}

/** Display order: the programmes in the order of catalog/domains.yaml, then the order it gives within a programme. */
function sortCatalog(all: IndicatorDef[]): IndicatorDef[] {
  const domains = loadDomains();
  const rank = (d: IndicatorDef) => {
    const dom = domains.findIndex((x) => x.name === d.domain);
    const id = dom < 0 ? -1 : domains[dom]!.indicators.indexOf(d.id);
    return [dom < 0 ? domains.length : dom, id < 0 ? 1e9 : id];
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
  let names: NameIndex<IndicatorDef> | undefined;
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

const cache = new Map<string, IndicatorCatalog>();

/** Where an entry is defined, for messages: its file, or the immunization schedule. */
function where(d: IndicatorDef): string {
  return d.file ? `${d.file}（${d.name}）` : `免疫程序生成的指标「${d.name}」`;
}

/** file:line:col of the first place `text` is written in a file (for names and aliases). */
function textPosition(file: string, text: string): { line: number; col: number } {
  const lines = readBoundedText(file, MAX_CATALOG_FILE_BYTES).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i]!.indexOf(text);
    if (c >= 0) return { line: i + 1, col: c + 1 };
  }
  return { line: 1, col: 1 };
}

/**
 * Ids, names and aliases that two entries share (compared as normalizeIndicatorName does: 0～6 = 0-6, full width =
 * half width): one issue per clash, on the later entry from index `from` on, naming the earlier entry's file.
 */
function nameClashes(all: IndicatorDef[], from: number): Issue[] {
  const owner = new Map<string, IndicatorDef>();
  const issues: Issue[] = [];
  all.forEach((d, i) => {
    for (const n of new Set([d.id, d.name, ...d.aliases])) {
      const k = normalizeIndicatorName(n);
      const other = owner.get(k);
      if (!other) owner.set(k, d);
      else if (other !== d && i >= from) {
        issues.push({
          code: 'CATALOG_DUPLICATE_NAME',
          severity: 'error',
          message: `指标名称或别名「${n}」已被 ${where(other)} 使用；名称和别名在全部指标中必须唯一`,
          ...(d.file ? { file: d.file, ...textPosition(d.file, n) } : {}),
        });
      }
    }
  });
  return issues;
}

/**
 * The built-in catalogue (+ per-dose immunization entries of the schedule in use) and, with `extraDirs`,
 * the user's own indicator files. A bad file — a schema error, an id, name or alias another entry has —
 * is a GongweiError CATALOG_INVALID with its position.
 */
export function loadIndicatorCatalog(opts: { schedule?: string; extraDirs?: string[] } = {}): IndicatorCatalog {
  const key = JSON.stringify([opts.schedule ?? '', opts.extraDirs ?? []]);
  const hit = cache.get(key);
  if (hit) return hit;
  const all: IndicatorDef[] = yamlFiles(builtinIndicatorsDir).map(readBuiltin);
  for (const d of perDoseDefinitionsFor(opts.schedule)) {
    all.push({ ...d, domain: '预防接种', gapVerb: '接种', gapUnit: '人', compute: { kind: 'immunization' } });
  }
  const builtinCount = all.length;
  const builtinClash = nameClashes(all, 0);
  if (builtinClash.length) throw catalogError(builtinClash, true);
  for (const dir of opts.extraDirs ?? []) {
    const issues: Issue[] = [];
    for (const file of yamlFiles(dir)) {
      const r = readCustomIndicator(file);
      issues.push(...r.issues);
      if (!r.def) continue;
      const same = all.find((d) => d.id === r.def!.id);
      if (same) {
        issues.push({ code: 'CATALOG_DUPLICATE_ID', severity: 'error', message: `指标编号「${r.def.id}」已被 ${where(same)} 使用`, file, ...textPosition(file, r.def.id) });
        continue;
      }
      all.push(r.def);
    }
    issues.push(...nameClashes(all, builtinCount).filter((i) => !issues.some((j) => j.file === i.file)));
    if (issues.length) throw catalogError(issues, false);
  }
  const cat = buildCatalog(sortCatalog(all), vaccineNamesFor(opts.schedule));
  cache.set(key, cat);
  return cat;
}
