// Built-in templates on disk: export, user overrides (partials too), errors in user files with file:line, long plans.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemplateEngine, exportTemplates, listTemplateFiles, type TemplateError } from '../../src/render/templates.js';
import { planView } from '../../src/render/plan-view.js';
import { templatesDir } from '../../src/paths.js';

const helpers = { inc: (n: number) => n + 1, eq: (a: unknown, b: unknown) => a === b, json: (v: unknown) => JSON.stringify(v) };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-tpl-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const fixturePlan = () => YAML.parse(fs.readFileSync(path.join(__dirname, '../fixtures/render/tiny-plan.yaml'), 'utf8'));

function thrown(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    return e as TemplateError;
  }
  throw new Error('expected an error');
}

describe('built-in templates', () => {
  it('all compile and there is one per document kind', () => {
    const names = listTemplateFiles(templatesDir).map((s) => s.name);
    for (const n of ['annual-plan', 'implementation-plan', 'assessment-scheme', 'summary', 'assessment', 'partials/signature']) expect(names).toContain(n);
    expect(() => createTemplateEngine({ helpers })).not.toThrow();
  });

  it('a plan with 200 tasks renders every task', () => {
    const plan = fixturePlan();
    plan.主要措施[0].任务 = Array.from({ length: 200 }, (_, i) => ({ 内容: `第${i + 1}项任务`, 责任科室: '公卫办', 完成时限: '年底前' }));
    const md = createTemplateEngine({ helpers }).render('implementation-plan', planView(plan));
    for (let i = 1; i <= 200; i++) expect(md).toContain(`第${i}项任务（`);
  });
});

describe('prepare: compiled before the data arrives', () => {
  it('a prepared template (and the partials it names) renders what an unprepared one does, its errors at the same line', () => {
    const view = planView(fixturePlan());
    const prepared = createTemplateEngine({ helpers });
    prepared.prepare('implementation-plan');
    prepared.prepare('no-such-template');
    expect(prepared.render('implementation-plan', view)).toBe(createTemplateEngine({ helpers }).render('implementation-plan', view));
    // Data without a field a built-in partial uses: the same error, at the same file and line, prepared or not.
    const { date: _gone, ...noDate } = view as unknown as Record<string, unknown>;
    const errors = [true, false].map((prepare) => {
      const e = createTemplateEngine({ helpers });
      if (prepare) e.prepare('implementation-plan');
      return thrown(() => e.render('implementation-plan', noDate));
    });
    expect(errors[0]!.code).toBe('RENDER_TEMPLATE_VARIABLE');
    expect(errors[0]!.message).toMatch(/signature\.hbs:\d+/);
    expect([errors[0]!.code, errors[0]!.message, errors[0]!.line]).toEqual([errors[1]!.code, errors[1]!.message, errors[1]!.line]);
  });
});

describe('export and user templates', () => {
  const dir = path.join(tmp, 'mine');
  it('export copies every template and partial, refuses to overwrite without force', () => {
    const written = exportTemplates(dir);
    expect(written.length).toBe(listTemplateFiles(templatesDir).length + 1);
    expect(fs.existsSync(path.join(dir, 'partials', 'signature.hbs'))).toBe(true);
    expect(thrown(() => exportTemplates(dir)).code).toBe('TEMPLATE_EXPORT_EXISTS');
    expect(exportTemplates(dir, { force: true }).length).toBe(written.length);
  });

  it('edited copies are used, partials included; missing files fall back to built-ins', () => {
    const d = path.join(tmp, 'partial-only');
    fs.mkdirSync(path.join(d, 'partials'), { recursive: true });
    fs.writeFileSync(path.join(d, 'partials', 'signature.hbs'), '落款：{{unit}}（自定义）\n');
    const md = createTemplateEngine({ helpers, templatesDir: d }).render('implementation-plan', planView(fixturePlan()));
    expect(md).toContain('落款：青石镇卫生院（自定义）');
    expect(md).toContain('## 责任分工');
  });

  it('a syntax error in a user template reports that file and line', () => {
    const d = path.join(tmp, 'bad');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'summary.hbs'), '# {{title}}\n\n{{#each programmes}}\n{{name}\n{{/each}}\n');
    const e = thrown(() => createTemplateEngine({ helpers, templatesDir: d }));
    expect(e.code).toBe('RENDER_TEMPLATE_SYNTAX');
    expect(e.file).toBe(path.join(d, 'summary.hbs'));
    expect(e.line).toBe(4);
  });

  it('an unsafe user partial is refused with its file', () => {
    const d = path.join(tmp, 'unsafe');
    fs.mkdirSync(path.join(d, 'partials'), { recursive: true });
    fs.writeFileSync(path.join(d, 'partials', 'header.hbs'), '# {{title}}\n{{#with (lookup . "constructor")}}{{name}}{{/with}}\n');
    const e = thrown(() => createTemplateEngine({ helpers, templatesDir: d }));
    expect(e.code).toBe('RENDER_TEMPLATE_UNSAFE');
    expect(e.file).toBe(path.join(d, 'partials', 'header.hbs'));
    expect(e.line).toBe(2);
  });

  it('a missing templates directory is a clear error', () => {
    expect(thrown(() => createTemplateEngine({ helpers, templatesDir: path.join(tmp, 'nope') })).code).toBe('RENDER_TEMPLATE_DIR_NOT_FOUND');
  });
});

describe('plan text is data, never template', () => {
  it('keeps <script> and {{ as text in the Markdown', () => {
    const md = createTemplateEngine({ helpers }).render('implementation-plan', planView(fixturePlan()));
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\{\\{constructor\\}\\}');
    expect(md).not.toMatch(/[^\\]<script>/);
  });
});
