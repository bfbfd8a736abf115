// The summary is rendered on a second thread that loads the writer while the indicators are computed (when a core is
// free; GONGWEI_THREADS=2 forces it, as here). Through the real binary on the fixture database: the same documents as
// on one thread (GONGWEI_THREADS=1), in DOCX (document.xml), HTML and Markdown; a broken or missing templates
// directory gives the same error, code and exit code either way; a plan with errors stops at once. The built module
// says whether the thread was used, so these cannot pass by its absence.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cliFixture, root } from './cli-fixture.js';

const { tmp, db } = cliFixture('gw-summary-thread-');
const annual = path.join(root, 'examples', 'qingshi-2025-annual-plan.yaml');
const built = (m: string) => import(path.join(root, 'dist', m));

function gw(threads: '1' | '2', ...args: string[]) {
  const env = { ...process.env, NO_COLOR: '1', GONGWEI_THREADS: threads };
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'gongwei.js'), ...args], { cwd: root, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The summary in a format, rendered with or without the second thread; the file's bytes (DOCX: its document.xml). */
function summary(format: 'docx' | 'html' | 'md', threads: '1' | '2', ...extra: string[]): { code: number | null; stderr: string; text?: string } {
  const out = path.join(tmp, `s-${format}-${threads}.${format}`);
  fs.rmSync(out, { force: true });
  const r = gw(threads, 'plan', 'render', annual, '--summary', '--db', db, '--period', '2025', '-f', format, '-o', out, ...extra);
  if (r.code !== 0) return r;
  const bytes = fs.readFileSync(out);
  return { ...r, text: format === 'docx' ? strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!) : bytes.toString('utf8') };
}

describe('the summary rendered on a second thread', () => {
  it('the built module starts the thread with GONGWEI_THREADS=2, not with GONGWEI_THREADS=1', async () => {
    const { summaryRenderer } = await built('render/summary-thread.js');
    const before = process.env.GONGWEI_THREADS;
    try {
      process.env.GONGWEI_THREADS = '2';
      const r = summaryRenderer({ format: 'md' });
      expect(r.onThread).toBe(true);
      r.close();
      process.env.GONGWEI_THREADS = '1';
      expect(summaryRenderer({ format: 'md' }).onThread).toBe(false);
    } finally {
      if (before === undefined) delete process.env.GONGWEI_THREADS;
      else process.env.GONGWEI_THREADS = before;
    }
  });

  it('the thread renders what this thread renders, from data sent across', async () => {
    const { summaryRenderer } = await built('render/summary-thread.js');
    const { renderSummary } = await built('render/render.js');
    const { computeForSummary } = await built('summary/compute.js');
    const { summaryData } = await built('summary/data.js');
    const { loadPlanForRender } = await built('cli/commands/render-common.js');
    const loaded = await loadPlanForRender(annual);
    const data = summaryData(loaded.plan, await computeForSummary(db, '2025', loaded.targets, loaded.catalog), loaded.targets, loaded.catalog);
    process.env.GONGWEI_THREADS = '2';
    for (const format of ['md', 'docx'] as const) {
      const renderer = summaryRenderer({ format });
      expect(renderer.onThread).toBe(true);
      const there = await renderer.render(data);
      const here = await renderSummary(data, { format });
      expect(there.markdown).toBe(here.markdown);
      expect(Buffer.isBuffer(there.output)).toBe(true);
      if (format === 'md') expect(there.output.equals(here.output)).toBe(true);
      else expect(strFromU8(unzipSync(new Uint8Array(there.output))['word/document.xml']!)).toBe(strFromU8(unzipSync(new Uint8Array(here.output))['word/document.xml']!));
    }
    delete process.env.GONGWEI_THREADS;
    expect(data.programmes.length).toBeGreaterThan(0);
  }, 60_000);

  it.each(['docx', 'html', 'md'] as const)('%s: the same document with one thread and with two', (format) => {
    const two = summary(format, '2');
    const one = summary(format, '1');
    expect(two.code, two.stderr).toBe(0);
    expect(one.code, one.stderr).toBe(0);
    expect(two.text!.length).toBeGreaterThan(1000);
    expect(two.text).toBe(one.text);
  }, 60_000);

  it('a broken summary template: the same error either way, with its file and line', () => {
    const dir = path.join(tmp, 'tpl');
    expect(gw('2', 'plan', 'templates', 'export', dir).code).toBe(0);
    fs.appendFileSync(path.join(dir, 'summary.hbs'), '\n{{md noSuchField}}\n');
    const two = summary('md', '2', '--templates', dir);
    const one = summary('md', '1', '--templates', dir);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/^错误 \[RENDER_TEMPLATE_VARIABLE\]：.*summary\.hbs:\d+/);
    expect(two.stderr).not.toMatch(/\n\s+at /);
    expect(two).toEqual(one);
  }, 60_000);

  it('a templates directory that does not exist: the same error either way', () => {
    const two = summary('docx', '2', '--templates', path.join(tmp, 'nowhere'));
    const one = summary('docx', '1', '--templates', path.join(tmp, 'nowhere'));
    expect(two.stderr).toContain('错误 [RENDER_TEMPLATE_DIR_NOT_FOUND]');
    expect(two).toEqual(one);
  }, 60_000);

  it('a plan with errors stops at once (the thread does not keep the command waiting)', () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(annual, 'utf8').replace(/^年度: .*$/m, '年度: 明年'));
    const t0 = Date.now();
    const r = gw('2', 'plan', 'render', bad, '--summary', '--db', db, '--period', '2025', '-o', path.join(tmp, 'bad.docx'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('未生成文件');
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(fs.existsSync(path.join(tmp, 'bad.docx'))).toBe(false);
  }, 60_000);
});
