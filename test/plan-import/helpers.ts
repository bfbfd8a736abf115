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
