// Two cores: a helper thread counts the immunization indicators (it keeps their loaded data) on its own read-only
// connection, then both threads take the SQL indicators one at a time from a shared counter, largest registers
// first, so neither waits for the other; the calling thread first counts the follow-up and record entries (and
// keeps what they read for the next period). The helper stays alive (and keeps its caches) per database. On a large
// database it is started before the catalogue is read (startHelperEarly), and it is sent the entries themselves, so
// that it loads its modules while this thread reads the catalogue, and never reads the catalogue itself.
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
  /** Counted by the helper alone (the entries themselves: the helper does not read the catalogue). */
  immunization: IndicatorDef[];
  /** Shared: each thread claims the next index with Atomics.add(counter, 0, 1). */
  sql: IndicatorDef[];
  /** [0]: the next SQL task to claim; [1]: the immunization task, claimed by whichever thread sets it from 0 first (claimImmunization). */
  counter: Int32Array;
  /** The data-quality scan is the task after the last SQL entry, for either thread. */
  notes: boolean;
}

/** What the helper posts back (with the request's id): its counts, an error while counting, or that it could not load its modules. */
export type HelperAnswer = { id: number } & ({ ok: DefCounts } | { error: { code: string; message: string; hint?: string } } | { notStarted: string });

export interface Helper {
  /**
   * take(): the helper's counts, or undefined when it could not start (nothing claimed: count its part here). A
   * request whose answer is not taken (the calling thread did every task itself) is left: its answer is skipped.
   */
  start(req: HelperRequest): { take(): DefCounts | undefined };
}

/** The immunization task for the calling thread (true) unless the helper claimed it first. */
export const claimImmunization = (counter: Int32Array): boolean => Atomics.compareExchange(counter, 1, 0, 1) === 0;

const workerUrl = new URL('./worker.js', import.meta.url);
/** Below this many rows in the largest register involved a second thread costs more than it saves (GONGWEI_PARALLEL_MIN_ROWS overrides, for tests). */
const PARALLEL_MIN_ROWS = Number(process.env.GONGWEI_PARALLEL_MIN_ROWS ?? 100_000);
const helpers = new Map<string, Helper>();

function createHelper(file: string): Helper {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // The port travels in workerData: a message posted to a worker that has not started yet waits for this
  // thread's event loop, which is blocked while we wait for the answer. A message on the port waits for the
  // thread to load its modules, so the first request goes at once and this thread counts meanwhile.
  // execArgv: [] — the thread must not inherit options such as --input-type or --cpu-prof of this process.
  const worker = new Worker(workerUrl, { workerData: { file, port: port2, flag }, transferList: [port2 as unknown as MessagePort], execArgv: [] });
  let failed: Error | undefined;
  worker.on('error', (e) => {
    failed = e;
    helpers.delete(file);
  });
  worker.unref();
  let lastId = 0;
  /** The answer to request `id`; answers to earlier requests left untaken are skipped. */
  const answerTo = (id: number): HelperAnswer | undefined => {
    for (;;) {
      const got = receiveMessageOnPort(port1)?.message as HelperAnswer | undefined;
      if (got) {
        if (got.id === id) return got;
        continue;
      }
      // The helper always answers (errors included); the time limit only guards against a thread that died.
      // It posts before it sets the flag: a message is on the port once the flag is seen set.
      if (Atomics.wait(flag, 0, 0, 30 * 60_000) === 'timed-out') {
        helpers.delete(file);
        throw new GongweiError('INDICATOR_THREAD_FAILED', '指标计算的辅助线程没有响应');
      }
      Atomics.store(flag, 0, 0);
      if (failed) return undefined;
    }
  };
  return {
    start(req) {
      const id = ++lastId;
      port1.postMessage({ ...req, id });
      return {
        take() {
          const msg = answerTo(id);
          if (msg && 'ok' in msg) return msg.ok;
          helpers.delete(file);
          if (msg && 'notStarted' in msg) {
            void worker.terminate();
            return undefined;
          }
          if (msg && 'error' in msg) throw new GongweiError(msg.error.code, msg.error.message, { hint: msg.error.hint });
          throw new GongweiError('INDICATOR_THREAD_FAILED', `指标计算的辅助线程出错：${failed?.message ?? '没有返回结果'}`);
        },
      };
    },
  };
}

/** Threads allowed and possible: a database file, the compiled worker beside this module, not GONGWEI_THREADS=1. */
function threadsPossible(db: Database): boolean {
  if (process.env.GONGWEI_THREADS === '1' || db.memory || !db.name || db.name === ':memory:') return false;
  return existsSync(fileURLToPath(workerUrl)); // not when running from TypeScript sources
}

function helperFor(file: string): Helper {
  let helper = helpers.get(file);
  if (!helper) {
    helper = createHelper(file);
    helpers.set(file, helper);
  }
  return helper;
}

/**
 * Start the helper of a database that has a table of PARALLEL_MIN_ROWS rows or more, before the catalogue is read:
 * its thread then loads its modules meanwhile. Whether it is given work is decided by parallelSplit (it stays idle
 * otherwise, as between two computations).
 */
export function startHelperEarly(db: Database): void {
  if (helpers.has(db.name) || !threadsPossible(db)) return;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'").pluck().all() as string[];
  if (tables.some((t) => tableRows(db, t) >= PARALLEL_MIN_ROWS)) helperFor(db.name);
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
  /** Entries other than immunization, largest register first: the SQL ones are claimed by both threads in this order. */
  sql: IndicatorDef[];
}

/** The two-thread plan, or undefined to count everything here (small data, in-memory db, custom SQL, one thread asked for). */
export function parallelSplit(db: Database, defs: IndicatorDef[], custom: boolean): ParallelPlan | undefined {
  if (custom || !threadsPossible(db)) return undefined;
  const immunization = defs.filter((d) => d.compute.kind === 'immunization');
  const rows = new Map<string, number>();
  for (const d of defs) if (!rows.has(d.register)) rows.set(d.register, d.compute.kind === 'immunization' ? tableRows(db, 'vaccinations') : tableRows(db, d.register));
  const sql = defs.filter((d) => d.compute.kind !== 'immunization').sort((a, b) => rows.get(b.register)! - rows.get(a.register)!);
  if (sql.length + (immunization.length ? 1 : 0) < 2 || Math.max(0, ...rows.values()) < PARALLEL_MIN_ROWS) return undefined;
  return { helper: helperFor(db.name), immunization, sql };
}
