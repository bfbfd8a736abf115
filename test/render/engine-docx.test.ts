// The render engine: Markdown → model → DOCX/HTML/Markdown; DOCX structure read from its XML as Word would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDocx } from '../../src/render/docx.js';
import { toHtml } from '../../src/render/html.js';
import { markdownToDocument } from '../../src/render/from-markdown.js';
import { toMarkdown } from '../../src/render/to-markdown.js';


const SOFFICE = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
const HAVE_PDFTOOLS = spawnSync('sh', ['-c', 'command -v pdfinfo && command -v pdftotext'], { encoding: 'utf8' }).status === 0;

/** CI machines without LibreOffice still check the XML; say visibly that the conversion did not run. */
function noLibreOffice(): void {
  console.warn('[engine-docx] soffice not on PATH: LibreOffice conversion and PDF page count NOT checked');
}

interface Pdf { name: string; pages: number; text: string[] }

/**
 * Convert DOCX files with LibreOffice headless (own profile, so a running LibreOffice does not interfere) and read each
 * PDF back: page count from pdfinfo, text per page from pdftotext. Fails when LibreOffice reports an error, a PDF is
 * missing, or the poppler tools needed to read it are missing.
 */
function convertWithLibreOffice(docs: Record<string, Uint8Array>): Pdf[] {
  expect(HAVE_PDFTOOLS, 'LibreOffice is installed but pdfinfo/pdftotext (poppler-utils) are not: the PDF cannot be checked').toBe(true);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-docx-'));
  try {
    const names = Object.keys(docs);
    for (const n of names) writeFileSync(path.join(dir, n), docs[n]!);
    const r = spawnSync(SOFFICE, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...names.map((n) => path.join(dir, n))], { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/error/i);
    return names.map((n) => {
      const pdf = path.join(dir, n.replace(/\.docx$/, '.pdf'));
      expect(existsSync(pdf), `${n}: LibreOffice wrote no PDF`).toBe(true);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
      expect(info.status, `${n}: pdfinfo: ${info.stderr}`).toBe(0);
      const pages = Number(/Pages:\s+(\d+)/.exec(info.stdout)?.[1]);
      const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout.split('\f').slice(0, pages);
      return { name: n, pages, text };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SAMPLE = `# 青石镇卫生院2025年工作计划

院内各科室：

为做好全年工作，制定本计划。包含 \\*星号\\* 与 \\<script\\>alert(1)\\</script\\> 和 \\{\\{x\\}\\}。

## 指导思想

坚持以人民健康为中心。

## 重点工作

### 医疗质量

#### 核心制度

##### 首诊负责

内容。

### 公共卫生

| 序号 | 指标 | 目标 |
|---:|:---|:---|
| 1 | 高血压患者规范管理率 | 不低于65% |
| 2 | 建证率 | 不低于95% |

## 保障措施

内容。

\`\`\`chart
{"title":"主要指标","unit":"%","items":[{"label":"建证率","value":97.3,"target":95},{"label":"规范管理率","value":58.1,"target":65}]}
\`\`\`

::: signature
青石镇卫生院
2025年1月10日
:::
`;

describe('markdown → document model', () => {
  const doc = markdownToDocument(SAMPLE);
  it('numbers headings automatically: 一、 （一） 1. （1）, resetting under each parent', () => {
    const hs = doc.blocks.filter((b) => b.type === 'heading').map((b) => (b as { number: string; text: string }).number + (b as { text: string }).text);
    expect(hs).toEqual(['一、指导思想', '二、重点工作', '（一）医疗质量', '1.核心制度', '（1）首诊负责', '（二）公共卫生', '三、保障措施']);
  });
  it('keeps escaped text literally, tables with alignment, signature lines and the chart', () => {
    const para = doc.blocks.find((b) => b.type === 'paragraph' && JSON.stringify(b).includes('星号'));
    expect(JSON.stringify(para)).toContain('*星号*');
    expect(JSON.stringify(para)).toContain('<script>alert(1)</script>');
    expect(JSON.stringify(para)).toContain('{{x}}');
    expect(doc.blocks.find((b) => b.type === 'table')).toMatchObject({ header: ['序号', '指标', '目标'], align: ['right', 'left', 'left'] });
    expect(doc.blocks.find((b) => b.type === 'signature')).toEqual({ type: 'signature', lines: ['青石镇卫生院', '2025年1月10日'] });
    expect(doc.blocks.find((b) => b.type === 'chart')).toMatchObject({ unit: '%', items: [{ label: '建证率', value: 97.3, target: 95 }, { label: '规范管理率', value: 58.1, target: 65 }] });
  });
});

describe('HTML and Markdown writers', () => {
  const doc = markdownToDocument(SAMPLE);
  it('HTML is one self-contained page: A4 print CSS, fonts with fallbacks, text escaped (no <script> executed), inline SVG chart', () => {
    const html = toHtml(doc);
    expect(html).toContain('@page { size: A4; margin: 37mm 26mm 35mm 28mm; }');
    expect(html).toMatch(/font-family: '仿宋_GB2312', '仿宋', FangSong/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<h2>一、指导思想</h2>');
    expect(html).toMatch(/<svg[^>]*>.*建证率.*<\/svg>/s);
    expect(html).not.toMatch(/<link |<script src/);
  });
  it('Markdown keeps the numbers in the headings and pipe tables', () => {
    const md = toMarkdown(doc);
    expect(md).toContain('## 一、指导思想');
    expect(md).toContain('#### 1.核心制度');
    expect(md).toContain('| 序号 | 指标 | 目标 |');
    expect(md).toContain('| ---: | --- | --- |');
  });
});

describe('DOCX in the official layout', async () => {
  const bytes = await toDocx(markdownToDocument(SAMPLE));
  const files = unzipSync(bytes);
  const xml = (name: string) => strFromU8(files[name]!);
  const document = xml('word/document.xml');
  it('A4, margins 37/28/26/35 mm, 22 lines per page (linePitch 579)', () => {
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(document).toMatch(/<w:docGrid w:type="lines" w:linePitch="579"/);
  });
  it('East Asian fonts on the runs: 方正小标宋简体 title 22 pt, 仿宋_GB2312 body 16 pt, 黑体 level 1, 楷体_GB2312 level 2', () => {
    expect(document).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/><w:sz w:val="44"\/>.*?青石镇卫生院2025年工作计划/s);
    expect(document).toMatch(/w:eastAsia="黑体"[\s\S]*?一、指导思想/);
    expect(document).toMatch(/w:eastAsia="楷体_GB2312"[\s\S]*?（一）医疗质量/);
    expect(document).toMatch(/w:eastAsia="仿宋_GB2312"[^>]*\/><w:sz w:val="32"\/>/);
    expect(document).toMatch(/<w:ind w:firstLine="640"\/>/);
  });
  it('font table carries the fallbacks (w:altName)', () => {
    const ft = xml('word/fontTable.xml');
    expect(ft).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
    expect(ft).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>');
  });
  it('page numbers — N — in odd (right) and even (left) footers with PAGE fields', () => {
    expect(xml('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const footers = Object.keys(files).filter((f) => /^word\/footer\d+\.xml$/.test(f)).map(xml);
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toMatch(/PAGE/);
      expect(f).toContain('— </w:t>');
      expect(f).toMatch(/w:eastAsia="宋体"[^>]*\/><w:sz w:val="28"\/>/);
    }
    expect(footers.map((f) => /<w:jc w:val="(right|left)"\/>/.exec(f)?.[1]).sort()).toEqual(['left', 'right']);
    expect(document).toMatch(/<w:footerReference w:type="even"/);
    expect(document).toMatch(/<w:footerReference w:type="default"/);
  });
  it('tables: bold repeated header row, borders, right-aligned number column', () => {
    expect(document).toMatch(/<w:tblHeader\/>[\s\S]*?<w:b\/>[\s\S]*?序号/);
    expect(document).toMatch(/<w:tblBorders>[\s\S]*?<w:insideV w:val="single"/);
    expect(document).toMatch(/<w:jc w:val="right"\/><\/w:pPr><w:r><w:rPr>[\s\S]{0,300}?<w:t xml:space="preserve">1<\/w:t>/);
  });
  it('the date right-aligned four characters from the right margin, the unit centred over it (GB/T 9704 §7.3.5); chart bars are PNG images', () => {
    // 2025年1月10日 is 6.5 characters wide, 青石镇卫生院 6: the unit ends a quarter character further in (1280 + 80 twips).
    expect(document).toMatch(/<w:ind w:right="1360"\/><w:jc w:val="right"\/>[\s\S]*?青石镇卫生院<\/w:t>[\s\S]*?<w:ind w:right="1280"\/><w:jc w:val="right"\/>[\s\S]*?2025年1月10日<\/w:t>/);
    expect(Object.keys(files).filter((f) => f.startsWith('word/media/') && f.endsWith('.png'))).toHaveLength(2);
  });
  it('LibreOffice opens it and prints the expected pages (when LibreOffice is installed)', () => {
    expect(bytes.length).toBeGreaterThan(5000);
    if (!SOFFICE) return noLibreOffice();
    const [pdf] = convertWithLibreOffice({ 'plan.docx': bytes });
    // Title, nine short blocks, a table and the chart: two pages as laid out today.
    expect(pdf!.pages).toBe(2);
    expect(pdf!.text[0]!.replace(/\s+/g, '')).toContain('青石镇卫生院2025年工作计划');
    expect(pdf!.text[1]!.replace(/\s+/g, '')).toContain('2025年1月10日');
  }, 180_000);
});

describe('the bundled examples, their summary and assessment through LibreOffice', () => {
  const root = path.resolve(__dirname, '../..');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gw-lo-'));
  const db = path.join(tmp, 'examples.sqlite');
  const gw = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8' });
  /** Expected pages of each document as laid out today (one page either way for font differences between machines). */
  const EXPECTED: Record<string, number> = {
    'qingshi-2025-annual-plan.docx': 6,
    'qingshi-2025-assessment.docx': 3,
    'qingshi-2025-immunization-scheme.docx': 3,
    'yunqi-2025-community-plan.docx': 2,
    'summary.docx': 15,
    'assessment-result.docx': 3,
  };
  const docs: Record<string, Uint8Array> = {};
  beforeAll(() => {
    const reg = path.join(root, 'examples', 'registers');
    const files = readdirSync(reg).filter((f) => /\.(xlsx|csv)$/i.test(f)).map((f) => path.join(reg, f));
    expect(gw('registers', 'import', ...files, '--db', db).status).toBe(0);
    const out = (n: string) => path.join(tmp, n);
    for (const f of readdirSync(path.join(root, 'examples')).filter((x) => x.endsWith('.yaml'))) {
      const r = gw('plan', 'render', path.join('examples', f), '--format', 'docx', '-o', out(f.replace(/\.yaml$/, '.docx')));
      expect(r.status, r.stderr).toBe(0);
    }
    expect(gw('plan', 'render', 'examples/qingshi-2025-annual-plan.yaml', '--summary', '--db', db, '--period', '2025', '--format', 'docx', '-o', out('summary.docx')).status).toBe(0);
    expect(gw('plan', 'assess', 'examples/qingshi-2025-assessment.yaml', '--db', db, '--period', '2025', '--format', 'docx', '-o', out('assessment-result.docx')).status).toBe(0);
    for (const n of Object.keys(EXPECTED)) docs[n] = readFileSync(out(n));
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('every document opens without errors and has the expected pages, each numbered — N —, the signature on the last', () => {
    expect(Object.keys(docs).sort()).toEqual(Object.keys(EXPECTED).sort());
    if (!SOFFICE) return noLibreOffice();
    for (const pdf of convertWithLibreOffice(docs)) {
      const want = EXPECTED[pdf.name]!;
      expect(pdf.pages, pdf.name).toBeGreaterThanOrEqual(want - 1);
      expect(pdf.pages, pdf.name).toBeLessThanOrEqual(want + 1);
      pdf.text.forEach((page, i) => expect(page, `${pdf.name} page ${i + 1}`).toMatch(new RegExp(`—\\s*${i + 1}\\s*—`)));
      const last = pdf.text[pdf.pages - 1]!.replace(/\s+/g, '');
      expect(last, pdf.name).toMatch(/(青石镇卫生院|云栖社区卫生服务中心)20\d\d年\d{1,2}月\d{1,2}日/);
      // The signature never stands alone: its page has body text above it.
      expect(last.replace(/(青石镇卫生院|云栖社区卫生服务中心)20\d\d年\d{1,2}月\d{1,2}日.*$/, '').length, pdf.name).toBeGreaterThan(10);
    }
  }, 180_000);

  it('the summary PDF holds every part of a 工作总结 and no leaked words', () => {
    if (!SOFFICE) return noLibreOffice();
    const [pdf] = convertWithLibreOffice({ 'summary.docx': docs['summary.docx']! });
    const all = pdf!.text.join('').replace(/\s+/g, '');
    let at = -1;
    for (const h of ['青石镇卫生院2025年工作总结', '一、基本概况', '二、工作开展情况', '2025年主要指标完成情况', '（一）居民健康档案管理', '计划重点任务', '三、存在问题', '四、下一步打算']) {
      const i = all.indexOf(h);
      expect(i, h).toBeGreaterThan(at);
      at = i;
    }
    expect(all).not.toMatch(/undefined|NaN|null|[a-z]+_[a-z]+/);
  }, 180_000);
});
