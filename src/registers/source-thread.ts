// Two cores for an xlsx import, when asked for (GONGWEI_THREADS=2): a reader thread inflates and parses the workbook
// (and hashes the file) while this thread checks the rows and writes them. The rows arrive exactly as the reader
// produces them (row-batch.ts), so both ways give the same database, rejects and messages (tested).
// Measured on 1,000,000 vaccinations (2026-12-03): this thread's CPU time drops from 16.7 s to 10.9 s, but the process
// uses about 5 s more CPU and 50–80 MB more memory (a second V8 heap), and on a busy machine the import took 1.4 times
// as long; so it is not the default. A CSV is not read there (a CSV parser costs about what passing its rows across
// would): its rows are prepared on a second thread instead (prepare-thread.ts).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { decodeRows, type RowBatch } from './row-batch.js';
import { sniffFile } from './sniff.js';
import { coreToSpare, withPreparingThread, type PreparingSource } from './prepare-thread.js';
import { openSource, type FileSource, type SheetSource, type SourceRow } from './source.js';
import { messageQueue, rethrowThreadError as rethrow, type ThreadError } from './thread-channel.js';

export type ReaderRequest = { sheet: string } | { digest: true };
export type ReaderMessage =
  | { meta: { date1904: boolean; sheets: { name: string; hidden: boolean }[] } }
  | { batch: RowBatch; fraction: number }
  /** The sheet's rows are all sent. */
  | { end: string }
  | { digest: string }
  | { error: ThreadError };

const workerUrl = new URL('./source-worker.js', import.meta.url);
/** Below this file size a second thread costs more than it saves, for xlsx and CSV (GONGWEI_THREAD_MIN_BYTES overrides, for tests). */
const MIN_BYTES = Number(process.env.GONGWEI_THREAD_MIN_BYTES ?? 2_000_000);
const BATCH_ROWS = 2048;
/** Batches the reader may be ahead of the writer: bounded memory (a few MB) at any file size. */
const MAX_AHEAD = 8;
const YOUNG_MB = 4;

/**
 * Open a register file for import. A CSV file large enough has its rows prepared on a second thread
 * (prepare-thread.ts) when a core is free (always with GONGWEI_THREADS=2, never with GONGWEI_THREADS=1); with
 * GONGWEI_THREADS=2 an xlsx large enough is read on a second thread; anything else here.
 */
export async function openImportSource(file: string, opts: { encoding?: string } = {}): Promise<PreparingSource> {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // openSource says what is wrong with the path
  }
  const threads = process.env.GONGWEI_THREADS;
  if (threads === '1' || size < MIN_BYTES) return openSource(file, opts);
  const kind = sniffFile(file);
  if (kind === 'csv') {
    const source = await openSource(file, { ...opts, kind });
    return threads === '2' || coreToSpare() ? withPreparingThread(source, file) : source;
  }
  // The type is known: neither openSource nor the reader thread sniffs the file again.
  if (kind !== 'xlsx' || threads !== '2' || !existsSync(fileURLToPath(workerUrl))) return openSource(file, { ...opts, kind });
  return openThreaded(file);
}

/** An xlsx (sniffed here) read on the reader thread, which neither sniffs it again nor needs CSV options. */
async function openThreaded(file: string): Promise<FileSource & { close: () => void }> {
  const ahead = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // execArgv: [] — the thread must not inherit options such as --cpu-prof of this process.
  const worker = new Worker(workerUrl, {
    workerData: { file, port: port2, ahead, batchRows: BATCH_ROWS, maxAhead: MAX_AHEAD },
    transferList: [port2 as unknown as MessagePort],
    execArgv: [],
    // A small young generation: the reader's garbage is short-lived (its old generation keeps the shared strings,
    // whatever their size, so it is not limited).
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
  });
  const { deliver, next } = messageQueue<ReaderMessage>();
  port1.on('message', deliver);
  worker.on('error', (e) => deliver({ error: { gongwei: false, message: e.message } }));
  worker.on('exit', () => deliver({ error: { gongwei: false, message: '读文件的线程意外退出' } }));
  const close = (): void => {
    port1.close();
    void worker.terminate();
  };
  const first = await next();
  if ('error' in first) {
    close();
    rethrow(first.error);
  }
  if (!('meta' in first)) throw new Error('读文件的线程没有先给出文件信息');
  const meta = first.meta;
  const sheets: SheetSource[] = meta.sheets.map(({ name, hidden }) => {
    let fraction = 0;
    return {
      name,
      hidden,
      progress: () => fraction,
      rows: () =>
        (async function* (): AsyncGenerator<SourceRow[]> {
          port1.postMessage({ sheet: name } satisfies ReaderRequest);
          for (;;) {
            const m = await next();
            if ('error' in m) rethrow(m.error);
            // A sheet the import stopped reading early (no header found) is still sent to its end: passed over.
            if ('end' in m) {
              if (m.end === name) return;
              continue;
            }
            if (!('batch' in m)) continue;
            Atomics.sub(ahead, 0, 1);
            Atomics.notify(ahead, 0);
            if (m.batch.sheet !== name) continue;
            fraction = m.fraction;
            yield decodeRows(m.batch);
          }
        })(),
    };
  });
  const digest = async (): Promise<string> => {
    port1.postMessage({ digest: true } satisfies ReaderRequest);
    const m = await next();
    if ('error' in m) rethrow(m.error);
    if (!('digest' in m)) throw new Error('读文件的线程没有给出文件的 sha256');
    return m.digest;
  };
  return { kind: 'xlsx', date1904: meta.date1904, sheets, streamedDigest: digest, close };
}
