// HTML printed from a browser (Chromium print-to-PDF was looked at): page numbers, nothing left alone at a page foot, chart labels.
import { describe, expect, it } from 'vitest';
import { chartSvg } from '../../src/render/chart.js';
import { toHtml } from '../../src/render/html.js';
import { markdownToDocument } from '../../src/render/from-markdown.js';

describe('HTML print', () => {
  const html = toHtml(markdownToDocument('# 标题\n\n## 工作开展情况\n\n正文。\n\n::: signature\n青石镇卫生院\n2025年1月10日\n:::\n'));
  it('prints — N — page numbers, odd pages right and even pages left, in 宋体 四号', () => {
    expect(html).toMatch(/@page :right \{ @bottom-right \{ content: "— " counter\(page\) " —"; font-family: '宋体'[^}]*font-size: 14pt;/);
    expect(html).toMatch(/@page :left \{ @bottom-left \{ content: "— " counter\(page\) " —";/);
  });
  it('keeps headings, chart captions and lead-in lines with what follows, and the signature in one piece', () => {
    expect(html).toMatch(/h1, h2, h3, h4, h5, figcaption, p:has\(\+ table\), p:has\(\+ figure\), p:has\(\+ \.signature\), \.attachments \{ break-after: avoid; \}/);
    expect(html).toContain('figure, .signature { break-inside: avoid; }');
    // GB/T 9704 §7.3.5: the unit centred over the date (one centred box), the date's end 4 characters from the margin.
    expect(html).toContain('<div class="signature" style="padding-right: 4em"><div class="box"><p>青石镇卫生院</p><p>2025年1月10日</p></div></div>');
    expect(html).toContain('.signature .box { display: inline-block; text-align: center; }');
  });
});

describe('SVG chart', () => {
  const svg = chartSvg({ type: 'chart', unit: '%', items: [{ label: '乙肝疫苗首针及时接种率', value: 87, target: 90, met: false }, { label: '百白破疫苗脱漏率', value: 12.9, target: 5, met: false }, { label: '建证率', value: 97.3, target: 95, met: true }] });
  it('the value label starts right of the target mark (never crossed by it) and says 达标/未达标', () => {
    const marks = [...svg.matchAll(/<line x1="([\d.]+)"[^>]*stroke-width="2"\/>/g)].map((m) => Number(m[1]));
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+">([^<]*%[^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), text: m[2]! }));
    expect(labels.map((l) => l.text)).toEqual(['87.0% 未达标', '12.9% 未达标', '97.3% 达标']);
    for (let i = 0; i < 3; i++) expect(labels[i]!.x).toBeGreaterThan(marks[i]!);
  });
  it('colours a lower-is-better bar that is past its mark as not met', () => {
    const red = svg.match(/fill="#c0392b"/g)?.length ?? 0;
    // Two unmet bars plus the legend swatch.
    expect(red).toBe(3);
  });
});
