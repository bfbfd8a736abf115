// The helper thread of parallel.ts: counts the immunization indicators, then claims SQL indicators from the shared counter
// (the entries come with the request: the catalogue is read by the calling thread only).
// It loads its modules while the calling thread already counts; a thread that cannot load them says so on its first
// request (the caller then counts that part itself).
import { workerData, type MessagePort } from 'node:worker_threads';
import type { Database } from '../db.js';
import { claimImmunization, type HelperAnswer, type HelperRequest } from './parallel.js';

const { file, port, flag } = workerData as { file: string; port: MessagePort; flag: Int32Array };

const modules = Promise.all([import('../db.js'), import('../errors.js'), import('./count.js'), import('./sql-functions.js')]);
let db: Database | undefined;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** Post the answer, then wake the waiting thread: it reads the answer from the port. */
function answerWith(msg: HelperAnswer): void {
  port.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

port.on('message', async (req: HelperRequest & { id: number }) => {
  const answer = (msg: DistributiveOmit<HelperAnswer, 'id'>) => answerWith({ ...msg, id: req.id } as HelperAnswer);
  let m: Awaited<typeof modules>;
  try {
    m = await modules;
  } catch (e) {
    answer({ notStarted: (e as Error).message });
    return;
  }
  const [{ databaseError, openDatabase }, { GongweiError }, { countIndicators }, { registerSqlFunctions }] = m;
  try {
    if (!db) {
      db = openDatabase(file, { readonly: true, mustExist: true });
      registerSqlFunctions(db);
    }
    answer({ ok: countIndicators(db, { schedule: req.schedule, notes: req.notes }, req.period, req.by, [...(claimImmunization(req.counter) ? req.immunization : []), ...req.sql], () => Atomics.add(req.counter, 0, 1)) });
  } catch (caught) {
    const e = databaseError(caught, file);
    answer({
      error:
        e instanceof GongweiError
          ? { code: e.code, message: e.message, hint: e.hint }
          : { code: 'INDICATOR_THREAD_FAILED', message: `指标计算的辅助线程出错：${(e as Error).message}` },
    });
  }
});
