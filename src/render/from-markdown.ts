// Markdown (as the templates write it) → the document model: headings numbered automatically, tables, signature, chart.
import { Lexer, type Token, type Tokens } from 'marked';
import type { Block, ChartItem, Document, Run } from './document.js';
import { GongweiError } from '../errors.js';
import { MAX_DOCUMENT_NODES, MAX_MARKDOWN_CHARS } from './budgets.js';
import { headingCounter } from './numbering.js';

const DIRECTIVE = /^::: *([a-z-]+)[^\n]*\n([\s\S]*?)\n:::[ \t]*$/gm;
const unescape = (s: string) => s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~"'&:])/g, '$1');
const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _m);

/** Inline tokens → runs (bold, italic); everything else is plain text. */
function runs(tokens: Token[] | undefined, style: { bold?: boolean; italic?: boolean } = {}): Run[] {
  const out: Run[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...runs((t as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...runs((t as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'br':
        out.push({ text: '\n', ...style });
        break;
      case 'codespan':
        out.push({ text: decodeEntities((t as Tokens.Codespan).text), ...style });
        break;
      case 'link':
        out.push(...runs((t as Tokens.Link).tokens, style));
        break;
      case 'text':
        if ((t as Tokens.Text).tokens?.length) out.push(...runs((t as Tokens.Text).tokens, style));
        else out.push({ text: decodeEntities((t as Tokens.Text).text), ...style });
        break;
      case 'escape':
        out.push({ text: (t as Tokens.Escape).text, ...style });
        break;
      default:
        out.push({ text: decodeEntities('text' in t ? String(t.text) : t.raw), ...style });
    }
  }
  // Merge neighbours with the same style.
  const merged: Run[] = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && !!last.bold === !!r.bold && !!last.italic === !!r.italic) last.text += r.text;
    else merged.push({ ...r });
  }
  return merged;
}

const cellText = (cell: Tokens.TableCell) => runs(cell.tokens).map((r) => r.text).join('');

function chart(json: string): Block {
  try {
    const v = JSON.parse(json) as { title?: string; unit?: string; items?: ChartItem[] };
    const items = (v.items ?? []).map((i) => ({ label: String(i.label ?? ''), value: typeof i.value === 'number' ? i.value : null, target: typeof i.target === 'number' ? i.target : null, ...(typeof i.met === 'boolean' ? { met: i.met } : {}) }));
    return { type: 'chart', title: v.title, unit: v.unit, items };
  } catch {
    return { type: 'paragraph', runs: [{ text: json }] };
  }
}

/** A document too big to write (a pathological template): refused before the writers build it in memory. */
function tooLarge(what: string): GongweiError {
  return new GongweiError('RENDER_DOCUMENT_TOO_LARGE', `要生成的文档太大：${what}，已停止`, { hint: '请检查模板是否重复输出了大量内容。' });
}

/** The number of blocks, runs and table cells: what the writers build one object (or more) for. */
function nodeCount(b: Block): number {
  switch (b.type) {
    case 'paragraph':
      return 1 + b.runs.length;
    case 'list':
      return 1 + b.items.reduce((n, i) => n + i.length, 0);
    case 'table':
      return 1 + b.header.length * (1 + b.rows.length);
    case 'signature':
      return 1 + b.lines.length;
    case 'chart':
      return 1 + b.items.length;
    default:
      return 1;
  }
}

/** Parse template output. `#` is the title; `##`–`#####` are levels 1–4, numbered here (never typed by authors). */
export function markdownToDocument(markdown: string): Document {
  if (markdown.length > MAX_MARKDOWN_CHARS) throw tooLarge(`Markdown 超过 ${MAX_MARKDOWN_CHARS.toLocaleString('en')} 个字符`);
  const doc = parse(markdown);
  const nodes = doc.blocks.reduce((n, b) => n + nodeCount(b), 0);
  if (nodes > MAX_DOCUMENT_NODES) throw tooLarge(`段落、文字片段和表格单元格合计 ${nodes.toLocaleString('en')} 个，超过 ${MAX_DOCUMENT_NODES.toLocaleString('en')} 个`);
  return doc;
}

function parse(markdown: string): Document {
  // Block directives (::: name … :::) become fenced code the lexer keeps intact.
  const source = markdown.replace(/\r\n?/g, '\n').replace(DIRECTIVE, (_m, name: string, body: string) => '```directive-' + name + '\n' + body + '\n```');
  const tokens = new Lexer({ gfm: true }).lex(source);
  const blocks: Block[] = [];
  const next = headingCounter();
  let title = '';
  for (const t of tokens) {
    switch (t.type) {
      case 'heading': {
        const h = t as Tokens.Heading;
        const text = runs(h.tokens).map((r) => r.text).join('').trim();
        if (h.depth === 1) {
          if (!title) title = text;
          blocks.push({ type: 'title', text });
        } else {
          const level = Math.min(4, h.depth - 1) as 1 | 2 | 3 | 4;
          // "4." before "0～6岁…" would read as 4.0: a space after the number when the text starts with a digit.
          const number = next(level);
          blocks.push({ type: 'heading', level, number: level === 3 && /^\d/.test(text) ? `${number} ` : number, text });
        }
        break;
      }
      case 'paragraph': {
        const r = runs((t as Tokens.Paragraph).tokens);
        if (r.some((x) => x.text.trim())) blocks.push({ type: 'paragraph', runs: r });
        break;
      }
      case 'list': {
        const l = t as Tokens.List;
        blocks.push({ type: 'list', ordered: l.ordered, items: l.items.map((it) => runs(it.tokens.flatMap((x) => ((x as Tokens.Text).tokens ?? [x]) as Token[]))) });
        break;
      }
      case 'table': {
        const tb = t as Tokens.Table;
        blocks.push({ type: 'table', header: tb.header.map(cellText), align: tb.align, rows: tb.rows.map((row) => row.map(cellText)) });
        break;
      }
      case 'code': {
        const c = t as Tokens.Code;
        if (c.lang === 'chart') blocks.push(chart(c.text));
        else if (c.lang === 'directive-signature' || c.lang === 'directive-date') {
          blocks.push({ type: 'signature', lines: c.text.split('\n').map((l) => unescape(l).trim()).filter(Boolean) });
        } else if (c.lang === 'directive-pagebreak') blocks.push({ type: 'pagebreak' });
        else blocks.push({ type: 'paragraph', runs: [{ text: c.text }] });
        break;
      }
      case 'hr':
        blocks.push({ type: 'pagebreak' });
        break;
      case 'blockquote':
        for (const inner of parse((t as Tokens.Blockquote).text).blocks) blocks.push(inner);
        break;
      case 'html':
        blocks.push({ type: 'paragraph', runs: [{ text: (t as Tokens.HTML).text }] });
        break;
      default:
        break;
    }
  }
  return { title, blocks };
}
