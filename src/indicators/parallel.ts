// Two cores: a helper thread counts the immunization and health-record indicators on its own read-only
// connection while the calling thread counts the others. The helper stays alive (and keeps its caches) per database.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Database } from '../db.js';
import { GongweiError } from '../errors.js';
import type { IndicatorDef } from './catalog.js';
import type { DefCounts } from './compute.js';
import type { Period } from './types.js';

export interface HelperRequest {
  period: Period;
  by: 'village' | 'doctor' | null;
  schedule?: string;
  ids: string[];
}

export interface Helper {
  start(req: HelperRequest): { take(): DefCounts };
}

const workerUrl = new URL('./worker.js', import.meta.url);
/** Below this many vaccination rows a second thread costs more than it saves (GONGWEI_PARALLEL_MIN_ROWS overrides, for tests). */
const PARALLEL_MIN_ROWS = Number(process.env.GONGWEI_PARALLEL_MIN_ROWS ?? 100_000);
const helpers = new Map<string, Helper>();

function createHelper(file: string): Helper | undefined {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // The port travels in workerData: a message posted to a worker that has not started yet waits for this
  // thread's event loop, which is blocked while we wait for the answer.
  // execArgv: [] — the thread must not inherit options such as --input-type or --cpu-prof of this process.
  const worker = new Worker(workerUrl, { workerData: { file, port: port2, flag }, transferList: [port2 as unknown as MessagePort], execArgv: [] });
  let failed: Error | undefined;
  worker.on('error', (e) => {
    failed = e;
    helpers.delete(file);
  });
  worker.unref();
  // Wait (briefly) for the thread to say it is ready; a thread that cannot start means counting here instead.
  if (Atomics.wait(flag, 0, 0, 15_000) === 'timed-out') {
    void worker.terminate();
    return undefined;
  }
  return {
    start(req) {
      Atomics.store(flag, 0, 0);
      port1.postMessage(req);
      return {
        take() {
          // The helper always answers (errors included); the time limit only guards against a thread that died.
          if (Atomics.wait(flag, 0, 0, 30 * 60_000) === 'timed-out') {
            helpers.delete(file);
            throw new GongweiError('INDICATOR_THREAD_FAILED', '指标计算的辅助线程没有响应');
          }
          const msg = receiveMessageOnPort(port1)?.message as { ok?: DefCounts; error?: { code: string; message: string } } | undefined;
          if (msg?.ok) return msg.ok;
          helpers.delete(file);
          if (msg?.error) throw new GongweiError(msg.error.code, msg.error.message);
          throw new GongweiError('INDICATOR_THREAD_FAILED', `指标计算的辅助线程出错：${failed?.message ?? '没有返回结果'}`);
        },
      };
    },
  };
}

/** Which indicators go to the helper thread, or undefined to count everything here (small data, in-memory db, custom SQL). */
export function parallelSplit(db: Database, defs: IndicatorDef[], custom: boolean): { helper: Helper; local: IndicatorDef[]; remote: IndicatorDef[] } | undefined {
  if (custom || process.env.GONGWEI_THREADS === '1' || db.memory || !db.name || db.name === ':memory:') return undefined;
  if (!existsSync(fileURLToPath(workerUrl))) return undefined; // running from TypeScript sources
  const remote = defs.filter((d) => d.compute.kind === 'immunization' || d.register === 'residents');
  const local = defs.filter((d) => !remote.includes(d));
  if (!remote.some((d) => d.compute.kind === 'immunization') || !local.length) return undefined;
  let rows = 0;
  try {
    rows = (db.prepare('SELECT max(rowid) AS n FROM vaccinations').get() as { n: number | null }).n ?? 0;
  } catch {
    return undefined;
  }
  if (rows < PARALLEL_MIN_ROWS) return undefined;
  let helper = helpers.get(db.name);
  if (!helper) {
    helper = createHelper(db.name);
    if (!helper) return undefined;
    helpers.set(db.name, helper);
  }
  return { helper, local, remote };
}
