// The helper thread of parallel.ts: counts the immunization indicators, then claims SQL indicators from the shared counter.
import { workerData, type MessagePort } from 'node:worker_threads';
import { databaseError, openDatabase, type Database } from '../db.js';
import { GongweiError } from '../errors.js';
import { loadIndicatorCatalog } from '../catalog/indicators.js';
import { countIndicators } from './count.js';
import type { HelperRequest } from './parallel.js';
import { registerSqlFunctions } from './sql-functions.js';

let db: Database | undefined;

const { file, port, flag } = workerData as { file: string; port: MessagePort; flag: Int32Array };

port.on('message', (req: HelperRequest) => {
  try {
    if (!db) {
      db = openDatabase(file, { readonly: true, mustExist: true });
      registerSqlFunctions(db);
    }
    const catalog = loadIndicatorCatalog({ schedule: req.schedule });
    const defs = [...req.immunizationIds, ...req.sqlIds].map((id) => catalog.get(id)!).filter(Boolean);
    port.postMessage({ ok: countIndicators(db, { schedule: req.schedule }, req.period, req.by, defs, () => Atomics.add(req.counter, 0, 1)) });
  } catch (caught) {
    const e = databaseError(caught, file);
    const err = e instanceof GongweiError ? { code: e.code, message: e.message, hint: e.hint } : { code: 'INDICATOR_THREAD_FAILED', message: `指标计算的辅助线程出错：${(e as Error).message}` };
    port.postMessage({ error: err });
  } finally {
    // Wake the waiting thread whatever happened: it reads the answer (or the error) from the port.
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
});

// Ready: the waiting thread may send requests.
Atomics.store(flag, 0, 2);
Atomics.notify(flag, 0);
