// Real plans transcribed into the format lose nothing: each plan in test/fixtures/transcribed/ (one per collection of
// public township/community plans) has its source text beside it (*.txt: `# 标题`, `## 章`, `### 节`, one paragraph or
// numbered item per line, numbers typed as in the original dropped — the renderer numbers). Through the real binary
// each validates, renders to Markdown, and chapter by chapter every line of the source is found in the rendered text in
// the same order (numbering and Markdown markup aside). A line starting with ≈ is a list of targets that the plan
// states as 指标 entries: each of its figures (98%, 3000人次) must be in that chapter. With LibreOffice the DOCX of each
// converts to PDF and shows the chapter titles in order.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from '../plan/helpers.js';
import { expectImprintAtFoot } from './pdf-page.js';

const dir = path.join(root, 'test/fixtures/transcribed');
const plans = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

const NUMBER = /^(?:#+\s*)?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]、?|\d+[.、．]\s?|[（(]\d+[)）]、?)/;
/** Text without Markdown markup, numbering at the start of lines, and white space. */
function plainText(s: string): string {
  return s
    .split('\n')
    .filter((l) => !/^\|?\s*:?-{3,}/.test(l.trim()))
    .map((l) => l.replace(/<\/?p[^>]*>/g, '').replace(/\*\*/g, '').replace(/\\(.)/g, '$1').replace(/^#+\s*/, '').replace(/^(?:\|\s*)?\d+\s*\|/, '').replace(NUMBER, '').replace(/\|/g, ''))
    .join('')
    .replace(/[\s\u3000]/g, '');
}

interface Chapter {
  title: string;
  lines: string[];
}
/** Title, the lines before the first chapter, and the chapters (## …) of a source text or rendered Markdown. */
function chapters(text: string): { title: string; head: string[]; chapters: Chapter[] } {
  const out = { title: '', head: [] as string[], chapters: [] as Chapter[] };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (/^# /.test(line) && !out.title) out.title = line.slice(2).trim();
    else if (/^## /.test(line)) out.chapters.push({ title: line.slice(3).trim(), lines: [] });
    else (out.chapters.length ? out.chapters[out.chapters.length - 1]!.lines : out.head).push(line);
  }
  return out;
}

/** The source lines (in order) that the rendered text is missing or has out of order; ≈ lines by their figures. */
function missing(source: string[], rendered: string[]): string[] {
  const text = plainText(rendered.join('\n'));
  const out: string[] = [];
  let at = 0;
  for (const line of source) {
    if (line.startsWith('≈')) {
      for (const fig of line.match(/\d+(?:\.\d+)?(?:%|‰|\/10万|人次|次|人)/g) ?? []) if (!text.includes(fig)) out.push(`${fig}（${line.slice(0, 20)}…）`);
      continue;
    }
    const want = plainText(line);
    const found = text.indexOf(want, at);
    if (found < 0) out.push(text.includes(want) ? `次序不对：${line.slice(0, 40)}` : `缺少：${line.slice(0, 40)}`);
    else at = found + want.length;
  }
  return out;
}

describe('the comparison itself', () => {
  it('finds a dropped line, a moved line and a missing target figure; ignores numbering and markup', () => {
    const rendered = ['## 一、工作目标', '1. 建立首诊责任制。', '2. 建立岗位竞争机制。', '| 1 | 新法接生率 | 超过98% |'];
    expect(missing(['（一）建立首诊责任制。', '(二)建立岗位竞争机制。', '≈新法接生率>98%'], rendered)).toEqual([]);
    expect(missing(['建立首诊责任制。', '建立分配机制。'], rendered)).toEqual(['缺少：建立分配机制。']);
    expect(missing(['建立岗位竞争机制。', '建立首诊责任制。'], rendered)).toEqual(['次序不对：建立首诊责任制。']);
    expect(missing(['≈住院分娩率>99%'], rendered)).toEqual(['99%（≈住院分娩率>99%…）']);
  });
});

describe('transcribed plans: nothing dropped or reordered', () => {
  it('there are at least six, from different collections', () => {
    expect(plans.length).toBeGreaterThanOrEqual(6);
    for (const p of plans) expect(existsSync(path.join(dir, p.replace(/\.yaml$/, '.txt'))), p).toBe(true);
  });

  for (const p of plans) {
    it(p, () => {
      const file = path.join(dir, p);
      const v = gongwei(['plan', 'validate', '-q', file]);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      const out = path.join(tempDir(), 'plan.md');
      const r = gongwei(['plan', 'render', file, '-f', 'md', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      const md = chapters(readFileSync(out, 'utf8'));
      const src = chapters(readFileSync(file.replace(/\.yaml$/, '.txt'), 'utf8'));
      expect(plainText(md.title)).toBe(plainText(src.title));
      expect(missing(src.head, md.head), '开头').toEqual([]);
      // Chapters in order (the document may add its own, e.g. 考核等级, in between); each with all its lines in order.
      let from = 0;
      for (const ch of src.chapters) {
        const i = md.chapters.findIndex((c, n) => n >= from && plainText(c.title) === plainText(ch.title));
        expect(i, `章节「${ch.title}」`).toBeGreaterThanOrEqual(0);
        from = i + 1;
        expect(missing(ch.lines, [md.chapters[i]!.title, ...md.chapters[i]!.lines]), `章节「${ch.title}」`).toEqual([]);
      }
    });
  }
});

const hasSoffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
describe.runIf(hasSoffice)('transcribed plans in Word: LibreOffice opens each and shows the chapters in order', () => {
  it('DOCX → PDF (one LibreOffice run), chapter titles in order in the PDF text', () => {
    const work = tempDir('gw-transcribed-');
    const docx = plans.map((p) => {
      const out = path.join(work, p.replace(/\.yaml$/, '.docx'));
      const r = gongwei(['plan', 'render', path.join(dir, p), '-f', 'docx', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      return out;
    });
    const lo = spawnSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, ...docx], { encoding: 'utf8', timeout: 240_000 });
    expect(lo.status, lo.stderr).toBe(0);
    for (const d of docx) {
      const pdf = d.replace(/\.docx$/, '.pdf');
      expect(existsSync(pdf), pdf).toBe(true);
      const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(text.status, 'pdftotext (poppler-utils) is needed beside LibreOffice').toBe(0);
      const flat = plainText(text.stdout);
      const src = chapters(readFileSync(path.join(dir, path.basename(d).replace(/\.docx$/, '.txt')), 'utf8'));
      let at = 0;
      for (const ch of src.chapters) {
        const found = flat.indexOf(plainText(ch.title), at);
        expect(found, `${path.basename(d)}：${ch.title}`).toBeGreaterThanOrEqual(0);
        at = found;
      }
      expect(text.stdout).toMatch(/—\s*1\s*—/);
      if (/^抄送|^印发/m.test(readFileSync(path.join(dir, path.basename(d).replace(/\.docx$/, '.yaml')), 'utf8'))) expectImprintAtFoot(pdf);
    }
  }, 300_000);
});
