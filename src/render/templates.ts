// A safe Handlebars environment: templates emit Markdown; `{{x}}` is Markdown-escaped, prototypes and globals are out of reach.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { GongweiError } from '../errors.js';
import { readBoundedText, walkFiles, writeFileAtomic } from '../files.js';
import { templatesDir as builtinTemplatesDir } from '../paths.js';

type HB = typeof Handlebars;
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

const COMPILE_OPTIONS = { strict: true, preventIndent: true } as const;

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
  constructor(code: string, message: string, where: { file?: string; line?: number; col?: number } = {}, cause?: unknown) {
    const pos = where.file ? `${where.file}${where.line ? `:${where.line}${where.col !== undefined ? `:${where.col}` : ''}` : ''}：` : '';
    super(code, `${pos}${message}`, { cause });
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
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as AnyNode;
    const where = { file, line: n.loc?.start.line, col: n.loc ? n.loc.start.column + 1 : undefined };
    if (n.type === 'Decorator' || n.type === 'DecoratorBlock') {
      throw new TemplateError('TEMPLATE_UNSAFE', '模板中不允许使用装饰器（{{* …}}）。', where);
    }
    if (n.type === 'PathExpression') {
      const parts = [...((n.parts as string[]) ?? []), ...String(n.original ?? '').split(/[./[\]]+/)];
      const bad = parts.find((p) => FORBIDDEN.has(p));
      if (bad) throw new TemplateError('TEMPLATE_UNSAFE', `模板不能访问“${bad}”（原型或全局对象），已拒绝。`, where);
    }
    if (n.type === 'StringLiteral' && FORBIDDEN.has(String(n.value))) {
      throw new TemplateError('TEMPLATE_UNSAFE', `模板不能访问“${String(n.value)}”（原型或全局对象），已拒绝。`, where);
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'strip') visit(v);
  };
  visit(ast);
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
        if (st.type === 'MustacheStatement' || st.type === 'BlockStatement') body.push(mark(st));
        body.push(st);
      }
      n.body = body;
    }
    if (n.type === 'MustacheStatement' && n.escaped) {
      const p = n.path as AnyNode;
      const params = (n.params as unknown[]) ?? [];
      const isHelperCall = params.length > 0 || !!n.hash || (p.type === 'PathExpression' && helperNames.has(String(p.original)));
      const arg = isHelperCall
        ? { type: 'SubExpression', path: p, params, hash: n.hash, loc: n.loc }
        : p;
      n.path = { type: 'PathExpression', data: false, depth: 0, parts: ['md'], original: 'md', loc: p.loc };
      n.params = [arg];
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

function markdownHelper(hb: HB) {
  return function md(value: unknown, options: { loc?: unknown; name?: string } & Record<string, unknown>) {
    if (value === undefined) {
      throw new hb.Exception('模板引用了不存在的字段（值未定义）', options as never);
    }
    if (value === null) return '';
    if (value instanceof hb.SafeString) return value.toString();
    if (typeof value === 'object') {
      throw new hb.Exception('模板直接输出了一个对象或列表，请输出其中的字段', options as never);
    }
    if (typeof value === 'function') return '';
    return escapeMarkdown(String(value));
  };
}

/** Build the environment: a private Handlebars instance with only our helpers, templates compiled from checked ASTs. */
export function createTemplateEngine(opts: EngineOptions = {}): TemplateEngine {
  const hb = Handlebars.create();
  // The library never prints: silence Handlebars' console logger and drop the `log` helper.
  (hb as unknown as { logger: { log: () => void } }).logger.log = () => undefined;
  (hb as unknown as { log: () => void }).log = () => undefined;
  hb.unregisterHelper('log');
  hb.registerHelper('md', markdownHelper(hb));
  let lastPos: { file: string; line: number; col: number } | undefined;
  hb.registerHelper('__at', (file: string, line: number, col: number) => {
    lastPos = { file, line, col };
    return '';
  });
  for (const [name, fn] of Object.entries(opts.helpers ?? {})) hb.registerHelper(name, fn as Handlebars.HelperDelegate);
  const helperNames = new Set(Object.keys((hb as unknown as { helpers: object }).helpers));

  const byName = new Map<string, TemplateSource>();
  for (const s of listTemplateFiles(builtinTemplatesDir)) byName.set(s.name, s);
  if (opts.templatesDir) {
    if (!fs.existsSync(opts.templatesDir) || !fs.statSync(opts.templatesDir).isDirectory()) {
      throw new GongweiError('TEMPLATE_DIR_NOT_FOUND', `模板目录不存在：${opts.templatesDir}`, {
        hint: '先用 gongwei plan templates export <目录> 导出内置模板，再修改。',
      });
    }
    for (const s of listTemplateFiles(opts.templatesDir)) byName.set(s.name, s);
  }
  for (const s of opts.sources ?? []) byName.set(s.name, s);

  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const files: Record<string, string> = {};
  for (const src of byName.values()) {
    files[src.name] = src.file;
    let ast: unknown;
    try {
      ast = hb.parse(src.text);
    } catch (e) {
      throw new TemplateError('TEMPLATE_SYNTAX', `模板语法错误：${firstLine(e)}`, { file: src.file, ...lineOf(e) }, e);
    }
    checkTemplateSafety(ast, src.file);
    transformTemplate(ast, helperNames, src.file);
    const fn = hb.compile(ast as hbs.AST.Program, COMPILE_OPTIONS);
    const wrapped = ((ctx: unknown, options?: Handlebars.RuntimeOptions) => {
      try {
        return fn(ctx, options);
      } catch (e) {
        if (e instanceof TemplateError) throw e;
        const at = lineOf(e);
        const where = at.line !== undefined ? { file: src.file, ...at } : lastPos ?? { file: src.file };
        throw new TemplateError('TEMPLATE_RUNTIME', `模板执行出错：${firstLine(e)}`, where, e);
      }
    }) as Handlebars.TemplateDelegate;
    compiled.set(src.name, wrapped);
    if (src.name.startsWith('partials/')) hb.registerPartial(src.name.slice('partials/'.length), wrapped);
  }

  return {
    files,
    has: (name) => compiled.has(name),
    render(name, data) {
      const fn = compiled.get(name);
      if (!fn) throw new GongweiError('TEMPLATE_NOT_FOUND', `找不到模板：${name}.hbs`);
      lastPos = undefined;
      return fn(data, { ...RUNTIME_OPTIONS });
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
