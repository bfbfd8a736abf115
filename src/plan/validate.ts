// `plan validate` as a library: expand paths, load each plan, schema + domain rules → one report per file.
import { statSync } from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { GongweiError } from '../errors.js';
import { STDIO, walkFiles } from '../files.js';
import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import type { Issue } from '../issues.js';
import type { Plan } from './model.js';
import type { SchemaProblem } from './schema-explain.js';
import { fastLoadPlan, loadPlanText, readPlanFile } from './load.js';
import { checkPlan, textIssues } from './rules.js';

export interface FileReport {
  file: string;
  issues: Issue[];
  /** The plan's kind when it loaded. */
  kind?: string;
}

const IGNORE = ['**/node_modules/**', '**/.git/**'];
const isPlanName = (name: string) => /\.ya?ml$/i.test(name);

/**
 * Files, directories (searched for .yaml/.yml) and glob patterns → distinct plan files, each real file once (a symlink
 * loop or a second link to the same file does not validate it twice). `-` (standard input) passes through. Fatal problems throw.
 */
export function expandPlanPaths(inputs: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (file === STDIO) {
      if (!seen.has(file)) out.push(file);
      seen.add(file);
      return;
    }
    let id: string;
    try {
      const st = statSync(file);
      id = `${st.dev}:${st.ino}`;
    } catch {
      id = path.resolve(file);
    }
    if (seen.has(id)) return;
    seen.add(id);
    out.push(file);
  };
  for (const input of inputs) {
    if (input !== STDIO && isDynamicPattern(input)) {
      const hits = globSync(input, { ignore: IGNORE, onlyFiles: true, expandDirectories: false });
      if (!hits.length) throw new GongweiError('PLAN_GLOB_NO_MATCH', `通配符没有匹配到任何文件：${input}`, { hint: '注意在 shell 中给通配符加引号，如 "plans/**/*.yaml"。' });
      hits.sort().forEach(add);
      continue;
    }
    let st;
    try {
      st = input === STDIO ? undefined : statSync(input);
    } catch {
      throw new GongweiError('FILE_NOT_FOUND', `文件或目录不存在：${input}`);
    }
    if (st?.isDirectory()) {
      const hits = walkFiles(input, isPlanName, { recursive: true, skipDirs: ['node_modules', '.git'] });
      if (!hits.length) throw new GongweiError('PLAN_NO_FILES', `目录中没有计划文件（.yaml/.yml）：${input}`);
      hits.sort().forEach(add);
    } else add(input);
  }
  return out;
}

/** Validate one plan file: a fast path for clean files, else schema and rules with line:col for every issue. */
export function validatePlanFile(file: string, catalog: IndicatorCatalog): FileReport {
  const { plan: _plan, ...report } = checkPlanFile(file, catalog);
  return report;
}

/** A plan with its issues; `plan` only when none of them is an error. */
export interface CheckedPlan extends FileReport {
  plan?: Plan;
}

/**
 * The plan a document, an assessment or a comparison with targets may be made from: loaded only when neither the
 * schema nor any rule finds an error (a 102-point scheme, an unknown indicator, a rate target without %, 20xx …).
 * The same judgement as `plan validate`: what validates can be used, and nothing else.
 */
export function checkPlanFile(file: string, catalog: IndicatorCatalog): CheckedPlan {
  const decoded = readPlanFile(file);
  if (decoded.issue) return { file, issues: [decoded.issue] };
  const fast = fastLoadPlan(decoded.text!);
  if (fast && !checkPlan(fast, null, catalog, file).length) return { file, issues: [], kind: fast.文档类型, plan: fast };
  const loaded = loadPlanText(decoded.text!, file);
  const issues = [...loaded.issues];
  if (loaded.plan && loaded.source) issues.push(...checkPlan(loaded.plan, loaded.source, catalog));
  else if (loaded.source && isMapping(loaded.source.value) && !loaded.issues.some((i) => i.code.startsWith('YAML_') && i.severity === 'error')) {
    // Schema errors: still run the domain rules on what is there, so one pass shows everything to fix. A rule that
    // trips over a value of the wrong type is skipped; a rule issue at the same place as a schema error is left out.
    let more: Issue[];
    try {
      const problems = loaded.problems ?? [];
      const tainted = problems.map((p) => (p.keyword === 'additionalProperties' || p.keyword === 'propertyNames' ? [...p.path, p.key!] : p.path));
      more = checkPlan(withoutProblems(loaded.source.value, problems) as Plan, loaded.source, catalog, file, tainted);
    } catch {
      more = textIssues(loaded.source);
    }
    const taken = new Set(issues.map((i) => `${i.line}:${i.col}`));
    issues.push(...more.filter((i) => !taken.has(`${i.line}:${i.col}`)));
  } else if (loaded.source && loaded.source.value !== undefined) issues.push(...textIssues(loaded.source));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  const usable = loaded.plan && !issues.some((i) => i.severity === 'error');
  return { file, issues, kind: loaded.plan?.文档类型, ...(usable ? { plan: loaded.plan } : {}) };
}

/**
 * A copy of a plan value without the parts that failed the schema (unknown keys, values of the wrong type …), for the
 * domain rules. List items are removed as holes, so the indices — and positions — of the others stay the same.
 */
function withoutProblems(value: unknown, problems: SchemaProblem[]): unknown {
  const copy = structuredClone(value);
  for (const p of problems) {
    if (p.keyword === 'required' || p.keyword === 'uniqueItems') continue;
    const path = p.keyword === 'additionalProperties' || p.keyword === 'propertyNames' ? [...p.path, p.key!] : p.path;
    if (!path.length) continue;
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), copy);
    if (!parent || typeof parent !== 'object') continue;
    const o = parent as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    // 自定义: 是 — the author's intent is plain; the schema error already asks for true.
    if (last === '自定义' && typeof o[last] === 'string' && /^(是|对|yes|y|on|true)$/i.test(String(o[last]).trim())) o[last] = true;
    else delete o[last];
  }
  return copy;
}

const isMapping = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface ValidateOptions {
  schedule?: string;
  catalog?: IndicatorCatalog;
}

export function validatePlans(inputs: string[], opts: ValidateOptions = {}): FileReport[] {
  const files = expandPlanPaths(inputs);
  const catalog = opts.catalog ?? loadIndicatorCatalog({ schedule: opts.schedule });
  return files.map((f) => validatePlanFile(f, catalog));
}
