// The year-end summary rendered on a second thread. That thread loads the document writer (docx, Handlebars, the
// Markdown reader) and compiles the templates while this thread loads the plan and computes the indicators, so only the
// rendering itself follows the computing. It runs the same renderSummary as this thread would: the document is the
// same (tested). Only when a core is free at the start (on a busy machine the loading took CPU from the computing and
// the command was not faster: measured at load 5–7), always with GONGWEI_THREADS=2, never with GONGWEI_THREADS=1; a
// thread that cannot start or dies renders here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { coreToSpare, rethrowThreadError, type ThreadError } from '../threads.js';
import type { SummaryData } from '../summary/data.js';
import type { Rendered, RenderOptions } from './render.js';

/** What the rendering thread posts back: the document, or the error of rendering it (a template's, say). */
export type SummaryAnswer = { ok: { markdown: string; output: Uint8Array } } | { error: ThreadError };

export interface SummaryRenderer {
  /** Whether a second thread was started for it. */
  onThread: boolean;
  render(data: SummaryData): Promise<Rendered>;
  /** Stop the thread (the summary is not rendered after all). */
  close(): void;
}

const workerUrl = new URL('./summary-worker.js', import.meta.url);

const renderHere = async (data: SummaryData, opts: RenderOptions): Promise<Rendered> => (await import('./render.js')).renderSummary(data, opts);

/** A renderer of the summary: a second thread that starts loading now when a core is free (the built worker must exist, as in dist/), else this thread when asked. */
export function summaryRenderer(opts: RenderOptions): SummaryRenderer {
  const threads = process.env.GONGWEI_THREADS;
  const second = threads === '2' || (threads !== '1' && coreToSpare());
  if (!second || !existsSync(fileURLToPath(workerUrl))) return { onThread: false, render: (data) => renderHere(data, opts), close: () => undefined };
  // execArgv: [] — the thread must not inherit options such as --cpu-prof of this process.
  const worker = new Worker(workerUrl, { workerData: { format: opts.format, templatesDir: opts.templatesDir } satisfies RenderOptions, execArgv: [] });
  // Not waited for until the data is sent: a command that stops early (a plan with errors) does not wait for it.
  worker.unref();
  const answer = new Promise<SummaryAnswer | undefined>((resolve) => {
    worker.once('message', resolve);
    // The thread itself failed (not the rendering): the summary is rendered here instead.
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    onThread: true,
    async render(data) {
      worker.ref();
      worker.postMessage(data);
      const a = await answer;
      void worker.terminate();
      if (!a) return renderHere(data, opts);
      if ('error' in a) rethrowThreadError(a.error);
      return { markdown: a.ok.markdown, output: Buffer.from(a.ok.output.buffer, a.ok.output.byteOffset, a.ok.output.byteLength) };
    },
    close: () => void worker.terminate(),
  };
}
