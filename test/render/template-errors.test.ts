// A user's template directory (plan templates export, then edited) through the real binary: every mistake is a Chinese
// RENDER_TEMPLATE_* error naming the template file and line, exit 2, and no document with undefined/NaN/[object Object].
import { cpSync, existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const PLAN = path.join(root, 'examples/qingshi-2025-annual-plan.yaml');
let exported: string;

beforeAll(() => {
  exported = path.join(tempDir('gw-tpl-'), 'templates');
  expect(gongwei(['plan', 'templates', 'export', exported]).code).toBe(0);
});

/** A copy of the exported templates with `line` appended to annual-plan.hbs (and extra partials); rendered to Markdown. */
function renderWith(line: string, partials: Record<string, string> = {}) {
  const d = tempDir('gw-tpl-');
  const dir = path.join(d, 'tpl');
  cpSync(exported, dir, { recursive: true });
  const main = path.join(dir, 'annual-plan.hbs');
  const at = readFileSync(main, 'utf8').split('\n').length; // the appended text starts on this line
  appendFileSync(main, `${line}\n`);
  for (const [name, text] of Object.entries(partials)) writeFileSync(path.join(dir, 'partials', `${name}.hbs`), text);
  const out = path.join(d, 'out.md');
  const started = Date.now();
  const r = gongwei(['plan', 'render', PLAN, '--templates', dir, '-f', 'md', '-o', out]);
  return { ...r, main, dir, out, line: at, ms: Date.now() - started };
}

function expectTemplateError(r: ReturnType<typeof renderWith>, code: string, file: string, line: number, words: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  const at = line ? `:${line}(:\\d+)?` : '';
  expect(r.stderr).toMatch(new RegExp(`^错误 \\[${code}\\]：${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${at}：`));
  expect(r.stderr).toMatch(words);
  expect(r.stderr).not.toMatch(/INTERNAL|Cannot read|not defined in|\[object Object\]|could not be found|Maximum call stack|at .*\.js:\d+/);
  expect(existsSync(r.out)).toBe(false);
}

describe('template mistakes are Chinese errors at their file and line', () => {
  it('{{log}} (no such helper here: the library never prints)', () => {
    const r = renderWith('{{log "看这里"}}');
    expectTemplateError(r, 'RENDER_TEMPLATE_HELPER', r.main, r.line, /不存在的辅助函数“log”/);
    expect(r.stderr).toContain('提示：可用的辅助函数：');
  });

  it('an unknown helper', () => {
    const r = renderWith('第一行\n{{大写金额 1234}}');
    expectTemplateError(r, 'RENDER_TEMPLATE_HELPER', r.main, r.line + 1, /不存在的辅助函数“大写金额”/);
  });

  it('a field that does not exist (strict mode), also one level down', () => {
    const r = renderWith('{{负责人}}');
    expectTemplateError(r, 'RENDER_TEMPLATE_VARIABLE', r.main, r.line, /负责人/);
    const r2 = renderWith('\n{{unit.名称.全称}}');
    expectTemplateError(r2, 'RENDER_TEMPLATE_VARIABLE', r2.main, r2.line + 1, /不存在的字段“全称”/);
  });

  it('a missing partial is blamed on the file and line that include it, not on the last partial rendered', () => {
    const r = renderWith('\n\n{{> 落款2}}');
    expectTemplateError(r, 'RENDER_TEMPLATE_PARTIAL', r.main, r.line + 2, /不存在的部分模板“落款2”/);
    expect(r.stderr).not.toContain('signature.hbs');
  });

  it('a partial that includes itself: RENDER_TEMPLATE_RECURSION, not a stack overflow', () => {
    const r = renderWith('{{> loop}}', { loop: '一行\n{{> loop}}\n' });
    expectTemplateError(r, 'RENDER_TEMPLATE_RECURSION', path.join(r.dir, 'partials', 'loop.hbs'), 2, /引用了自己/);
  });

  it.each([
    ['{{formatDate 没有这个字段}}', /formatDate 的第 1 个参数应为文字或数字，实际是未定义/],
    ['{{inc unit}}', /inc 的第 1 个参数应为数字，实际是“青石镇卫生院”/],
    ['{{chineseNumeral sections}}', /chineseNumeral 的第 1 个参数应为不小于 0 的整数，实际是一个列表/],
    ['{{capitalAmount "十二"}}', /capitalAmount 的第 1 个参数应为数字/],
    ['{{formatValue 12}}', /formatValue 需要 2 个参数，只给了 1 个/],
    ['{{targetPhrase unit}}', /targetPhrase 的第 1 个参数应为目标（对象）或空值/],
    ['{{resultSentence sections}}', /resultSentence 的第 1 个参数应为对象/],
  ])('a helper given a bad argument fails instead of writing undefined/NaN/[object Object]: %s', (line, words) => {
    const r = renderWith(line);
    expectTemplateError(r, 'RENDER_TEMPLATE_ARGUMENT', r.main, r.line, words);
  });

  it('an object or a list written out as it is ({{{…}}} too) is an error, not [object Object]', () => {
    const r = renderWith('{{{sections}}}');
    expectTemplateError(r, 'RENDER_TEMPLATE_OUTPUT', r.main, r.line, /输出了一个列表/);
  });

  it('the templates as exported render, and the output has none of undefined/NaN/[object Object]', () => {
    const r = renderWith('');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(r.out, 'utf8')).not.toMatch(/undefined|NaN|\[object Object\]/);
  });
});

describe('pathological templates are bounded', () => {
  it('100 000 {{title}}: refused in about a second (it took 112 s and 5.7 GB)', () => {
    const r = renderWith('{{title}}'.repeat(100_000));
    expectTemplateError(r, 'RENDER_TEMPLATE_TOO_LARGE', r.main, 0, /模板太大/);
  }, 60_000);

  it('loops over loops stop after a step budget with the line of the loop', () => {
    const each = (n: number): string => (n ? `{{#each @root.sections}}${each(n - 1)}{{/each}}` : '{{@root.title}}');
    const r = renderWith(each(8));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[RENDER_TEMPLATE_TOO_LARGE\]：.*annual-plan\.hbs:\d+:\d+：模板执行的步骤超过 100,000 步/);
    expect(existsSync(r.out)).toBe(false);
  }, 60_000);
});

describe('the document model is bounded too (Markdown from the library API)', () => {
  it('too much Markdown, or too many cells: RENDER_DOCUMENT_TOO_LARGE before any writer builds it', async () => {
    const { markdownToDocument } = await import('../../src/render/from-markdown.js');
    expect(() => markdownToDocument('字'.repeat(2_000_001))).toThrow(expect.objectContaining({ code: 'RENDER_DOCUMENT_TOO_LARGE' }));
    const row = `|${' 1 |'.repeat(12)}`;
    const table = [`|${' 列 |'.repeat(12)}`, `|${' --- |'.repeat(12)}`, ...Array.from({ length: 8500 }, () => row)].join('\n');
    expect(() => markdownToDocument(table)).toThrow(expect.objectContaining({ code: 'RENDER_DOCUMENT_TOO_LARGE' }));
    expect(markdownToDocument(table.split('\n').slice(0, 1000).join('\n')).blocks).toHaveLength(1);
  }, 60_000);
});
