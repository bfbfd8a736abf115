// Two cores for a CSV import: the importing thread finds the header and the register, then a second thread reads the
// file again and prepares every row after the header — parsing, decoding, coercing, checking, hashing (row-prepare.ts)
// — while this thread only looks rows up and writes them (row-writer.ts). The rows are prepared by the same code either
// way, so both give the same database, rejects and messages (tested); GONGWEI_THREADS=1 keeps everything on one thread.
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { PreparedBatch } from './prepared-batch.js';
import type { PrepareSettings } from './row-prepare.js';
import type { FileSource, SourceRow } from './source.js';
import { messageQueue, rethrowThreadError, type ThreadError } from './thread-channel.js';

/**
 * What the preparing thread is asked: the settings of the sheet's rows, and the rows this thread has read up to the
 * header (JSON of each row's cells, by row number): that thread reads them again and refuses a file changed meanwhile.
 */
export interface PrepareJob {
  settings: PrepareSettings;
  head: { row: number; cells: string }[];
}

export type PrepareMessage =
  | { batch: PreparedBatch }
  /** All rows are sent; the file's sha256. */
  | { end: string }
  | { error: ThreadError };


/**
 * The rows after `head` (the rows up to the header, as this thread read them) of the file's one sheet, prepared with
 * `settings` on another thread, in batches; the rows of the sheet's rows() are then no longer read.
 */
export type PrepareRows = (settings: PrepareSettings, head: SourceRow[]) => AsyncIterable<PreparedBatch>;

/** A file source whose one sheet can have its rows prepared on another thread. */
export interface PreparingSource extends FileSource {
  prepare?: PrepareRows;
}

const workerUrl = new URL('./prepare-worker.js', import.meta.url);
const BATCH_ROWS = 2048;
/** Batches the preparing thread may be ahead of the writer: bounded memory at any file size. */
const MAX_AHEAD = 8;
/**
 * The preparing thread's heap: its garbage is short-lived (a young generation large enough that little of it is
 * promoted) and it keeps little (batches in flight, one line): a bounded old generation keeps the process's peak RSS
 * down (measured on 1,000,000 rows: 12/64 MB against V8's defaults saves about 30 MB).
 */
const YOUNG_MB = 12;
const OLD_MB = 64;

/**
 * Whether another core is free right now (Linux: the runnable tasks of /proc/loadavg, this process included, fewer
 * than the cores; elsewhere: assumed). On a machine already busy a second thread costs about a third more CPU time and
 * was not faster (measured at load 6–8, 2026-12-03): the rows are then prepared on this thread.
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

/** A CSV source whose sheet can have its rows prepared on a second thread (the built worker must exist, as in dist/). */
export function withPreparingThread(source: FileSource, file: string): PreparingSource {
  if (source.kind !== 'csv' || source.sheets.length !== 1 || !source.encoding || !source.delimiter || !existsSync(fileURLToPath(workerUrl))) return source;
  const sheet = source.sheets[0]!;
  let worker: Worker | undefined;
  let port: MessagePort | undefined;
  let sha: string | undefined;
  let fraction = 0;
  const prepare: PrepareRows = (settings, head) =>
    (async function* (): AsyncGenerator<PreparedBatch> {
      const ahead = new Int32Array(new SharedArrayBuffer(4));
      const channel = new MessageChannel();
      port = channel.port1;
      // execArgv: [] — the thread must not inherit options such as --cpu-prof of this process.
      worker = new Worker(workerUrl, {
        workerData: { file, sheet: sheet.name, encoding: source.encoding, delimiter: source.delimiter, port: channel.port2, ahead, batchRows: BATCH_ROWS, maxAhead: MAX_AHEAD },
        transferList: [channel.port2 as unknown as MessagePort],
        execArgv: [],
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB },
      });
      const { deliver, next } = messageQueue<PrepareMessage>();
      port.on('message', deliver);
      worker.on('error', (e) => {
        // Its heap is bounded (OLD_MB): only a cell of tens of millions of characters can fill it.
        if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          deliver({ error: { gongwei: true, code: 'REG_PREPARE_MEMORY', message: `读这个文件的第二个线程内存不够（文件里可能有极长的单元格），未能导入：${file}`, hint: '设置环境变量 GONGWEI_THREADS=1 后重新导入（全在一个线程里读，没有这个限制）。' } });
        } else deliver({ error: { gongwei: false, message: e.message } });
      });
      worker.on('exit', () => deliver({ error: { gongwei: false, message: '准备数据行的线程意外退出' } }));
      port.postMessage({ settings, head: head.map((r) => ({ row: r.row, cells: JSON.stringify(r.cells) })) } satisfies PrepareJob);
      for (;;) {
        const m = await next();
        if ('error' in m) rethrowThreadError(m.error);
        if ('end' in m) {
          sha = m.end;
          fraction = 1;
          return;
        }
        Atomics.sub(ahead, 0, 1);
        Atomics.notify(ahead, 0);
        fraction = m.batch.fraction;
        yield m.batch;
      }
    })();
  const close = (): void => {
    port?.close();
    void worker?.terminate();
    source.close?.();
  };
  return {
    ...source,
    sheets: [{ ...sheet, progress: () => (worker ? fraction : sheet.progress()) }],
    prepare,
    // The file's sha256: from the preparing thread when it read the file, else from this thread's reading.
    streamedDigest: () => {
      if (!worker) return source.streamedDigest!();
      if (sha === undefined) throw new Error('准备数据行的线程没有读完文件');
      return sha;
    },
    close,
  };
}
