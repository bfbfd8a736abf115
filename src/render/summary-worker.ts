// The rendering thread of summary-thread.ts: loads the writer and compiles the templates at once, then renders the one summary
// it is sent and posts the document back (or the error, as plain data).
import { parentPort, workerData } from 'node:worker_threads';
import { threadError } from '../threads.js';
import type { SummaryData } from '../summary/data.js';
import type { RenderOptions } from './render.js';
import type { SummaryAnswer } from './summary-thread.js';

const opts = workerData as RenderOptions;
const ready = (async () => {
  const render = await import('./render.js');
  await render.loadWriter(opts.format);
  const engine = await render.templateEngine(opts.templatesDir);
  try {
    engine.prepare('summary');
  } catch {
    // Rendering compiles it again and reports the error as it would have without this.
  }
  return render;
})();
// A failure to load is the rendering's failure: reported when the summary is asked for.
ready.catch(() => undefined);

parentPort!.once('message', async (data: SummaryData) => {
  let answer: SummaryAnswer;
  try {
    const r = await (await ready).renderSummary(data, opts);
    answer = { ok: { markdown: r.markdown, output: r.output } };
  } catch (e) {
    answer = { error: threadError(e) };
  }
  parentPort!.postMessage(answer);
});
