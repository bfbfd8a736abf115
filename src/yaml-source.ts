// YAML text with positions: parse once, then map a JSON path (from ajv or a rule) back to line:col.
import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';

/** The `yaml` package, loaded on first use: clean plans never need it (see plan/load.ts fastLoadPlan). */
export function yamlLib(): typeof import('yaml') {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}
let lib: typeof import('yaml') | undefined;
import type { Issue } from './issues.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain JS value (undefined when the text has errors). */
  value: unknown;
  /** YAML syntax problems (YAML_SYNTAX, YAML_DUPLICATE_KEY, YAML_ALIAS_LIMIT …), with positions. */
  issues: Issue[];
}

export interface ParseLimits {
  /** Max alias expansions (billion-laughs guard). */
  maxAliasCount?: number;
}

const YAML_CODES: Record<string, { code: string; zh: string }> = {
  DUPLICATE_KEY: { code: 'YAML_DUPLICATE_KEY', zh: '同一层级出现了重复的键（后一个会覆盖前一个）' },
  BAD_INDENT: { code: 'YAML_BAD_INDENT', zh: '缩进不正确' },
  MISSING_CHAR: { code: 'YAML_SYNTAX', zh: '缺少必要的符号（如引号、括号或冒号）' },
  BLOCK_AS_IMPLICIT_KEY: { code: 'YAML_SYNTAX', zh: '键的写法不正确（可能缺少冒号后的空格或缩进有误）' },
  MULTILINE_IMPLICIT_KEY: { code: 'YAML_SYNTAX', zh: '键不能跨行（可能缺少冒号或缩进有误）' },
  TAB_AS_INDENT: { code: 'YAML_TAB_INDENT', zh: '不能用 Tab 缩进，请改用空格' },
  UNEXPECTED_TOKEN: { code: 'YAML_SYNTAX', zh: '出现了意外的符号' },
  BAD_ALIAS: { code: 'YAML_SYNTAX', zh: '引用（*别名）写法不正确' },
  BAD_SCALAR_START: { code: 'YAML_SYNTAX', zh: '值的开头不正确（以特殊符号开头的文字请加引号）' },
  BAD_DIRECTIVE: { code: 'YAML_SYNTAX', zh: '指令写法不正确' },
  MULTIPLE_DOCS: { code: 'YAML_MULTIPLE_DOCS', zh: '一个文件只能包含一个计划（不要用 --- 分隔多个文档）' },
  MULTIPLE_ANCHORS: { code: 'YAML_SYNTAX', zh: '一个节点上有多个锚点' },
  RESOURCE_EXHAUSTION: { code: 'YAML_ALIAS_LIMIT', zh: '别名展开过多（疑似“十亿笑声”攻击），已拒绝读取' },
  ALIAS_PROPS: { code: 'YAML_SYNTAX', zh: '别名不能带锚点或标签' },
  KEY_OVER_1024_CHARS: { code: 'YAML_SYNTAX', zh: '键太长（超过1024个字符）' },
};

/** Parse YAML keeping positions. Never throws for bad YAML: problems come back as issues. */
export function parseYaml(text: string, file: string, limits: ParseLimits = {}): YamlSource {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const issues: Issue[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const known = YAML_CODES[err.code];
    const severity = doc.errors.includes(err as never) ? 'error' : 'warning';
    const specific = explainYamlError(err, doc, text, lines);
    if (specific) {
      issues.push({ code: known?.code ?? 'YAML_SYNTAX', severity, file, ...specific });
      continue;
    }
    const pos = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    issues.push({
      code: known?.code ?? 'YAML_SYNTAX',
      severity,
      message: known?.zh ?? 'YAML 语法错误',
      file,
      line: pos.line,
      col: pos.col,
    });
  }
  let value: unknown;
  if (!doc.errors.length) {
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount ?? 100 });
    } catch (e) {
      const msg = (e as Error).message ?? '';
      const unresolved = /unresolved alias/i.test(msg) ? unresolvedAlias(doc, text, lines) : undefined;
      if (unresolved) {
        issues.push({ code: 'YAML_SYNTAX', severity: 'error', file, ...unresolved });
        return { file, doc, lines, value, issues };
      }
      issues.push({
        code: /alias/i.test(msg) ? 'YAML_ALIAS_LIMIT' : 'YAML_SYNTAX',
        severity: 'error',
        message: /alias/i.test(msg) ? YAML_CODES.RESOURCE_EXHAUSTION!.zh : `无法读取 YAML：${msg}`,
        file,
        line: 1,
        col: 1,
      });
    }
  }
  return { file, doc, lines, value, issues };
}

type Explained = Pick<Issue, 'message' | 'hint'> & { line: number; col: number; code?: string };

/** A value starting with * that YAML read as a reference to an anchor that does not exist (*月*日前上报): quote it. */
function unresolvedAlias(doc: Document.Parsed, text: string, lines: LineCounter): Explained | undefined {
  const { isAlias, visit } = yamlLib();
  let found: Explained | undefined;
  visit(doc, {
    Alias(_k, node) {
      if (!isAlias(node) || node.resolve(doc) || !node.range) return;
      const end = text.indexOf('\n', node.range[0]);
      const written = text.slice(node.range[0], end < 0 ? undefined : end).replace(/\s+#.*$/, '').replace(/[,\]}].*$/, '').trim();
      const at = lines.linePos(node.range[0]);
      found = { message: `“${written}”以“*”开头，YAML 会把它当作引用（别名）`, hint: `请加引号：'${written}'。`, line: at.line, col: at.col };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * A duplicated key named, with the line of its first occurrence; an unclosed quote or bracket reported where it opens
 * (the parser notices only where the text runs out). Undefined for other errors.
 */
function explainYamlError(err: { code: string; message: string; pos: [number, number] }, doc: Document.Parsed, text: string, lines: LineCounter): Explained | undefined {
  const { isMap, isPair, isScalar, visit, Parser, CST } = yamlLib();
  if (err.code === 'DUPLICATE_KEY') {
    let found: Explained | undefined;
    visit(doc, {
      Map(_k, map) {
        if (!isMap(map)) return;
        const pairs = map.items.filter((p) => isPair(p) && isScalar(p.key));
        const dup = pairs.find((p) => (p.key as Node).range?.[0] === err.pos[0]);
        if (!dup) return;
        const name = String((dup.key as { value: unknown }).value);
        const first = pairs.find((p) => p !== dup && String((p.key as { value: unknown }).value) === name);
        const at = lines.linePos(err.pos[0]);
        const firstLine = first ? lines.linePos((first.key as Node).range![0]).line : undefined;
        found = {
          message: `重复的键「${name}」${firstLine ? `：第 ${firstLine} 行已经写过` : ''}（同一层级的键只能写一次，后一个会覆盖前一个）`,
          hint: '把两处的内容合并到一处，或删去其中一个。',
          line: at.line,
          col: at.col,
        };
        return visit.BREAK;
      },
    });
    return found;
  }
  const quote = err.code === 'MISSING_CHAR' && /quote/i.test(err.message);
  const bracket = /^Flow (sequence|map)\b.*end with a [\]}]/i.exec(err.message)?.[1];
  if (!quote && !bracket) return undefined;
  const want = bracket === 'sequence' ? '[' : '{';
  // The CST token still open at the error (the innermost one): its first character is where the other half is missing.
  let open: { offset: number; ch: string } | undefined;
  for (const tok of new Parser().parse(text)) {
    if (tok.type !== 'document') continue;
    CST.visit(tok, (item) => {
      for (const t of [item.key, item.value]) {
        if (!t || !('offset' in t) || t.offset > err.pos[0] || (open && open.offset > t.offset)) continue;
        if (quote && (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar')) {
          if (t.offset + t.source.length >= err.pos[0]) open = { offset: t.offset, ch: t.source[0]! };
        } else if (bracket && t.type === 'flow-collection' && t.start.source === want && !t.end.some((e) => e.source === (want === '[' ? ']' : '}'))) {
          open = { offset: t.start.offset, ch: want };
        }
      }
    });
  }
  if (!open) return undefined;
  const at = lines.linePos(open.offset);
  const close = open.ch === '[' ? ']' : open.ch === '{' ? '}' : open.ch;
  return {
    code: 'YAML_SYNTAX',
    message: quote ? `引号没有配对：这里的 ${open.ch} 缺少后一半` : `括号没有配对：这里的 ${open.ch} 缺少后一半 ${close}`,
    hint: quote ? `在这段文字的末尾也加上 ${open.ch}，或去掉开头的 ${open.ch}。` : `在这一项的末尾加上 ${close}（一行写不下时也要在最后一项之后写 ${close}）。`,
    line: at.line,
    col: at.col,
  };
}

/** The YAML node at a JSON path ('' or '/a/0/b' or ['a', 0, 'b']), or the deepest existing ancestor. */
export function nodeAt(src: YamlSource, path: string | (string | number)[]): { node: Node | null; key: Node | null } {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  const parts = typeof path === 'string' ? path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')) : path.map(String);
  let node: unknown = src.doc.contents;
  let key: Node | null = null;
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === part);
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value;
      if (node == null) { node = key; break; }
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item == null) break;
      key = null;
      node = item;
    } else break;
  }
  return { node: (node as Node) ?? null, key };
}

/** 1-based line:col of a path's value (or of its key with `onKey`). */
export function positionAt(src: YamlSource, path: string | (string | number)[], onKey = false): { line: number; col: number } {
  const { node, key } = nodeAt(src, path);
  const target = onKey && key ? key : node;
  const offset = target?.range?.[0] ?? 0;
  const p = src.lines.linePos(offset);
  return { line: p.line, col: p.col };
}
