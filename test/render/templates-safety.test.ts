// The Handlebars environment: Markdown escaping, strict fields, refused prototype/global access, file:line errors.
import { describe, expect, it } from 'vitest';
import { createTemplateEngine, escapeMarkdown, TemplateError } from '../../src/render/templates.js';

function engine(text: string, partials: Record<string, string> = {}) {
  return createTemplateEngine({
    sources: [
      { name: 't', file: '/x/t.hbs', text },
      ...Object.entries(partials).map(([n, t]) => ({ name: `partials/${n}`, file: `/x/partials/${n}.hbs`, text: t })),
    ],
    helpers: { upper: (s: unknown) => String(s).toUpperCase(), today: () => '2025年1月1日' },
  });
}

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    return e as TemplateError;
  }
  throw new Error('expected an error');
}

describe('template environment', () => {
  it('escapes values for Markdown and keeps plain text', () => {
    const out = engine('# {{title}}\n{{upper name}} {{today}}').render('t', { title: '计划*一*', name: 'ab' });
    expect(out).toBe('# 计划\\*一\\*\nAB 2025年1月1日');
  });

  it('never re-evaluates {{ in data and escapes <script>', () => {
    const out = engine('{{x}}').render('t', { x: '{{constructor}} <script>alert(1)</script>' });
    expect(out).toContain('\\{\\{constructor\\}\\}');
    expect(out).not.toContain('<script>');
    expect(escapeMarkdown('a\nb')).toBe('a b');
  });

  it('accepts {{else if}} chains (they used to fail with an English JavaScript error)', () => {
    const t = engine('{{#if a}}\nA{{x}}\n{{else if b}}\nB{{x}}\n{{else}}\nC\n{{/if}}\n');
    expect(t.render('t', { a: false, b: true, x: '*' })).toBe('B\\*\n');
    expect(t.render('t', { a: false, b: false, x: '' })).toBe('C\n');
  });

    it('reports a syntax error with file and line', () => {
    const e = thrown(() => engine('第一行\n第二行\n{{#if x}}\n{{foo}\n'));
    expect(e.code).toBe('RENDER_TEMPLATE_SYNTAX');
    expect(e.file).toBe('/x/t.hbs');
    expect(e.line).toBe(4);
  });

  it('reports a mismatched block with file and line', () => {
    const e = thrown(() => engine('a\n{{#if x}}\n{{/each}}'));
    expect(e.code).toBe('RENDER_TEMPLATE_SYNTAX');
    expect(e.line).toBe(2);
  });

  it('reports a syntax error in a partial with the partial file', () => {
    const e = thrown(() => engine('{{> sig}}', { sig: 'ok\n{{#each}}' }));
    expect(e.code).toBe('RENDER_TEMPLATE_SYNTAX');
    expect(e.file).toBe('/x/partials/sig.hbs');
  });

  it('missing fields are errors with file:line (strict), also inside partials', () => {
    const e = thrown(() => engine('ok\n\n{{nope}}').render('t', {}));
    expect(e.code).toBe('RENDER_TEMPLATE_VARIABLE');
    expect(e.line).toBe(3);
    const p = thrown(() => engine('{{> sig}}', { sig: 'x\n{{a.b.c}}' }).render('t', {}));
    expect(p.code).toBe('RENDER_TEMPLATE_VARIABLE');
    expect(p.file).toBe('/x/partials/sig.hbs');
    expect(p.line).toBe(2);
  });

  it('optional fields can be tested with #if without error', () => {
    expect(engine('{{#if nope}}y{{else}}n{{/if}}').render('t', {})).toBe('n');
  });

  it.each([
    ['{{constructor.constructor}}', 1],
    ['x\n{{lookup this "__proto__"}}', 2],
    ['{{#with (lookup . "constructor")}}{{name}}{{/with}}', 1],
    ['{{this.__proto__.polluted}}', 1],
    ['{{#each items}}{{@root.constructor.name}}{{/each}}', 1],
    ['{{lookup (lookup this "constructor") "constructor"}}', 1],
    ['{{process.env.HOME}}', 1],
    ['{{*inline "x"}}', 1],
  ])('refuses %s', (text, line) => {
    const e = thrown(() => engine(text));
    expect(e.code).toBe('RENDER_TEMPLATE_UNSAFE');
    expect(e.line).toBe(line);
  });

  it('prototype properties stay unreachable at run time through computed lookups', () => {
    const key = ['con', 'structor'].join('');
    const out = engine('[{{#with (lookup . k)}}{{name}}{{/with}}][{{#if (lookup . k2)}}bad{{/if}}]').render('t', { k: key, k2: 'toString' });
    expect(out).toBe('[][]');
    const e = thrown(() => engine('{{lookup . k}}').render('t', { k: key }));
    expect(e.code).toBe('RENDER_TEMPLATE_VARIABLE');
  });

  it('has no log helper (the library never prints)', () => {
    const e = thrown(() => engine('{{log "x"}}').render('t', {}));
    expect(e.code).toBe('RENDER_TEMPLATE_HELPER');
  });
});
