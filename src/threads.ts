// What a worker thread (an import's preparing thread, the summary's rendering thread) and the thread that started it
// share: whether a core is free to start one, an error sent across as plain data and thrown again on the starting
// thread (a GongweiError keeps its code, hint and exit code), and the thread's messages queued in arrival order.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { GongweiError } from './errors.js';

/** An error of the worker thread, as plain data. */
export interface ThreadError {
  gongwei: boolean;
  code?: string;
  message: string;
  hint?: string;
  exitCode?: number;
}

/** The worker thread's error as plain data. */
export function threadError(e: unknown): ThreadError {
  const x = e as { name?: string; code?: unknown; message?: string; hint?: string; exitCode?: number };
  return { gongwei: x?.name === 'GongweiError', code: typeof x?.code === 'string' ? x.code : undefined, message: x?.message ?? String(e), hint: x?.hint, exitCode: x?.exitCode };
}

/** Throw the worker thread's error on this thread. */
export function rethrowThreadError(e: ThreadError): never {
  if (e.gongwei && e.code) throw new GongweiError(e.code, e.message, { hint: e.hint, exitCode: e.exitCode });
  throw Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

/** Messages in arrival order: `deliver` each one as it comes, `next` for the oldest not yet taken (waiting for it). */
export function messageQueue<M>(): { deliver: (m: M) => void; next: () => Promise<M> } {
  const queue: M[] = [];
  let waiting: ((m: M) => void) | undefined;
  return {
    deliver: (m) => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(m);
      } else queue.push(m);
    },
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => (waiting = r))),
  };
}

/**
 * Whether another core is free right now (Linux: the runnable tasks of /proc/loadavg, this process included, fewer
 * than the cores; elsewhere: assumed). On a machine already busy a second thread costs about a third more CPU time and
 * was not faster (measured at load 6–8, 2026-12-03): the work then stays on this thread.
 */
export function coreToSpare(loadavg = '/proc/loadavg'): boolean {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  if (cores < 2) return false;
  try {
    // Missing (macOS, Windows) or unreadable: assumed free; not a number (another format): assumed free too.
    const running = Number(/ (\d+)\//.exec(readFileSync(loadavg, 'utf8'))?.[1]);
    return !(running >= cores);
  } catch {
    return true;
  }
}
