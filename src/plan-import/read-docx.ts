// Word documents (.docx from Word, WPS or LibreOffice): paragraphs with their heading level (style, outline level) and the numbers Word draws for them, tables as rows of cells.
import { strFromU8 } from 'fflate';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { GongweiError } from '../errors.js';
import type { Block, SourceDoc } from './blocks.js';
import { formatNumber } from './markers.js';
import { cleanLine } from './read-text.js';
import type { Check } from './tree.js';

const W_NS = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);
const MC_NS = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

interface StyleDef {
  name: string;
  basedOn?: string;
  outlineLvl?: number;
  numId?: string;
  ilvl?: number;
}

interface LevelDef {
  start: number;
  numFmt: string;
  lvlText: string;
  suff: string;
}

interface Numbering {
  /** numId → abstractNumId, with start overrides per level. */
  nums: Map<string, { abstractId: string; starts: Map<number, number> }>;
  abstracts: Map<string, Map<number, LevelDef>>;
}

/** Deleted or moved-away text, and the earlier formatting kept by tracked changes (w:pPrChange …). */
const SKIPPED = (local: string) => local === 'del' || local === 'moveFrom' || local.endsWith('Change');

function attr(tag: SaxesTagNS, local: string): string | undefined {
  for (const a of Object.values(tag.attributes)) if (a.local === local) return a.value;
  return undefined;
}

function parseXml(xml: string, file: string, part: string, on: { open(t: SaxesTagNS): void; close(t: SaxesTagNS): void; text?(s: string): void }): void {
  const parser = new SaxesParser({ xmlns: true, position: false });
  parser.on('opentag', on.open);
  parser.on('closetag', on.close);
  if (on.text) parser.on('text', on.text);
  try {
    parser.write(xml).close();
  } catch (e) {
    throw new GongweiError('PLAN_IMPORT_BAD_DOCX', `Word 文件已损坏，无法读取（${part} 不是合法的 XML）：${file}`, {
      hint: '请用 Word 或 WPS 打开后“另存为”一个新的 .docx 文件再导入。',
      cause: e,
    });
  }
}

function readStyles(xml: string | undefined, file: string): Map<string, StyleDef> {
  const styles = new Map<string, StyleDef>();
  if (!xml) return styles;
  let cur: StyleDef | undefined;
  let id = '';
  let inPPr = false;
  parseXml(xml, file, 'styles.xml', {
    open(t) {
      if (!W_NS.has(t.uri)) return;
      switch (t.local) {
        case 'style':
          id = attr(t, 'styleId') ?? '';
          cur = { name: '' };
          break;
        case 'name':
          if (cur) cur.name = attr(t, 'val') ?? '';
          break;
        case 'basedOn':
          if (cur) cur.basedOn = attr(t, 'val');
          break;
        case 'pPr':
          inPPr = true;
          break;
        case 'outlineLvl':
          if (cur && inPPr) cur.outlineLvl = Number(attr(t, 'val'));
          break;
        case 'numId':
          if (cur && inPPr) cur.numId = attr(t, 'val');
          break;
        case 'ilvl':
          if (cur && inPPr) cur.ilvl = Number(attr(t, 'val'));
          break;
      }
    },
    close(t) {
      if (!W_NS.has(t.uri)) return;
      if (t.local === 'pPr') inPPr = false;
      if (t.local === 'style' && cur) {
        styles.set(id, cur);
        cur = undefined;
      }
    },
  });
  return styles;
}

function readNumbering(xml: string | undefined, file: string): Numbering {
  const out: Numbering = { nums: new Map(), abstracts: new Map() };
  if (!xml) return out;
  let abstract: Map<number, LevelDef> | undefined;
  let lvl: LevelDef | undefined;
  let ilvl = 0;
  let num: { abstractId: string; starts: Map<number, number> } | undefined;
  let overrideLvl = -1;
  parseXml(xml, file, 'numbering.xml', {
    open(t) {
      if (!W_NS.has(t.uri)) return;
      switch (t.local) {
        case 'abstractNum':
          abstract = new Map();
          out.abstracts.set(attr(t, 'abstractNumId') ?? '', abstract);
          break;
        case 'lvl':
          ilvl = Number(attr(t, 'ilvl') ?? 0);
          lvl = { start: 1, numFmt: 'decimal', lvlText: `%${ilvl + 1}.`, suff: 'tab' };
          if (abstract) abstract.set(ilvl, lvl);
          break;
        case 'start':
          if (lvl) lvl.start = Number(attr(t, 'val') ?? 1);
          break;
        case 'numFmt':
          if (lvl) lvl.numFmt = attr(t, 'val') ?? 'decimal';
          break;
        case 'lvlText':
          if (lvl) lvl.lvlText = attr(t, 'val') ?? '';
          break;
        case 'suff':
          if (lvl) lvl.suff = attr(t, 'val') ?? 'tab';
          break;
        case 'num':
          num = { abstractId: '', starts: new Map() };
          out.nums.set(attr(t, 'numId') ?? '', num);
          break;
        case 'abstractNumId':
          if (num) num.abstractId = attr(t, 'val') ?? '';
          break;
        case 'lvlOverride':
          overrideLvl = Number(attr(t, 'ilvl') ?? 0);
          break;
        case 'startOverride':
          if (num && overrideLvl >= 0) num.starts.set(overrideLvl, Number(attr(t, 'val') ?? 1));
          break;
      }
    },
    close(t) {
      if (!W_NS.has(t.uri)) return;
      if (t.local === 'abstractNum') abstract = undefined;
      else if (t.local === 'lvl') lvl = undefined;
      else if (t.local === 'num') num = undefined;
      else if (t.local === 'lvlOverride') overrideLvl = -1;
    },
  });
  return out;
}

/** Heading level of a style: its outline level or a "heading N" / "标题 N" name, following basedOn. */
function styleLevel(styles: Map<string, StyleDef>, id: string | undefined): { level?: number; title?: boolean } {
  for (let i = 0, cur = id; cur && i < 20; i++) {
    const s = styles.get(cur);
    if (!s) break;
    const name = s.name.toLowerCase().replace(/\s+/g, ' ');
    if (name === 'title' || name === '标题') return { title: true };
    if (s.outlineLvl !== undefined && s.outlineLvl < 9) return { level: s.outlineLvl + 1 };
    const m = /^(?:heading|标题) ?(\d)$/.exec(name);
    if (m) return { level: Number(m[1]) };
    cur = s.basedOn;
  }
  return {};
}

function styleNumbering(styles: Map<string, StyleDef>, id: string | undefined): { numId?: string; ilvl?: number } {
  for (let i = 0, cur = id; cur && i < 20; i++) {
    const s = styles.get(cur);
    if (!s) break;
    if (s.numId !== undefined) return { numId: s.numId, ilvl: s.ilvl };
    cur = s.basedOn;
  }
  return {};
}

interface Para {
  text: string;
  style?: string;
  outlineLvl?: number;
  numId?: string;
  ilvl?: number;
}

/** The paragraphs and tables of word/document.xml. */
export function docxBlocks(files: Record<string, Uint8Array>, file: string): { blocks: Block[]; notes: Check[] } {
  const doc = files['word/document.xml'];
  if (!doc) throw new GongweiError('PLAN_IMPORT_NOT_DOCX', `这个压缩包里没有 Word 正文（word/document.xml），不是 .docx 文件：${file}`);
  const text = (name: string) => (files[name] ? strFromU8(files[name]!) : undefined);
  const styles = readStyles(text('word/styles.xml'), file);
  const numbering = readNumbering(text('word/numbering.xml'), file);
  const counters = new Map<string, number[]>();

  const blocks: Block[] = [];
  const notes: Check[] = [];
  let paraNo = 0;
  let deletedRuns = 0;
  let textBoxes = 0;
  /** Open paragraphs (a text box holds paragraphs inside a paragraph). */
  const paras: Para[] = [];
  /** Open tables: rows of cells, the cell being filled. */
  const tables: Array<{ rows: string[][]; at: number }> = [];
  let skip = 0; // inside mc:Fallback (a copy of mc:Choice), w:del, w:moveFrom, field instructions
  let inText = false;
  let inPPr = 0;

  const label = (numId: string, ilvl: number): { text: string; bullet: boolean } | undefined => {
    const num = numbering.nums.get(numId);
    const levels = num && numbering.abstracts.get(num.abstractId);
    const def = levels?.get(ilvl);
    if (!num || !levels || !def) return undefined;
    let c = counters.get(numId);
    if (!c) counters.set(numId, (c = []));
    const startOf = (l: number) => num.starts.get(l) ?? levels.get(l)?.start ?? 1;
    c[ilvl] = c[ilvl] === undefined ? startOf(ilvl) : c[ilvl]! + 1;
    for (let l = ilvl + 1; l < 9; l++) c[l] = undefined as unknown as number;
    if (def.numFmt === 'bullet') return { text: '', bullet: true };
    const drawn = def.lvlText.replace(/%([1-9])/g, (_, d: string) => {
      const l = Number(d) - 1;
      const n = c![l] ?? startOf(l);
      return formatNumber(n, levels.get(l)?.numFmt ?? 'decimal');
    });
    const sep = def.suff === 'space' ? ' ' : def.suff === 'nothing' ? '' : '\t';
    return { text: drawn ? drawn + sep : '', bullet: false };
  };

  const endParagraph = (p: Para) => {
    paraNo++;
    const at = paraNo;
    let body = p.text;
    let numId = p.numId;
    let ilvl = p.ilvl;
    if (numId === undefined) ({ numId, ilvl } = styleNumbering(styles, p.style));
    let bullet = false;
    if (numId && numId !== '0' && body.trim()) {
      const l = label(numId, ilvl ?? 0);
      if (l) {
        body = l.text + body;
        bullet = l.bullet;
      }
    }
    const table = tables.at(-1);
    if (table) {
      const row = table.rows.at(-1);
      if (row) row[row.length - 1] = row[row.length - 1] ? `${row[row.length - 1]}\n${cleanLine(body)}` : cleanLine(body);
      return;
    }
    const fromStyle = styleLevel(styles, p.style);
    const level = p.outlineLvl !== undefined && p.outlineLvl < 9 ? p.outlineLvl + 1 : fromStyle.level;
    const lines = body.split('\n').map(cleanLine);
    if (!lines.some(Boolean)) {
      blocks.push({ kind: 'blank', at });
      return;
    }
    for (const line of lines) {
      if (!line) continue;
      blocks.push({ kind: 'line', text: bullet ? `- ${line}` : line, at, ...(level ? { level } : {}), ...(fromStyle.title ? { title: true } : {}) });
    }
  };

  parseXml(strFromU8(doc), file, 'document.xml', {
    open(t) {
      if (t.uri === MC_NS && t.local === 'Fallback') skip++;
      if (!W_NS.has(t.uri)) return;
      if (skip) {
        if (SKIPPED(t.local)) skip++;
        return;
      }
      if (SKIPPED(t.local)) {
        if (t.local === 'del' || t.local === 'moveFrom') deletedRuns++;
        skip++;
        return;
      }
      const p = paras.at(-1);
      switch (t.local) {
        case 'p':
          paras.push({ text: '' });
          break;
        case 'pPr':
          inPPr++;
          break;
        case 'pStyle':
          if (p && inPPr) p.style = attr(t, 'val');
          break;
        case 'outlineLvl':
          if (p && inPPr) p.outlineLvl = Number(attr(t, 'val'));
          break;
        case 'numId':
          if (p && inPPr) p.numId = attr(t, 'val');
          break;
        case 'ilvl':
          if (p && inPPr) p.ilvl = Number(attr(t, 'val'));
          break;
        case 't':
          inText = true;
          break;
        case 'tab':
          if (p && !inPPr) p.text += '\t';
          break;
        case 'br':
        case 'cr':
          if (p && attr(t, 'type') !== 'page' && attr(t, 'type') !== 'column') p.text += '\n';
          break;
        case 'noBreakHyphen':
          if (p) p.text += '-';
          break;
        case 'txbxContent':
          textBoxes++;
          break;
        case 'tbl':
          tables.push({ rows: [], at: paraNo + 1 });
          break;
        case 'tr':
          tables.at(-1)?.rows.push([]);
          break;
        case 'tc':
          tables.at(-1)?.rows.at(-1)?.push('');
          break;
      }
    },
    text(s) {
      if (inText && !skip) {
        const p = paras.at(-1);
        if (p) p.text += s;
      }
    },
    close(t) {
      if (t.uri === MC_NS && t.local === 'Fallback') {
        skip--;
        return;
      }
      if (!W_NS.has(t.uri)) return;
      if (skip) {
        if (SKIPPED(t.local)) skip--;
        return;
      }
      switch (t.local) {
        case 'p': {
          const p = paras.pop();
          if (p) endParagraph(p);
          break;
        }
        case 'pPr':
          inPPr--;
          break;
        case 't':
          inText = false;
          break;
        case 'tbl': {
          const tb = tables.pop();
          if (!tb) break;
          const outer = tables.at(-1);
          if (outer) {
            // A table in a cell: its text goes into that cell.
            const row = outer.rows.at(-1);
            const inner = tb.rows.map((r) => r.join(' ')).join('\n');
            if (row) row[row.length - 1] = row[row.length - 1] ? `${row[row.length - 1]}\n${inner}` : inner;
          } else if (tb.rows.some((r) => r.some(Boolean))) {
            blocks.push({ kind: 'table', rows: tb.rows, at: tb.at });
          }
          break;
        }
      }
    },
  });
  if (deletedRuns) notes.push({ code: 'IMPORT_TRACKED_DELETIONS', severity: 'info', message: `文档中有 ${deletedRuns} 处修订（删除的文字），按接受修订后的文字导入` });
  if (textBoxes) notes.push({ code: 'IMPORT_TEXT_BOXES', severity: 'info', message: `文档中有 ${textBoxes} 个文本框，其中的文字放在所在段落之前` });
  return { blocks, notes };
}

export function readDocx(files: Record<string, Uint8Array>, file: string, names: string[]): SourceDoc {
  const { blocks, notes } = docxBlocks(files, file);
  if (!blocks.some((b) => b.kind !== 'blank')) {
    const images = names.some((n) => n.startsWith('word/media/'));
    throw new GongweiError('PLAN_IMPORT_NO_TEXT', `Word 文件里没有文字${images ? '（只有图片，可能是扫描件）' : ''}：${file}`, {
      hint: images ? '扫描的图片无法读出文字：请找原来的电子文档，或先用 WPS/Word 的“图片转文字”功能转成文字再导入。' : undefined,
    });
  }
  return { file, format: 'docx', unit: '段', blocks, notes };
}
