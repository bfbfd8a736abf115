// Catalogue files read and checked against their JSON Schema — built-in entries as well as the user's own — with
// every problem placed at its file:line:col. Built-in files use validators compiled at build time (fast start).
import { readFileSync } from 'node:fs';
import { readBoundedText } from '../files.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { collapseAlternatives } from '../ajv-errors.js';
import { editDistance } from '../edit-distance.js';
import { GongweiError } from '../errors.js';
import type { Issue } from '../issues.js';
import { schemasDir } from '../paths.js';
import { parseYaml, positionAt } from '../yaml-source.js';

/** The kinds of catalogue file, each with its schema (schemas/<kind>.schema.json). */
export type CatalogKind = 'indicator' | 'register' | 'schedule' | 'domains' | 'immunization-rules';

/** What the messages call each kind of file. */
const KIND_WORDS: Record<CatalogKind, string> = { indicator: '指标文件', register: '登记表目录文件', schedule: '免疫程序文件', domains: '服务项目表', 'immunization-rules': '免疫规划口径规则文件' };

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validate = ((v: unknown) => boolean) & { errors?: AjvError[] | null };
const validators = new Map<CatalogKind, Validate>();

/** The validator of a kind: compiled at build time (dist/catalog/validators/<kind>.cjs), else compiled now. */
function validatorFor(kind: CatalogKind): Validate {
  let v = validators.get(kind);
  if (v) return v;
  const require = createRequire(import.meta.url);
  try {
    const pre = require(`./validators/${kind}.cjs`);
    v = (pre.default ?? pre) as Validate;
  } catch {
    // Running from the TypeScript sources (tests): compile the schema here.
    const schema = JSON.parse(readFileSync(path.join(schemasDir, `${kind}.schema.json`), 'utf8')) as { $schema?: string };
    const Ajv = String(schema.$schema).includes('2020-12') ? require('ajv/dist/2020').default : require('ajv').default;
    v = new Ajv({ allErrors: true, strict: false }).compile(schema) as Validate;
  }
  validators.set(kind, v);
  return v;
}

/** Schema problems of a parsed catalogue value, each with its position in the YAML text. */
export function schemaIssues(kind: CatalogKind, value: unknown, text: string, file: string): Issue[] {
  const validate = validatorFor(kind);
  if (validate(value)) return [];
  const src = parseYaml(text, file);
  const errors = (collapseAlternatives((validate.errors ?? []) as never) as AjvError[]).filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
  // A misspelled key is one problem, not two: the unknown key says which required key it probably is.
  const unknownKeys = errors.filter((e) => e.keyword === 'additionalProperties');
  const misspelt = new Map<AjvError, string>();
  const issues: Issue[] = [];
  for (const err of errors) {
    if (err.keyword === 'required') {
      const missing = String(err.params.missingProperty);
      const typo = unknownKeys.find((u) => u.instancePath === err.instancePath && editDistance(String(u.params.additionalProperty).toLowerCase(), missing.toLowerCase()) <= 2);
      if (typo) {
        misspelt.set(typo, missing);
        continue;
      }
    }
  }
  for (const err of errors) {
    if (err.keyword === 'required' && [...misspelt.values()].includes(String(err.params.missingProperty))) continue;
    const extra = err.keyword === 'additionalProperties' ? String(err.params.additionalProperty) : undefined;
    const where = extra !== undefined ? `${err.instancePath}/${extra}` : err.instancePath;
    const pos = positionAt(src, where, extra !== undefined);
    const meant = misspelt.get(err);
    const what = extra !== undefined ? `不认识的键「${extra}」${meant ? `，是否应为「${meant}」？` : ''}` : problemWords(err);
    issues.push({ code: 'CATALOG_SCHEMA', severity: 'error', message: `${KIND_WORDS[kind]}${err.instancePath ? `「${err.instancePath.slice(1)}」` : ''}${what}`, file, ...pos });
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

const TYPE_WORDS: Record<string, string> = { string: '文字', number: '数字', integer: '整数', array: '列表', object: '键值对象', boolean: '是/否（true/false）', null: '空值' };

/** One schema problem in words (ajv's English never reaches the user). */
function problemWords(err: AjvError): string {
  const p = err.params;
  switch (err.keyword) {
    case 'required':
      return `缺少必填项「${String(p.missingProperty)}」`;
    case 'type':
      return `应为${String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join('或')}`;
    case 'enum':
      return `取值不在允许范围内（可选：${(p.allowedValues as unknown[]).map(String).join('、')}）`;
    case 'const':
      return `应为「${String(p.allowedValue)}」`;
    case 'minLength':
      return `太短（至少 ${String(p.limit)} 个字符）`;
    case 'pattern':
      return '写法不符合要求（编号只用小写英文字母、数字和短横线）';
    case 'minItems':
      return `至少要有 ${String(p.limit)} 项`;
    case 'maxItems':
      return `最多只能有 ${String(p.limit)} 项`;
    case 'uniqueItems':
      return '有重复的项';
    case 'minimum':
      return `不能小于 ${String(p.limit)}`;
    case 'maximum':
      return `不能大于 ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `应大于 ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `应小于 ${String(p.limit)}`;
    default:
      return '格式不正确';
  }
}

/** A catalogue entry is a page of YAML: a bigger file is a wrong file, refused before it is read. */
export const MAX_CATALOG_FILE_BYTES = 1024 * 1024;

/** YAML problems (not parseable) of a catalogue text, with positions; empty when it parses. */
function yamlIssues(text: string, file: string): Issue[] {
  return parseYaml(text, file).issues.filter((i) => i.severity === 'error');
}

let parsedAtBuild: Map<string, string> | undefined;

/**
 * The value of a catalogue text as the build parsed it (dist/catalog/parsed.json: the built-in files that parse and
 * pass their schema), a new object each time; undefined for any other text, or without the file (TypeScript sources).
 */
export function builtAs(kind: CatalogKind, text: string): Record<string, unknown> | undefined {
  if (!parsedAtBuild) {
    parsedAtBuild = new Map();
    try {
      const all = JSON.parse(readFileSync(new URL('./parsed.json', import.meta.url), 'utf8')) as [CatalogKind, string, string][];
      for (const [k, t, json] of all) parsedAtBuild.set(`${k}\u0000${t}`, json);
    } catch {
      // not built: every file is parsed
    }
  }
  const json = parsedAtBuild.get(`${kind}\u0000${text}`);
  return json === undefined ? undefined : (JSON.parse(json) as Record<string, unknown>);
}

/**
 * Read one catalogue file and check it against its schema. `value` is undefined when the file has errors
 * (then `issues` say where). A text identical to a built-in file's takes the value the build parsed and checked.
 */
export function readCatalogFile(kind: CatalogKind, file: string): { value?: Record<string, unknown>; text: string; issues: Issue[] } {
  const text = readBoundedText(file, MAX_CATALOG_FILE_BYTES);
  const built = builtAs(kind, text);
  if (built) return { value: built, text, issues: [] };
  let value: unknown;
  try {
    value = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
  } catch (e) {
    const issues = yamlIssues(text, file);
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    if (!issues.length) issues.push({ code: 'CATALOG_YAML', severity: 'error', message: '不是有效的 YAML', file, line: (mark?.line ?? 0) + 1, col: (mark?.column ?? 0) + 1 });
    return { text, issues };
  }
  const issues = schemaIssues(kind, value, text, file);
  return issues.length ? { text, issues } : { value: value as Record<string, unknown>, text, issues };
}

/** The error for catalogue files that do not load: the first problem with its position, and how many there are. */
export function catalogError(issues: Issue[], builtin: boolean): GongweiError {
  const first = issues[0]!;
  const what = builtin ? '程序自带的目录文件有误（安装可能已损坏，请重新安装）' : '自定义目录文件有误';
  return new GongweiError('CATALOG_INVALID', `${what}：${first.file}:${first.line ?? 1}:${first.col ?? 1} ${first.message}`, {
    hint: issues.length > 1 ? `共 ${issues.length} 处问题，请逐一修改。` : undefined,
  });
}

/** Read a built-in catalogue file; a problem in it is fatal (CATALOG_INVALID with its position). */
export function readBuiltinFile(kind: CatalogKind, file: string): Record<string, unknown> {
  const r = readCatalogFile(kind, file);
  if (!r.value) throw catalogError(r.issues, true);
  return r.value;
}
