// The render engine: Markdown → model → DOCX/HTML/Markdown; DOCX structure read from its XML as Word would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toDocx } from '../../src/render/docx.js';
import { toHtml } from '../../src/render/html.js';
import { markdownToDocument } from '../../src/render/markdown.js';
import { toMarkdown } from '../../src/render/md.js';

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
  it('signature and date right-aligned, four characters from the right margin; chart bars are PNG images', () => {
    expect(document).toMatch(/<w:ind w:right="1280"\/><w:jc w:val="right"\/>[\s\S]*?青石镇卫生院<\/w:t>/);
    expect(Object.keys(files).filter((f) => f.startsWith('word/media/') && f.endsWith('.png'))).toHaveLength(2);
  });
  it('LibreOffice opens it and prints the expected pages (when LibreOffice is installed)', () => {
    const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
    expect(bytes.length).toBeGreaterThan(5000);
    if (!soffice) {
      // CI machines without LibreOffice still check the XML above; say visibly that the conversion did not run.
      console.warn('[engine-docx] soffice not on PATH: LibreOffice conversion and PDF page count NOT checked');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-docx-'));
    const file = path.join(dir, 'plan.docx');
    writeFileSync(file, bytes);
    const r = spawnSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(existsSync(path.join(dir, 'plan.pdf'))).toBe(true);
    const info = spawnSync('pdfinfo', [path.join(dir, 'plan.pdf')], { encoding: 'utf8' }).stdout;
    if (info) expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(1);
  });
});
