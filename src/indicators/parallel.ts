// Two cores: a helper thread counts the immunization indicators (it keeps their loaded data) on its own read-only
// connection, then both threads take the SQL indicators one at a time from a shared counter, largest registers
// first, so neither waits for the other. The helper stays alive (and keeps its caches) per database.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Database } from '../db.js';
import { quoteIdent } from '../sql.js';
import { GongweiError } from '../errors.js';
import type { IndicatorDef } from '../catalog/indicators.js';
import type { DefCounts } from './count.js';
import type { Period } from './types.js';

export interface HelperRequest {
  period: Period;
  by: 'village' | 'doctor' | null;
  schedule?: string;
  /** Counted by the helper alone. */
  immunizationIds: string[];
  /** Shared: each thread claims the next index with Atomics.add(counter, 0, 1). */
  sqlIds: string[];
  counter: Int32Array;
}

export interface Helper {
  start(req: HelperRequest): { take(): DefCounts };
}

const workerUrl = new URL('./worker.js', import.meta.url);
/** Below this many rows in the largest register involved a second thread costs more than it saves (GONGWEI_PARALLEL_MIN_ROWS overrides, for tests). */
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
          const msg = receiveMessageOnPort(port1)?.message as { ok?: DefCounts; error?: { code: string; message: string; hint?: string } } | undefined;
          if (msg?.ok) return msg.ok;
          helpers.delete(file);
          if (msg?.error) throw new GongweiError(msg.error.code, msg.error.message, { hint: msg.error.hint });
          throw new GongweiError('INDICATOR_THREAD_FAILED', `指标计算的辅助线程出错：${failed?.message ?? '没有返回结果'}`);
        },
      };
    },
  };
}

/** Rows of a register table (max rowid: no scan); 0 when it does not exist. */
function tableRows(db: Database, table: string): number {
  try {
    return (db.prepare(`SELECT max(rowid) AS n FROM ${quoteIdent(table)}`).get() as { n: number | null }).n ?? 0;
  } catch {
    return 0;
  }
}

export interface ParallelPlan {
  helper: Helper;
  /** Immunization entries: the helper's alone. */
  immunization: IndicatorDef[];
  /** SQL entries in the order both threads claim them: largest register first. */
  sql: IndicatorDef[];
}

/** The two-thread plan, or undefined to count everything here (small data, in-memory db, custom SQL, one thread asked for). */
export function parallelSplit(db: Database, defs: IndicatorDef[], custom: boolean): ParallelPlan | undefined {
  if (custom || process.env.GONGWEI_THREADS === '1' || db.memory || !db.name || db.name === ':memory:') return undefined;
  if (!existsSync(fileURLToPath(workerUrl))) return undefined; // running from TypeScript sources
  const immunization = defs.filter((d) => d.compute.kind === 'immunization');
  const rows = new Map<string, number>();
  for (const d of defs) if (!rows.has(d.register)) rows.set(d.register, d.compute.kind === 'immunization' ? tableRows(db, 'vaccinations') : tableRows(db, d.register));
  const sql = defs.filter((d) => d.compute.kind === 'sql').sort((a, b) => rows.get(b.register)! - rows.get(a.register)!);
  if (sql.length + (immunization.length ? 1 : 0) < 2 || Math.max(0, ...rows.values()) < PARALLEL_MIN_ROWS) return undefined;
  let helper = helpers.get(db.name);
  if (!helper) {
    helper = createHelper(db.name);
    if (!helper) return undefined;
    helpers.set(db.name, helper);
  }
  return { helper, immunization, sql };
}
