// Shared helpers for the plan-import tests: fixtures, an importer for inline text, and a sentence splitter that does not use the importer's code.
import path from 'node:path';
import { importPlanDoc, type ImportOptions } from '../../src/plan-import/index.js';
import { readText } from '../../src/plan-import/read-text.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const fixtures = path.join(root, 'test', 'fixtures', 'plan-import');
export const seedNames = ['000_1b566c3ecc2d5acb', '001_2535509811445280', '002_f6737dfff0e68e66', '003_82357f570e9e2bac', '004_f21227d3dbc060fc'];
export const seedFile = (name: string, ext = 'txt') => path.join(fixtures, 'seeds', `${name}.${ext}`);
export const examplePlan = path.join(root, 'examples', 'plan-import', '青石镇卫生院2026年工作计划.txt');

/** Import a plan written inline (UTF-8 text). */
export function importText(text: string, opts: ImportOptions = {}, name = 'plan.txt') {
  return importPlanDoc(readText(Buffer.from(text, 'utf8'), name, name.endsWith('.md')), opts);
}

/** Compare texts without layout: no spaces of any kind. */
export const squeeze = (s: string) => s.replace(/[\s\u3000\u00a0\u200b]+/g, '');

/**
 * Numbering as authors type it (written here independently of the importer): 一、 （一） (一)、 1、 1. 1， （1） ① ⑴ a、
 * 第一章, with an optional list dash, at the start of a line or a sentence, or right after a collection label (篇1一、).
 */
const NUMBERING = /(^|[。！？；;!?：:]|篇\s?(?:\d{1,2}|[一二三四五六七八九十]{1,3}))\s*(?:[-*•]\s*)?(?:第[一二三四五六七八九十]+[章节部分]|[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]\s*[、.．,，]?|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、．，,](?!\d)|\d{1,2}\.(?!\d)|\d{1,2}\.(?=20)|[\u2460-\u2473\u2474-\u2487]|[a-z][、.．])/g;
/** A numeral without its punctuation at the start of a line ("一工作重点……", "5加强……"): the importer reads these as numbering in sequence. */
const BARE = /^(?:[一二三四五六七八九十]{1,2}|\d{1,2})(?=[\u4e00-\u9fff])/;
/** Page numbers of the web copy in 001 ("1、" … "23、" before each page). */
const PAGE = /^\d{1,2}、/;

/** The sentences of a source text, numbering aside, without layout. */
export function sourceSentences(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    let l = raw.replace(/^[\s\u3000]+/, '').replace(PAGE, '').replace(/^[-*•]\s+/, '');
    l = l.replace(NUMBERING, '$1').replace(BARE, '');
    for (const s of l.split(/[。！？；;!?：:]/)) {
      const t = squeeze(s);
      if (t) out.push({ line: i + 1, text: t });
    }
  });
  return out;
}

/** Markdown as text: backslash escapes undone, heading marks and table rules dropped. */
export function markdownText(md: string): string {
  return squeeze(md.replace(/\\(.)/g, '$1').replace(/^#+\s*/gm, '').replace(/\|/g, '').replace(/^:::.*$/gm, ''));
}

/**
 * The text of a draft in the order docs/plan-format.md gives for a document: 前言, each chapter of 正文 (标题, 内容, 条目,
 * 表格, 任务, 小节, 结尾 — 指标 left out, they repeat sentences of the text), 工作目标, 结束语, each 附件 (“附件” and its title first). Metadata is not in it.
 */
export function draftText(plan: Record<string, any>): string {
  const out: string[] = [];
  const text = (v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(text);
  };
  const part = (p: Record<string, any> | undefined) => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) return text(p);
    text(p.标题);
    text(p.内容);
    text(p.条目);
    for (const t of [p.表格 ?? []].flat()) {
      text(t.标题);
      text(t.表头);
      (t.行 as unknown[][]).forEach(text);
      text(t.注);
    }
    for (const t of p.任务 ?? []) text(typeof t === 'string' ? t : t.内容);
    (p.小节 ?? []).forEach(part);
    text(p.结尾);
  };
  text(plan.前言);
  (plan.正文 ?? []).forEach(part);
  part(plan.工作目标);
  text(plan.结束语);
  // Each 附件 is headed “附件1”, “附件2” … above its title.
  for (const a of plan.附件 ?? []) {
    out.push('附件');
    part(a);
  }
  return squeeze(out.join(''));
}

/** The sentences not found in `text` in the order given: each one is looked for after the place the one before was found. */
export function outOfOrder(sentences: Array<{ text: string }>, text: string): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const s of sentences) {
    const i = text.indexOf(s.text, at);
    if (i < 0) missing.push(s.text);
    else at = i + s.text.length;
  }
  return missing;
}
