// The preparing thread of prepare-thread.ts: reads the file again from its start (hashing it) — a CSV with the encoding
// and delimiter the importing thread found, an xlsx sheet by its name — skips the rows up to the header (the importing
// thread read those, and they must be the same), prepares every row after it (row-prepare.ts) and posts them in flat
// batches (prepared-batch.ts); waits while the writing thread is `maxAhead` batches behind (bounded memory).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import { GongweiError } from '../errors.js';
import type { SourceRow } from './cells.js';
import { csvRows, type CsvDelimiter } from './csv-reader.js';
import { isEmptyRow } from './headers.js';
import { PreparedBatchBuilder } from './prepared-batch.js';
import { RowPreparer } from './row-prepare.js';
import type { PrepareJob, PrepareMessage } from './prepare-thread.js';
import { openXlsxSource } from './source.js';
import { threadError } from '../threads.js';

const { file, kind, sheet, encoding, delimiter, port, ahead, batchRows, maxAhead } = workerData as {
  file: string; kind: 'csv' | 'xlsx'; sheet: string; encoding?: string; delimiter?: CsvDelimiter; port: MessagePort; ahead: Int32Array; batchRows: number; maxAhead: number;
};

function post(m: PrepareMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

function send(out: PreparedBatchBuilder, fraction: number): void {
  Atomics.add(ahead, 0, 1);
  const { batch, transfer } = out.take(fraction);
  post({ batch }, transfer);
  // Far enough ahead: wait until the writing thread has taken a batch.
  for (let n = Atomics.load(ahead, 0); n >= maxAhead; n = Atomics.load(ahead, 0)) Atomics.wait(ahead, 0, n, 1000);
}

const fileChanged = (): GongweiError =>
  new GongweiError('REG_FILE_CHANGED', `文件在导入过程中被改动过（表头以上的行与开始时读到的不同），未能导入：${file}`, { hint: '等文件写完、不再变化后重新导入。' });

/** The sheet's rows read again, the share of it read so far, and the file's sha256 once they are all read. */
interface Reading {
  rows: AsyncIterable<SourceRow[]>;
  fraction: () => number;
  digest: () => string | Promise<string>;
}

function readCsv(): Reading {
  const h = createHash('sha256');
  const size = statSync(file).size;
  let read = 0;
  // The encoding and delimiter the importing thread detected: the very same rows.
  const { rows } = csvRows(file, sheet, encoding, (b) => {
    h.update(b);
    read += b.length;
  }, delimiter);
  return { rows, fraction: () => (size > 0 ? read / size : 1), digest: () => h.digest('hex') };
}

async function readXlsx(): Promise<Reading> {
  const source = await openXlsxSource(file);
  const s = source.sheets.find((x) => x.name === sheet);
  if (!s) throw fileChanged();
  // Closed once read: a workbook's shared strings may be held in a temporary file.
  return { rows: s.rows(), fraction: s.progress, digest: () => (source.close?.(), source.streamedDigest!()) };
}

async function run(job: PrepareJob): Promise<void> {
  const { rows, fraction, digest } = kind === 'xlsx' ? await readXlsx() : readCsv();
  const prep = new RowPreparer(job.settings);
  const out = new PreparedBatchBuilder(prep.keyIdx, job.settings.reg.columns.length, batchRows);
  const after = job.head[job.head.length - 1]!.row;
  // The importing thread kept the rows with values up to the header (blank rows are passed over there too).
  const head = new Map(job.head.map((r) => [r.row, r.cells]));
  for await (const b of rows) {
    for (const r of b) {
      if (r.row <= after) {
        if (isEmptyRow(r.cells)) continue;
        // The importing thread found the header in these rows: a file changed since would put its rows under other columns.
        if (head.get(r.row) !== JSON.stringify(r.cells)) throw fileChanged();
        head.delete(r.row);
        continue;
      }
      if (head.size) throw fileChanged();
      const p = prep.row(r);
      if (!p) continue;
      if (!p.done) prep.complete(p);
      out.add(p);
      if (out.full) send(out, fraction());
    }
  }
  if (head.size) throw fileChanged();
  if (out.length) send(out, 1);
  post({ end: await digest() });
}

port.once('message', (job: PrepareJob) => {
  run(job).catch((e: unknown) => post({ error: threadError(e) }));
});
