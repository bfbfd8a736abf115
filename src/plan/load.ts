// Read a plan file safely (size, binary, encoding), parse YAML with positions, check it against the JSON Schema.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import jsyaml from 'js-yaml';
import { assertRegularFile, readBoundedFile, STDIO } from '../files.js';
import type { Issue } from '../issues.js';
import { schemasDir } from '../paths.js';
import { parseYaml, yamlLib, type YamlSource } from '../yaml-source.js';
import type { Plan } from './model.js';
import { explainedIssues, schemaIssues } from './schema-errors.js';
import { SchemaExplainer, type SchemaProblem } from './schema-explain.js';

/** Plans are a few kB; anything above this is not a plan someone typed. */
export const MAX_PLAN_BYTES = 2 * 1024 * 1024;
/** Deeper than this is not a plan (sections go 4 levels deep): refuse before the parser recurses. */
export const MAX_NESTING = 64;

export interface LoadedPlan {
  file: string;
  plan?: Plan;
  source?: YamlSource;
  issues: Issue[];
  /** Why the value failed the schema (empty when it passed). */
  problems?: SchemaProblem[];
}

export const planSchemaFile = path.join(schemasDir, 'plan.schema.json');
let schema: Record<string, unknown> | undefined;
let validator: ValidateFunction | undefined;

export function planSchema(): Record<string, unknown> {
  return (schema ??= JSON.parse(readFileSync(planSchemaFile, 'utf8')) as Record<string, unknown>);
}

function compiled(): ValidateFunction {
  if (!validator) {
    const require = createRequire(import.meta.url);
    // `npm run build` writes the schema as standalone code beside this module (see scripts/build-validators.mjs).
    try {
      const pre = require('./plan-validator.cjs');
      validator = (pre.default ?? pre) as ValidateFunction;
      return validator;
    } catch {
      /* running from source (tests): compile below */
    }
    const Ajv2020 = require('ajv/dist/2020').default;
    const addFormats = require('ajv-formats').default;
    const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(ajv, ['date']);
    validator = ajv.compile(planSchema()) as ValidateFunction;
  }
  return validator;
}

const texts = new WeakMap<object, string>();
/** The text a plan's YAML source was parsed from (columns inside a scalar). */
export function planText(src: YamlSource): string {
  return texts.get(src.doc) ?? '';
}

let explainer: SchemaExplainer | undefined;
/** The schema walker for plan files (explains why a plan fails, and which schema applies at a path). */
export function planExplainer(): SchemaExplainer {
  return (explainer ??= new SchemaExplainer(planSchema()));
}

/** The schema node at an ajv schemaPath like '#/$defs/章节/additionalProperties'. */
function schemaAt(schemaPath: string): unknown {
  let node: unknown = planSchema();
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const part = decodeURIComponent(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return node;
}

const at1 = (file: string, code: string, message: string, hint?: string): Issue => ({ code, severity: 'error', message, file, line: 1, col: 1, ...(hint ? { hint } : {}) });

/** Nesting depth of flow brackets / indentation, measured without recursion (one pass, no regex). */
function nestingTooDeep(text: string): boolean {
  let depth = 0;
  let indent = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      indent = 0;
      continue;
    }
    if (atLineStart) {
      if (c === 32 || c === 45) {
        if (++indent > MAX_NESTING * 4) return true;
        continue;
      }
      atLineStart = false;
    }
    if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** UTF-16 text (Notepad's "Unicode"): a byte-order mark, or a zero byte in every other position. */
function isUtf16(b: Buffer): boolean {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return true;
  const n = Math.min(b.length, 512) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const half = n / 2;
  return (odd > half * 0.1 && even * 4 < odd) || (even > half * 0.1 && odd * 4 < even);
}

/** Bytes → text, or an issue (binary, not UTF-8 — GBK is the usual case). */
export function decodePlanBytes(buf: Buffer, file: string): { text?: string; issue?: Issue } {
  if (buf.length === 0) return { issue: at1(file, 'PLAN_EMPTY_FILE', '文件是空的，没有任何内容') };
  if (buf.length > MAX_PLAN_BYTES) {
    return { issue: at1(file, 'PLAN_TOO_LARGE', `文件太大（${(buf.length / 1024 / 1024).toFixed(1)} MB），计划文件不应超过 ${MAX_PLAN_BYTES / 1024 / 1024} MB`, '请确认是否选错了文件。') };
  }
  const probe = buf.subarray(0, 8192);
  if (isUtf16(probe)) {
    return { issue: at1(file, 'PLAN_ENCODING', '文件是 UTF-16 编码（记事本中叫“Unicode”），不是 UTF-8', '请用编辑器“另存为 UTF-8”（记事本：另存为 → 编码选 UTF-8）。') };
  }
  if (probe.includes(0)) return { issue: at1(file, 'PLAN_BINARY', '这是二进制文件（如 Word、Excel 或图片），不是 YAML 文本', '计划文件应是 .yaml 文本文件；Word 文档请先按 docs/plan-format.md 改写。') };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    let gbk = false;
    try {
      new TextDecoder('gb18030', { fatal: true }).decode(buf);
      gbk = true;
    } catch {
      /* neither */
    }
    return {
      issue: at1(file, 'PLAN_ENCODING', gbk ? '文件不是 UTF-8 编码（看起来是 GBK/GB18030）' : '文件不是 UTF-8 编码', '请用编辑器“另存为 UTF-8”（记事本：另存为 → 编码选 UTF-8）。'),
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

/**
 * Plain scalars (values or keys) YAML would retype (001 → 1, 1.10 → 1.1, 1e3, 0b1 …), or that js-yaml and yaml read
 * differently: such files take the slow path. true/false/null as a value need no suspicion: the schema admits a
 * boolean only where one is meant (自定义) and null nowhere, so the schema check sends any other to the slow path.
 * As a key (True:, NULL:) nothing checks them: they stay suspects there.
 */
const RETYPE_SUSPECT = /(?:^|[:,[{?]|-)[ \t]*(?:(?:[+-]?0\d+(?:\.\d*)?|[+-]?\d+\.\d*0|[+-]?\d[\d_]*(?:\.\d*)?[eE][+-]?\d+|[+-]?0x[0-9a-fA-F]+|[+-]?0o[0-7]+|[+-]?0b[01]+|[+-]?\.\d+|[+-]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))[ \t]*(?:[,\]}#]|:(?=[ \t]|$)|$)|(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)[ \t]*:(?=[ \t]|$))/m;
const ALIAS = /(?:^|[\s[,{:-])[*&][^\s,[\]{}]/m;

/**
 * The fast path for the common case, a clean file: js-yaml (core schema, duplicate keys refused) and the schema,
 * no positions. Returns undefined whenever anything needs the full YAML source with positions.
 */
export function fastLoadPlan(text: string): Plan | undefined {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (RETYPE_SUSPECT.test(text) || ALIAS.test(text) || nestingTooDeep(text)) return undefined;
  let value: unknown;
  try {
    value = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return compiled()(value) ? (value as Plan) : undefined;
}

/** Parse and schema-check plan text. Never throws for bad input: problems are issues. */
export function loadPlanText(text: string, file: string): LoadedPlan {
  if (!text.trim() || /^(\s*#.*\n?)*\s*$/.test(text)) return { file, issues: [at1(file, 'PLAN_EMPTY_FILE', '文件中没有内容（只有空行或注释）')] };
  if (nestingTooDeep(text)) return { file, issues: [at1(file, 'PLAN_TOO_DEEP', `嵌套层级过深（超过 ${MAX_NESTING} 层），这不是正常的计划文件`)] };
  let source: YamlSource;
  try {
    source = parseYaml(text, file, { maxAliasCount: 100 });
    texts.set(source.doc, text);
  } catch (e) {
    if (e instanceof RangeError) return { file, issues: [at1(file, 'PLAN_TOO_DEEP', '嵌套层级过深，无法读取')] };
    throw e;
  }
  const lines = text.split(/\r?\n/);
  const seenIssue = new Set<string>();
  const issues = (tabIndentIssues(lines, file, source.issues) ?? source.issues)
    // An issue with a hint is already specific (a named duplicate key, the line where a quote opens).
    .map((i) => (i.code.startsWith('YAML_') && i.severity === 'error' && !i.hint ? refineYamlIssue(i, lines) : i))
    .filter((i) => {
      const k = `${i.code}|${i.line}|${i.col}|${i.message}`;
      return !seenIssue.has(k) && !!seenIssue.add(k);
    });
  if (issues.some((i) => i.severity === 'error')) return { file, source, issues };
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    // Usually one typing slip on the first lines: a Chinese colon, or no space after the colon.
    const slips = typeof value === 'string' ? lines.flatMap((l, i) => (l.trim().startsWith('#') ? [] : [colonSlip(l, i + 1, file)].filter((x): x is Issue => !!x))) : [];
    if (slips.length) {
      issues.push(...slips);
      return { file, source, issues };
    }
    issues.push(at1(file, 'PLAN_NOT_MAPPING', '计划文件的顶层应是“键: 值”的形式（如 文档类型: 年度工作计划）', '这可能不是计划文件，或整个文件被写成了一个列表/一段文字。'));
    return { file, source, issues };
  }
  const validate = compiled();
  let problems: SchemaProblem[] = [];
  if (!validate(value)) {
    // ajv decides; the walker explains (one issue per mistake). Should it ever find nothing, fall back to ajv's errors.
    problems = planExplainer().explain(value);
    issues.push(...(problems.length ? explainedIssues(problems, source) : schemaIssues(validate.errors ?? [], source, schemaAt)));
  }
  return { file, source, plan: issues.some((i) => i.severity === 'error') ? undefined : (value as Plan), issues, problems };
}

/**
 * Lines indented with a Tab: one issue for the slip, and the file's other problems as they are with spaces instead (a Tab
 * throws the parser off for every line after it). The spaces are guessed: Tab = 2, 4 or 8, or the indentation of the line
 * above or below — whichever leaves the fewest errors. Undefined when no Tab is to blame.
 */
function tabIndentIssues(lines: string[], file: string, found: Issue[]): Issue[] | undefined {
  const errors = (list: Issue[]) => list.filter((i) => i.severity === 'error');
  if (!errors(found).length) return undefined;
  const tabbed = new Set(lines.flatMap((l, i) => (/^[ ]*\t/.test(l) && l.trim() ? [i] : [])));
  if (!tabbed.size) return undefined;
  const indent = (l: string) => /^[ ]*/.exec(l)![0].length;
  const neighbour = (i: number, step: number) => {
    for (let j = i + step; j >= 0 && j < lines.length; j += step) if (lines[j]!.trim() && !tabbed.has(j) && !lines[j]!.trim().startsWith('#')) return indent(lines[j]!);
    return 0;
  };
  const variant = (spaces: (ws: string, i: number) => number) => lines.map((l, i) => (tabbed.has(i) ? l.replace(/^[ \t]+/, (ws) => ' '.repeat(spaces(ws, i))) : l)).join('\n');
  const widths = (w: number) => (ws: string) => [...ws].reduce((n, c) => n + (c === '\t' ? w : 1), 0);
  // Counting errors needs no positions or values: the full parse is only for the guess that is kept.
  const { parseDocument } = yamlLib();
  const guesses = [(_: string, i: number) => neighbour(i, 1), (_: string, i: number) => neighbour(i, -1), widths(2), widths(4), widths(8)].map(variant);
  let kept = guesses[0]!;
  let fewest = Infinity;
  for (const text of guesses) {
    const n = parseDocument(text, { uniqueKeys: true, prettyErrors: false }).errors.length;
    if (n < fewest) [kept, fewest] = [text, n];
    if (!n) break;
  }
  const best = fewest ? errors(parseYaml(kept, file).issues).filter((i) => !tabbed.has((i.line ?? 0) - 1)) : [];
  if (best.length >= errors(found).length && !found.some((i) => i.code === 'YAML_TAB_INDENT')) return undefined;
  const [first, ...more] = [...tabbed].sort((a, b) => a - b);
  const others = more.length ? `（第 ${more.slice(0, 5).map((i) => i + 1).join('、')}${more.length > 5 ? ` 等 ${more.length}` : ''} 行也是）` : '';
  const tab: Issue = {
    code: 'YAML_TAB_INDENT',
    severity: 'error',
    message: `这一行用 Tab 缩进${others}：YAML 只认空格`,
    file,
    line: first! + 1,
    col: lines[first!]!.indexOf('\t') + 1,
    hint: '把行首的 Tab 换成空格，同一层的键上下对齐（编辑器里可设置“按 Tab 键插入空格”）。',
  };
  return [tab, ...best].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/** A key typed with a Chinese colon (组长：院长) or without the space after the colon (组长:院长), on one line. */
function colonSlip(line: string, lineNo: number, file: string): Issue | undefined {
  const m = /^(\s*(?:-\s+)?)([^\s:：#'"\[\]{}，,-][^\s:：#'"\[\]{}]{0,19})([：:])(\S.*)?$/.exec(line);
  if (!m || /^https?$/i.test(m[2]!)) return undefined;
  const col = m[1]!.length + [...m[2]!].length + 1;
  const shown = `${m[2]}: ${m[4] ?? ''}`.trim();
  return m[3] === '：'
    ? { code: 'YAML_FULLWIDTH_COLON', severity: 'error', message: `“${m[2]}”后面用了中文冒号“：”`, file, line: lineNo, col, hint: `键后要用英文冒号并空一格，写成“${shown}”。` }
    : m[4] !== undefined
      ? { code: 'YAML_COLON_SPACE', severity: 'error', message: `“${m[2]}:”的冒号后面少了一个空格`, file, line: lineNo, col, hint: `写成“${shown}”。` }
      : undefined;
}

/** A value that starts with a character YAML reserves (> | @ \` * & ! %): where it is, and how to write it. */
function reservedStart(line: string, lineNo: number, file: string): Issue | undefined {
  const m = /^(.*?(?:^|[:,[{]\s|-\s|\[|\{)\s*)([>|@`*&!%][^\s,\]}]*)/u.exec(line);
  if (!m) return undefined;
  let v = m[2]!;
  const c = v[0]!;
  if (c === '>' || c === '|') {
    // A real block scalar header has nothing but a comment after it; 目标: > 99% and >= 90% are text.
    const rest = /^([^#,}\]]*?)[ \t]*(?:[,}\]]|[ \t]#|$)/.exec(line.slice(m[0].length))![1]!;
    if (/^[>|][-+]?\d?[-+]?$/.test(v) && !rest.trim()) return undefined;
    v += rest;
  }
  if ((c === '*' || c === '&') && /^[*&][A-Za-z0-9_-]+$/.test(v)) return undefined; // a real alias or anchor
  // A target written with > / >=: quoted it means the same; in words it needs no quotes.
  const target = c === '>' ? /^>\s*(=?)\s*(\d+(?:\.\d+)?\s*(?:%|‰|\/10万)?)$/.exec(v) : null;
  const alt = target ? `，或写成“${target[1] ? '≥' : '超过'}${target[2]!.replace(/\s+/g, '')}”` : c === '>' ? '，或改写成“≥90%”“不低于90%”“超过80%”这样的写法' : '';
  return { code: 'YAML_SYNTAX', severity: 'error', message: `“${v}”以“${c}”开头，YAML 会把它当作特殊符号`, file, line: lineNo, col: [...m[1]!].length + 1, hint: `请加引号：'${v}'${alt}。` };
}

/** Column (0-based) where a line's key starts, after its indentation and any "- " of list items. */
const keyColumn = (line: string) => /^[ ]*(?:-[ ]+)*/.exec(line)![0].length;
const isKeyLine = (line: string) => /^[ ]*(?:-[ ]+)*[^\s:：#'"[{-][^:：]*:(?:[ ]|$)/.test(line);

/** An opening quote without its closing quote on a one-line value. */
function unclosedQuote(line: string, lineNo: number, file: string): Issue | undefined {
  const m = /^(.*?(?::[ ]+|-[ ]+))(["'])(.*)$/.exec(line);
  if (!m) return undefined;
  const q = m[2]!;
  const rest = m[3]!;
  const closed = q === '"' ? /(^|[^\\])"/.test(rest) : rest.includes("'");
  if (closed) return undefined;
  return { code: 'YAML_SYNTAX', severity: 'error', message: `引号没有配对：这里的 ${q} 缺少后一半`, file, line: lineNo, col: [...m[1]!].length + 1, hint: `在这段文字的末尾也加上 ${q}，或去掉开头的 ${q}。` };
}

/** Text with ": " inside a plain value (要求: 制定…), which YAML reads as another key. */
function colonInText(line: string, lineNo: number, file: string): Issue | undefined {
  const m = /^([ ]*(?:-[ ]+)*[^\s:：#'"[{][^:：]*:[ ]+)([^"'[{#][^#]*?):(?:[ ]|$)/.exec(line);
  if (!m) return undefined;
  return { code: 'YAML_SYNTAX', severity: 'error', message: '这段文字里有英文冒号加空格“: ”，YAML 会把它当成又一个键', file, line: lineNo, col: [...m[1]!].length + [...m[2]!].length + 1, hint: '把文字中的冒号改成中文冒号“：”，或给整段文字加引号。' };
}

/** A key line indented differently from the key line before it (3 spaces where the siblings have 4). */
function badIndent(lines: string[], n: number, file: string): Issue | undefined {
  const line = lines[n - 1];
  if (line === undefined || !isKeyLine(line)) return undefined;
  let p = n - 2;
  while (p >= 0 && (!lines[p]!.trim() || lines[p]!.trim().startsWith('#'))) p--;
  const prev = lines[p];
  if (prev === undefined || !isKeyLine(prev)) return undefined;
  const have = /^[ ]*/.exec(line)![0].length;
  const prevIndent = /^[ ]*/.exec(prev)![0].length;
  const want = keyColumn(prev);
  if (/:[ ]*(#.*)?$/.test(prev) && have > prevIndent) return undefined; // the first child of a key
  if (have === want || Math.abs(have - want) > 2) return undefined;
  // Level with the "- " of the item above is only wrong when that line is a list item and this one is not.
  if (have === prevIndent && !(want > prevIndent && !/^[ ]*-[ ]/.test(line))) return undefined;
  // A shallower line that lines up with an earlier key is a step back to that level, not a slip.
  if (have < want && lines.slice(Math.max(0, p - 40), p).some((l) => isKeyLine(l) && keyColumn(l) === have)) return undefined;
  const key = line.trim().replace(/^(-[ ]+)*/, '').split(':')[0];
  const prevKey = prev.trim().replace(/^(-[ ]+)*/, '').split(':')[0];
  return { code: 'YAML_BAD_INDENT', severity: 'error', message: `缩进不一致：“${key}”前面有 ${have} 个空格，要和上一行的“${prevKey}”对齐应为 ${want} 个`, file, line: n, col: 1, hint: '同一层的键要上下对齐（“- ”也算两个字符的位置）。' };
}

/** A clearer message (and column) for a YAML syntax error, from the line it is on (or the line before). */
function refineYamlIssue(issue: Issue, lines: string[]): Issue {
  const n = issue.line ?? 1;
  const file = issue.file ?? '';
  for (const ln of [n, n - 1, n + 1]) {
    const line = lines[ln - 1];
    if (line === undefined || line.trim().startsWith('#')) continue;
    const found = colonSlip(line, ln, file) ?? (ln === n ? reservedStart(line, ln, file) : undefined);
    if (found) return found;
  }
  for (const ln of [n, n - 1]) {
    const line = lines[ln - 1];
    if (line === undefined || line.trim().startsWith('#')) continue;
    const found = unclosedQuote(line, ln, file) ?? colonInText(line, ln, file);
    if (found) return found;
  }
  return badIndent(lines, n, file) ?? badIndent(lines, n + 1, file) ?? issue;
}

/**
 * Read and decode a plan file (`-` is standard input): text, or an issue (size, binary, encoding). Only a regular file
 * is read, its size checked before reading (a FIFO or /dev/zero is refused, not read). Fatal file-system problems throw.
 */
export function readPlanFile(file: string): { text?: string; issue?: Issue } {
  const big = (what: string) => ({ issue: at1(file, 'PLAN_TOO_LARGE', `文件太大（${what}），计划文件不应超过 ${MAX_PLAN_BYTES / 1024 / 1024} MB`, '请确认是否选错了文件。') });
  if (file !== STDIO) {
    const st = assertRegularFile(file);
    if (st.size > MAX_PLAN_BYTES) return big(`${(st.size / 1024 / 1024).toFixed(1)} MB`);
  }
  let buf: Buffer;
  try {
    buf = readBoundedFile(file, MAX_PLAN_BYTES);
  } catch (e) {
    if ((e as { code?: string }).code === 'FILE_TOO_LARGE') return big(`超过 ${MAX_PLAN_BYTES / 1024 / 1024} MB`);
    throw e;
  }
  return decodePlanBytes(buf, file);
}

/** Load a plan file (sync). Fatal file-system problems (missing file…) throw GongweiError. */
export function loadPlanFile(file: string): LoadedPlan {
  const decoded = readPlanFile(file);
  if (decoded.issue) return { file, issues: [decoded.issue] };
  return loadPlanText(decoded.text!, file);
}

