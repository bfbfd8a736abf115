// Documents keep what the author wrote: URLs, = ^ $ & \ * and HTML-looking text in a plan come out as written in DOCX,
// HTML and Markdown — no escaping leaks into the output, and nothing the author wrote becomes markup (through the binary).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { markdownToDocument } from '../../src/render/from-markdown.js';
import { runsText } from '../../src/render/document.js';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const UNIT = '青石镇卫生院<script/x>alert(2)//</script/> a=b^c$d';
const URL1 = 'http://www.nhc.gov.cn/jws/s7874/list.shtml';
const URL2 = 'https://example.org/a_b_c?x=1&y=2';
const LINE = `依据 ${URL1} 和 ${URL2} 的要求，a*b* 与 C:\\temp\\x 路径，<b>粗</b> &amp; 1<2。`;
const STARTS = '1. 这一段以“1.”开头，# 也不是标题';

let dir: string;
const out = (ext: string) => path.join(dir, `plan.${ext}`);

beforeAll(() => {
  dir = tempDir('gw-faithful-');
  let text = readFileSync(path.join(root, 'examples/qingshi-2025-annual-plan.yaml'), 'utf8');
  text = text.replace('单位: 青石镇卫生院', `单位: '${UNIT}'`);
  text = text.replace('前言:\n', `前言:\n  - '${LINE}'\n  - '${STARTS}'\n`);
  const plan = path.join(dir, 'plan.yaml');
  writeFileSync(plan, text);
  for (const f of ['md', 'html', 'docx']) {
    const r = gongwei(['plan', 'render', plan, '-f', f, '-o', out(f)]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

const decodeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('the author’s text, literally', () => {
  it('DOCX: URLs, = ^ $, & and <script> text exactly as written, no backslash', () => {
    const xml = strFromU8(unzipSync(readFileSync(out('docx')))['word/document.xml']!);
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => decodeXml([...p[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')));
    expect(paragraphs).toContain(LINE);
    expect(paragraphs).toContain(STARTS);
    expect(paragraphs).toContain(UNIT); // the signature
    expect(paragraphs.some((p) => p.includes(`成立${UNIT}年度工作领导小组`))).toBe(true);
    expect(paragraphs.join('\n')).not.toMatch(/\\[.=^$_&*<]/);
  });

  it('HTML: the same text, escaped once, and <script> inert and visible', () => {
    const html = readFileSync(out('html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    expect(html).toContain(`<p>${esc(UNIT)}</p>`); // the signature line
    expect(html).toContain(esc(LINE));
    expect(html).not.toMatch(/\\[.=^$_&]/);
  });

  it('Markdown: reads back as the same text, the signature is HTML-escaped inside its <p align="right">', () => {
    const md = readFileSync(out('md'), 'utf8');
    expect(md).toContain(`<p align="right">${UNIT.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`);
    expect(md).toContain(URL1); // readable, no www\.nhc
    expect(md).not.toMatch(/\\\\[.=^$]/); // no doubled backslashes
    // Read back by the project's own reader: every paragraph is the author's text.
    const back = markdownToDocument(md).blocks.flatMap((b) => (b.type === 'paragraph' ? [runsText(b.runs)] : []));
    expect(back).toContain(LINE);
    expect(back).toContain(STARTS);
    // Read by a Markdown viewer: no script element, the text visible.
    const viewed = marked.parse(md, { async: false }) as string;
    expect(viewed).not.toMatch(/<script/i);
    expect(viewed).toContain('&lt;script/x&gt;alert(2)//&lt;/script/&gt; a=b^c$d');
    expect(viewed).not.toMatch(/<ol|<h1[^>]*>#/);
  });
});
