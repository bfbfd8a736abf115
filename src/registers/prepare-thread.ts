// Two cores for an import (CSV or xlsx): the importing thread finds the header and the register, then a second thread
// reads the file again and prepares every row of the sheet after the header — parsing (inflating), decoding, coercing,
// checking, hashing (row-prepare.ts) — while this thread only looks rows up and writes them (row-writer.ts). The rows are prepared by the same code either
// way, so both give the same database, rejects and messages (tested); GONGWEI_THREADS=1 keeps everything on one thread.
import { fileURLToPath } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PreparedBatch } from './prepared-batch.js';
import type { PrepareSettings } from './row-prepare.js';
import { sniffFile } from './sniff.js';
import { openSource, type FileSource, type SourceRow } from './source.js';
import { coreToSpare, messageQueue, rethrowThreadError, type ThreadError } from '../threads.js';

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
 * The rows after `head` (the rows up to the header, as this thread read them, of the sheet they name) prepared with
 * `settings` on another thread, in batches; the rows of the sheet's rows() are then no longer read.
 */
export type PrepareRows = (settings: PrepareSettings, head: SourceRow[]) => AsyncIterable<PreparedBatch>;

/** A file source whose sheets can have their rows prepared on another thread. */
export interface PreparingSource extends FileSource {
  prepare?: PrepareRows;
}

const workerUrl = new URL('./prepare-worker.js', import.meta.url);
/** Below this file size a second thread costs more than it saves (GONGWEI_THREAD_MIN_BYTES overrides, for tests). */
const MIN_BYTES = Number(process.env.GONGWEI_THREAD_MIN_BYTES ?? 2_000_000);
/**
 * Rows per batch: a batch lives on the preparing thread while it fills, and in its small young generation (below) a
 * batch of 2,048 rows outlived two scavenges and was promoted: on 1,000,000 xlsx rows 1,766 scavenges and 92 full
 * collections there, against 1,877 and 31 with 512 rows (CSV: fewer full collections too); measured 2026-12-03 with
 * --trace-gc, with the 12 MB young generation of then (see YOUNG_MB).
 */
const BATCH_ROWS = 512;
/** Batches the preparing thread may be ahead of the writer: bounded memory at any file size. */
const MAX_AHEAD = 16;
/**
 * The preparing thread's heap: its garbage is short-lived (a young generation large enough that little of it is
 * promoted) and it keeps little (batches in flight, one line): a bounded old generation keeps the process's peak RSS
 * down (measured on 1,000,000 rows: 12/64 MB against V8's defaults saves about 30 MB). With a 12 MB young generation an
 * xlsx thread (which also inflates and parses XML) spent 4.1 s of 12.4 in garbage collection, with 24 MB 0.8 s (peak
 * RSS 193–195 MB; 32 MB saves 0.3 s more but peaks at 204 MB); a CSV import took 0.88× the time (farm-bench, 4 pairs)
 * for 8 MB more peak RSS (189 MB); measured 2026-12-03.
 */
const YOUNG_MB = 24;
const OLD_MB = 64;
/**
 * Room for an xlsx's shared strings on top: a ceiling, the thread keeps only the strings its cache holds (each thread
 * reads them on demand, xlsx/shared-strings.ts: 300,000 rows with 20 MB of them peak at 182–186 MB RSS on two threads).
 */
const oldGeneration = (source: FileSource): number => OLD_MB + Math.ceil((2 * (source.sharedStringsBytes ?? 0)) / 2 ** 20);
/**
 * Each thread that reads an xlsx keeps its own index of the shared strings and its own cache of them: a workbook with
 * more than this (as inflated) is read on one thread. A 1,000,000-row 居民健康档案 with 63 MB of them peaked at 231 MB
 * RSS on two threads and 192 MB on one; 300,000 rows with 20 MB at 183–186 MB on two (2026-12-03).
 * GONGWEI_THREAD_MAX_SHARED_BYTES overrides, for tests.
 */
const MAX_SHARED_BYTES = 24 * 2 ** 20;

/**
 * Open a register file for import: a CSV or xlsx file large enough has its rows prepared on a second thread when a core
 * is free, always with GONGWEI_THREADS=2, never with GONGWEI_THREADS=1; anything else on this thread.
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
  // The type is known: openSource does not sniff the file again.
  const kind = sniffFile(file);
  const source = await openSource(file, { ...opts, kind });
  return threads === '2' || coreToSpare() ? withPreparingThread(source, file) : source;
}

/**
 * A source (CSV or xlsx) whose sheets can have their rows prepared on a second thread, one thread per sheet asked for
 * (the built worker must exist, as in dist/; an xlsx with very many shared strings stays on this thread).
 */
export function withPreparingThread(source: FileSource, file: string): PreparingSource {
  const maxShared = Number(process.env.GONGWEI_THREAD_MAX_SHARED_BYTES ?? MAX_SHARED_BYTES);
  if (source.kind === 'csv' ? !source.encoding || !source.delimiter : (source.sharedStringsBytes ?? 0) > maxShared) return source;
  if (!existsSync(fileURLToPath(workerUrl))) return source;
  const workers = new Set<Worker>();
  const ports: MessagePort[] = [];
  let sha: string | undefined;
  /** The sheet being prepared, and the share of it prepared. */
  let preparing: string | undefined;
  let fraction = 0;
  const prepare: PrepareRows = (settings, head) =>
    (async function* (): AsyncGenerator<PreparedBatch> {
      const sheet = head[0]!.sheet;
      const ahead = new Int32Array(new SharedArrayBuffer(4));
      const channel = new MessageChannel();
      const port = channel.port1;
      ports.push(port);
      preparing = sheet;
      fraction = 0;
      // execArgv: [] — the thread must not inherit options such as --cpu-prof of this process.
      const worker = new Worker(workerUrl, {
        workerData: { file, kind: source.kind, sheet, encoding: source.encoding, delimiter: source.delimiter, port: channel.port2, ahead, batchRows: BATCH_ROWS, maxAhead: MAX_AHEAD },
        transferList: [channel.port2 as unknown as MessagePort],
        execArgv: [],
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: oldGeneration(source) },
      });
      workers.add(worker);
      const { deliver, next } = messageQueue<PrepareMessage>();
      port.on('message', deliver);
      worker.on('error', (e) => {
        // Its heap is bounded (OLD_MB): only a cell of tens of millions of characters can fill it.
        if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          deliver({ error: { gongwei: true, code: 'REG_PREPARE_MEMORY', message: `读这个文件的第二个线程内存不够（文件里可能有极长的单元格），未能导入：${file}`, hint: '设置环境变量 GONGWEI_THREADS=1 后重新导入（全在一个线程里读，没有这个限制）。' } });
        } else deliver({ error: { gongwei: false, message: e.message } });
      });
      worker.on('exit', () => {
        // The thread's 'exit' can arrive before what it posted last (its error, its end): take those first.
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) deliver(m.message as PrepareMessage);
        deliver({ error: { gongwei: false, message: '准备数据行的线程意外退出' } });
      });
      port.postMessage({ settings, head: head.map((r) => ({ row: r.row, cells: JSON.stringify(r.cells) })) } satisfies PrepareJob);
      for (;;) {
        const m = await next();
        if ('error' in m) rethrowThreadError(m.error);
        if ('end' in m) {
          sha = m.end;
          fraction = 1;
          // Done: its heap (an xlsx's shared strings) is not kept while the next sheet is prepared.
          port.close();
          void worker.terminate();
          workers.delete(worker);
          return;
        }
        Atomics.sub(ahead, 0, 1);
        Atomics.notify(ahead, 0);
        fraction = m.batch.fraction;
        yield m.batch;
      }
    })();
  const close = (): void => {
    for (const p of ports) p.close();
    for (const w of workers) void w.terminate();
    source.close?.();
  };
  return {
    ...source,
    sheets: source.sheets.map((s) => ({ ...s, progress: () => (preparing === s.name ? fraction : s.progress()) })),
    prepare,
    // The file's sha256: from a preparing thread when one read the file (to its end, the rest read then), else from this thread's reading.
    streamedDigest: () => {
      if (preparing === undefined) return source.streamedDigest!();
      if (sha === undefined) throw new Error('准备数据行的线程没有读完文件');
      return sha;
    },
    close,
  };
}
