// A safe Handlebars environment: templates emit Markdown; `{{x}}` is Markdown-escaped, prototypes and globals are out of reach.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { GongweiError } from '../errors.js';
import { readBoundedText, walkFiles, writeFileAtomic } from '../files.js';
import { templatesDir as builtinTemplatesDir } from '../paths.js';
import { MAX_MARKDOWN_CHARS, MAX_RENDER_STEPS, MAX_TEMPLATE_STATEMENTS } from './budgets.js';
import { badHelperArgs, badOutput } from './helper-args.js';

type AnyNode = { type: string; loc?: { start: { line: number; column: number } } } & Record<string, unknown>;
export type HelperFn = (...args: any[]) => unknown;

/** Names a template may never mention: the ways to climb from data to Function and globals. */
const FORBIDDEN = new Set([
  'constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'globalThis', 'process', 'require', 'global',
]);

/** Runtime options: no prototype properties or methods, ever (Handlebars ≥ 4.6). */
export const RUNTIME_OPTIONS = Object.freeze({
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
});

// `log` is not a helper here: without `knownHelpers.log = false` Handlebars would call the missing helper directly.
const COMPILE_OPTIONS = { strict: true, preventIndent: true, knownHelpers: { log: false } } as const;

/** Backslash-escape what Markdown would read as markup; newlines become spaces. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+\-.!|~&^$"'=]/g, (c) => '\\' + c);
}

/** A template problem: stable code, file and line, one Chinese sentence. */
export class TemplateError extends GongweiError {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  constructor(code: string, message: string, where: { file?: string; line?: number; col?: number } = {}, cause?: unknown, hint?: string) {
    const pos = where.file ? `${where.file}${where.line ? `:${where.line}${where.col !== undefined ? `:${where.col}` : ''}` : ''}：` : '';
    super(code, `${pos}${message}`, { cause, hint });
    this.file = where.file;
    this.line = where.line;
    this.col = where.col;
  }
}

function lineOf(e: unknown): { line?: number; col?: number } {
  const err = e as { lineNumber?: number; column?: number; message?: string };
  if (typeof err?.lineNumber === 'number') return { line: err.lineNumber, col: (err.column ?? 0) + 1 };
  const m = /on line (\d+)/.exec(String(err?.message ?? ''));
  return m ? { line: Number(m[1]) } : {};
}

function firstLine(e: unknown): string {
  const msg = String((e as Error)?.message ?? e);
  return msg.split('\n').filter((l) => !/^-*\^$/.test(l.trim())).slice(0, 1).join(' ').replace(/ - \d+:\d+$/, '');
}

/** Refuse templates that reach for prototypes, globals or decorators (checked before compiling). */
export function checkTemplateSafety(ast: unknown, file: string): void {
  eachNode(ast, (n) => {
    const where = { file, line: n.loc?.start.line, col: n.loc ? n.loc.start.column + 1 : undefined };
    if (n.type === 'Decorator' || n.type === 'DecoratorBlock') {
      throw new TemplateError('RENDER_TEMPLATE_UNSAFE', '模板中不允许使用装饰器（{{* …}}）。', where);
    }
    if (n.type === 'PathExpression') {
      const parts = [...((n.parts as string[]) ?? []), ...String(n.original ?? '').split(/[./[\]]+/)];
      const bad = parts.find((p) => FORBIDDEN.has(p));
      if (bad) throw new TemplateError('RENDER_TEMPLATE_UNSAFE', `模板不能访问“${bad}”（原型或全局对象），已拒绝。`, where);
    }
    if (n.type === 'StringLiteral' && FORBIDDEN.has(String(n.value))) {
      throw new TemplateError('RENDER_TEMPLATE_UNSAFE', `模板不能访问“${String(n.value)}”（原型或全局对象），已拒绝。`, where);
    }
  });
}

/**
 * Rewrite every escaped `{{expr}}` into `{{{md expr}}}` so values are escaped for Markdown, not HTML,
 * and put a `{{{__at "file" line col}}}` marker before each mustache and block so errors raised while
 * evaluating parameters (which Handlebars reports without a position) still get file and line.
 */
function transformTemplate(ast: unknown, helperNames: Set<string>, file: string): void {
  const mark = (n: AnyNode): AnyNode => {
    const loc = n.loc ?? { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
    const lit = (type: string, value: unknown) => ({ type, value, original: value, loc });
    return {
      type: 'MustacheStatement', escaped: false, strip: { open: false, close: false }, loc,
      path: { type: 'PathExpression', data: false, depth: 0, parts: ['__at'], original: '__at', loc },
      params: [lit('StringLiteral', file), lit('NumberLiteral', loc.start.line), lit('NumberLiteral', loc.start.column + 1)],
    };
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as AnyNode;
    // Not in the program of an {{else if …}}: Handlebars expects that one to hold the chained block alone.
    if (n.type === 'Program' && Array.isArray(n.body) && !n.chained) {
      const body: AnyNode[] = [];
      for (const st of n.body as AnyNode[]) {
        if (st.type === 'MustacheStatement' || st.type === 'BlockStatement' || st.type === 'PartialStatement' || st.type === 'PartialBlockStatement') body.push(mark(st));
        body.push(st);
      }
      n.body = body;
    }
    // {{x}} → {{{md x "x"}}} (escaped for Markdown), {{{x}}} → {{{raw x "x"}}} (as it is): both refuse undefined, NaN, objects.
    if (n.type === 'MustacheStatement' && !(n.path as AnyNode).original?.toString().startsWith('__at')) {
      const p = n.path as AnyNode;
      const params = (n.params as unknown[]) ?? [];
      const isHelperCall = params.length > 0 || !!n.hash || (p.type === 'PathExpression' && helperNames.has(String(p.original)));
      const arg = isHelperCall
        ? { type: 'SubExpression', path: p, params, hash: n.hash, loc: n.loc }
        : p;
      const out = n.escaped ? 'md' : 'raw';
      const label = { type: 'StringLiteral', value: String(p.original ?? ''), original: String(p.original ?? ''), loc: p.loc };
      n.path = { type: 'PathExpression', data: false, depth: 0, parts: [out], original: out, loc: p.loc };
      n.params = [arg, label];
      n.hash = undefined;
      n.escaped = false;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip' && k !== 'body') visit(v);
    if (n.type === 'Program') visit(n.body);
  };
  visit(ast);
}

export interface TemplateSource {
  /** Template name without extension, e.g. 'annual-plan' or 'partials/signature'. */
  name: string;
  file: string;
  text: string;
}

/** A template is a page of text; a bigger file is refused before it is read. */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/** The files of a template directory: top-level `*.hbs` templates and `partials/*.hbs`. */
export function listTemplateFiles(dir: string): TemplateSource[] {
  const out: TemplateSource[] = [];
  const add = (sub: string) => {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) return;
    for (const file of walkFiles(d, (f) => f.endsWith('.hbs'))) {
      out.push({ name: (sub ? `${sub}/` : '') + path.basename(file).slice(0, -4), file, text: readBoundedText(file, MAX_TEMPLATE_BYTES) });
    }
  };
  add('');
  add('partials');
  return out;
}

export interface TemplateEngine {
  /** Render a top-level template by name to Markdown. */
  render(name: string, data: unknown): string;
  /**
   * Compile a template now, with the partials it names, instead of at its first use (a thread that has time before
   * the data arrives). Rendering is the same; a template that fails to compile here fails the same way when rendered.
   */
  prepare(name: string): void;
  has(name: string): boolean;
  /** Where each template came from (built-in or the user's directory). */
  files: Record<string, string>;
}

export interface EngineOptions {
  /** The user's templates (from `plan templates export`); missing files fall back to the built-in ones. */
  templatesDir?: string;
  /** Helpers to register: pure functions of their arguments (no globals). */
  helpers?: Record<string, HelperFn>;
  /** Extra sources (tests): override files by name. */
  sources?: TemplateSource[];
}

/** Partials inside partials (a plan's sections nest a few levels). */
const MAX_PARTIAL_DEPTH = 40;
/** What Handlebars provides itself (our private instance has no `log`). */
const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'];

/** Call `f` on every node of a template's syntax tree, parents first (positions and whitespace flags are not nodes). */
function eachNode(ast: unknown, f: (n: AnyNode) => void): void {
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    f(node as AnyNode);
    for (const [k, v] of Object.entries(node)) if (k !== 'loc' && k !== 'strip') visit(v);
  };
  visit(ast);
}

/** Count the mustaches, blocks and partials of a template. */
function countStatements(ast: unknown): number {
  let n = 0;
  eachNode(ast, ({ type: t }) => {
    if (t === 'MustacheStatement' || t === 'BlockStatement' || t === 'PartialStatement' || t === 'PartialBlockStatement' || t === 'SubExpression') n++;
  });
  return n;
}

/** The partials a template includes by a fixed name ({{> chart}}, {{> "chart"}}). */
function namedPartials(ast: unknown): string[] {
  const names: string[] = [];
  eachNode(ast, (n) => {
    if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement') {
      const name = n.name as AnyNode;
      if (name.type === 'PathExpression' || name.type === 'StringLiteral') names.push(String(name.original ?? name.value));
    }
  });
  return names;
}

/**
 * Before compiling: every call names a helper that exists (`{{log "x"}}` used to fail in English at run time) and every
 * partial a template includes by name exists — the error names the including file and line.
 */
function checkReferences(ast: unknown, file: string, helperNames: Set<string>, partialNames: Set<string>): void {
  const helpersList = [...helperNames].filter((h) => !h.startsWith('__') && h !== 'md' && h !== 'raw' && !h.endsWith('Missing')).sort().join('、');
  eachNode(ast, (n) => {
    const where = { file, line: n.loc?.start.line, col: n.loc ? n.loc.start.column + 1 : undefined };
    if (n.type === 'MustacheStatement' || n.type === 'BlockStatement' || n.type === 'SubExpression') {
      const p = n.path as AnyNode;
      const params = (n.params as unknown[]) ?? [];
      const hash = ((n.hash as AnyNode | undefined)?.pairs as unknown[] | undefined) ?? [];
      const name = String(p.original ?? '');
      const simple = p.type === 'PathExpression' && !p.data && !p.depth && ((p.parts as string[]) ?? []).length === 1;
      if ((params.length > 0 || hash.length > 0 || n.type === 'SubExpression') && !(simple && helperNames.has(name))) {
        throw new TemplateError('RENDER_TEMPLATE_HELPER', `模板用了不存在的辅助函数“${name}”`, where, undefined, `可用的辅助函数：${helpersList}。`);
      }
    }
    if (n.type === 'PartialStatement') {
      const name = n.name as AnyNode;
      const static_ = name.type === 'PathExpression' || name.type === 'StringLiteral' || name.type === 'NumberLiteral';
      const partial = String(name.original ?? name.value ?? '');
      if (static_ && !partial.startsWith('@') && !partialNames.has(partial)) {
        throw new TemplateError('RENDER_TEMPLATE_PARTIAL', `模板引用了不存在的部分模板“${partial}”（应是 partials/${partial}.hbs）`, where);
      }
    }
  });
}

/** A runtime failure of Handlebars (English) as our code and Chinese words. */
function runtimeWords(e: unknown): { code: string; words: string } {
  const msg = firstLine(e);
  let m: RegExpExecArray | null;
  if ((m = /^"([^"]*)" not defined in/.exec(msg))) return { code: 'RENDER_TEMPLATE_VARIABLE', words: `模板引用了不存在的字段“${m[1]}”` };
  if ((m = /Cannot read propert(?:y|ies) of (?:undefined|null) \(reading '([^']*)'\)|Cannot use 'in' operator to search for '([^']*)'/.exec(msg))) {
    return { code: 'RENDER_TEMPLATE_VARIABLE', words: `模板引用了不存在的字段“${m[1] ?? m[2]}”（它的上一级不存在或不是对象）` };
  }
  if ((m = /The partial (.+) could not be found/.exec(msg))) return { code: 'RENDER_TEMPLATE_PARTIAL', words: `模板引用了不存在的部分模板“${m[1]}”` };
  if ((m = /Missing helper: "?([^"]+)"?/.exec(msg))) return { code: 'RENDER_TEMPLATE_HELPER', words: `模板用了不存在的辅助函数“${m[1]}”` };
  if (e instanceof RangeError || /Maximum call stack/.test(msg)) return { code: 'RENDER_TEMPLATE_RECURSION', words: '模板嵌套或递归过深（部分模板直接或间接引用了自己）' };
  if (/^Invalid (path|helper)|callable|is not a function/i.test(msg)) return { code: 'RENDER_TEMPLATE_RUNTIME', words: `模板执行出错：把一个不是辅助函数的字段当作辅助函数调用（${msg}）` };
  return { code: 'RENDER_TEMPLATE_RUNTIME', words: `模板执行出错：${msg}` };
}

/** Build the environment: a private Handlebars instance with only our helpers, templates compiled from checked ASTs. */
export function createTemplateEngine(opts: EngineOptions = {}): TemplateEngine {
  const hb = Handlebars.create();
  // The library never prints: silence Handlebars' console logger and drop the `log` helper.
  (hb as unknown as { logger: { log: () => void } }).logger.log = () => undefined;
  (hb as unknown as { log: () => void }).log = () => undefined;
  hb.unregisterHelper('log');

  // Where rendering is: the files of the templates being evaluated (a partial on top), and the last statement begun.
  const files: string[] = [];
  let lastPos: { file: string; line: number; col: number } | undefined;
  let steps = 0;
  const here = (loc?: { start: { line: number; column: number } }) => {
    const file = files[files.length - 1];
    if (loc && loc.start.line > 0) return { file, line: loc.start.line, col: loc.start.column + 1 };
    return lastPos && lastPos.file === file ? lastPos : { file };
  };
  const fail = (code: string, words: string, options?: { loc?: { start: { line: number; column: number } } }, hint?: string): never => {
    throw new TemplateError(code, words, here(options?.loc), undefined, hint);
  };

  hb.registerHelper('__at', (file: string, line: number, col: number) => {
    lastPos = { file, line, col };
    if (++steps > MAX_RENDER_STEPS) {
      fail('RENDER_TEMPLATE_TOO_LARGE', `模板执行的步骤超过 ${MAX_RENDER_STEPS.toLocaleString('en')} 步（循环套循环？），已停止`, undefined, '请检查模板中 {{#each}} 的嵌套。');
    }
    return '';
  });
  const output = (escape: boolean) =>
    function (value: unknown, label: unknown, options: { loc?: { start: { line: number; column: number } } }) {
      if (value instanceof hb.SafeString) return value.toString();
      const bad = badOutput(value);
      if (bad) fail(value === undefined ? 'RENDER_TEMPLATE_VARIABLE' : 'RENDER_TEMPLATE_OUTPUT', label ? `${bad}：{{${String(label)}}}` : bad, options);
      if (value === null) return '';
      return escape ? escapeMarkdown(String(value)) : String(value);
    };
  hb.registerHelper('md', output(true));
  hb.registerHelper('raw', output(false));
  for (const [name, fn] of Object.entries(opts.helpers ?? {})) {
    // Arguments checked before the helper runs: a wrong field gives an error at its line, not "undefined" in the document.
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as { loc?: { start: { line: number; column: number } } };
      const bad = badHelperArgs(name, args.slice(0, -1));
      if (bad) fail('RENDER_TEMPLATE_ARGUMENT', bad, options);
      return (fn as (...a: unknown[]) => unknown).apply(this, args);
    } as Handlebars.HelperDelegate);
  }
  const helperNames = new Set([...Object.keys((hb as unknown as { helpers: object }).helpers), ...BUILTIN_HELPERS]);

  const byName = new Map<string, TemplateSource>();
  const builtin = new Set(listTemplateFiles(builtinTemplatesDir));
  for (const s of builtin) byName.set(s.name, s);
  if (opts.templatesDir) {
    if (!fs.existsSync(opts.templatesDir) || !fs.statSync(opts.templatesDir).isDirectory()) {
      throw new GongweiError('RENDER_TEMPLATE_DIR_NOT_FOUND', `模板目录不存在：${opts.templatesDir}`, {
        hint: '先用 gongwei plan templates export <目录> 导出内置模板，再修改。',
      });
    }
    for (const s of listTemplateFiles(opts.templatesDir)) byName.set(s.name, s);
  }
  for (const s of opts.sources ?? []) byName.set(s.name, s);

  // Parse and check the user's files first: a partial included by name must exist among all the files. The built-in
  // ones (tested with the helpers they are given) are parsed when first used: the summary needs 4 of the 20.
  const partialNames = new Set([...byName.keys()].filter((n) => n.startsWith('partials/')).map((n) => n.slice('partials/'.length)));
  let statements = 0;
  const parse = (src: TemplateSource): unknown => {
    // Counted on the text first: parsing 100 000 mustaches alone takes seconds.
    const tooMany = () => new TemplateError('RENDER_TEMPLATE_TOO_LARGE', `模板太大：所有模板中的 {{…}} 合计超过 ${MAX_TEMPLATE_STATEMENTS} 个，已拒绝（内置模板约 160 个）`, { file: src.file });
    if (statements + src.text.split('{{').length - 1 > 2 * MAX_TEMPLATE_STATEMENTS) throw tooMany();
    let ast: unknown;
    try {
      ast = hb.parse(src.text);
    } catch (e) {
      throw new TemplateError('RENDER_TEMPLATE_SYNTAX', `模板语法错误：${firstLine(e)}`, { file: src.file, ...lineOf(e) }, e);
    }
    statements += countStatements(ast);
    if (statements > MAX_TEMPLATE_STATEMENTS) throw tooMany();
    checkTemplateSafety(ast, src.file);
    if (!builtin.has(src)) checkReferences(ast, src.file, helperNames, partialNames);
    return ast;
  };
  const compile = (src: TemplateSource, ast: unknown) => {
    transformTemplate(ast, helperNames, src.file);
    return hb.compile(ast as hbs.AST.Program, COMPILE_OPTIONS);
  };
  const checked = new Map([...byName.values()].filter((src) => !builtin.has(src)).map((src) => [src, parse(src)]));

  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  /** Per template: compile it now (Handlebars' own compile() waits for the first call), giving the partials it names. */
  const preparers = new Map<string, () => string[]>();
  const sourceFiles: Record<string, string> = {};
  for (const src of byName.values()) {
    sourceFiles[src.name] = src.file;
    const ast = checked.get(src);
    let fn = ast === undefined ? undefined : compile(src, ast);
    preparers.set(src.name, () => {
      if (fn) return [];
      const tree = parse(src);
      const partials = namedPartials(tree);
      transformTemplate(tree, helperNames, src.file);
      // What compile() does at the first call: the same compiler, run now (precompile's source, evaluated).
      fn = hb.template(new Function(`return ${hb.precompile(tree as hbs.AST.Program, COMPILE_OPTIONS)}`)() as TemplateSpecification);
      return partials;
    });
    const wrapped = ((ctx: unknown, options?: Handlebars.RuntimeOptions) => {
      if (files.length >= MAX_PARTIAL_DEPTH) {
        fail('RENDER_TEMPLATE_RECURSION', `部分模板嵌套超过 ${MAX_PARTIAL_DEPTH} 层（部分模板直接或间接引用了自己）：${src.name}`);
      }
      fn ??= compile(src, parse(src));
      files.push(src.file);
      try {
        return fn(ctx, options);
      } catch (e) {
        if (e instanceof TemplateError) throw e;
        const { code, words } = runtimeWords(e);
        const at = lineOf(e);
        throw new TemplateError(code, words, at.line !== undefined ? { file: src.file, ...at } : here(), e);
      } finally {
        files.pop();
      }
    }) as Handlebars.TemplateDelegate;
    compiled.set(src.name, wrapped);
    if (src.name.startsWith('partials/')) hb.registerPartial(src.name.slice('partials/'.length), wrapped);
  }

  const prepared = new Set<string>();
  const prepare = (name: string): void => {
    if (prepared.has(name) || !preparers.has(name)) return;
    prepared.add(name);
    for (const p of preparers.get(name)!()) prepare(`partials/${p}`);
  };

  return {
    files: sourceFiles,
    has: (name) => compiled.has(name),
    prepare,
    render(name, data) {
      const fn = compiled.get(name);
      if (!fn) throw new GongweiError('RENDER_TEMPLATE_NOT_FOUND', `找不到模板：${name}.hbs`);
      lastPos = undefined;
      steps = 0;
      files.length = 0;
      const out = fn(data, { ...RUNTIME_OPTIONS });
      if (out.length > MAX_MARKDOWN_CHARS) {
        throw new TemplateError('RENDER_TEMPLATE_TOO_LARGE', `模板生成的文档超过 ${MAX_MARKDOWN_CHARS.toLocaleString('en')} 个字符，已停止`, { file: sourceFiles[name] });
      }
      return out;
    },
  };
}

/** Copy the built-in templates (and partials) into `dir`; returns the files written. */
export function exportTemplates(dir: string, opts: { force?: boolean } = {}): string[] {
  const written: string[] = [];
  const srcs = listTemplateFiles(builtinTemplatesDir);
  const readme = path.join(builtinTemplatesDir, 'README.md');
  const plan = srcs.map((s) => ({ from: s.file, to: path.join(dir, path.relative(builtinTemplatesDir, s.file)) }));
  if (fs.existsSync(readme)) plan.push({ from: readme, to: path.join(dir, 'README.md') });
  if (!opts.force) {
    const clash = plan.find((p) => fs.existsSync(p.to));
    if (clash) {
      throw new GongweiError('TEMPLATE_EXPORT_EXISTS', `文件已存在：${clash.to}`, { hint: '加 --force 覆盖，或换一个目录。' });
    }
  }
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new GongweiError('TEMPLATE_EXPORT_NOT_DIR', `导出位置已存在且不是目录：${dir}`, { hint: '请给出一个目录（不存在时会新建）。' });
  }
  for (const p of plan) {
    writeFileAtomic(p.to, fs.readFileSync(p.from));
    written.push(p.to);
  }
  return written;
}
