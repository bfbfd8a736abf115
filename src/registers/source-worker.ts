// The reader thread of source-thread.ts: opens the xlsx (its type is known: CSV stays on the importing thread),
// then reads the sheets asked for and posts their rows in flat batches (row-batch.ts); waits while the importing thread
// is `MAX_AHEAD` batches behind (bounded memory).
import { workerData, type MessagePort } from 'node:worker_threads';
import type { SourceRow } from './cells.js';
import { encodeRows } from './row-batch.js';
import { openXlsxSource, type FileSource } from './source.js';
import type { ReaderMessage, ReaderRequest } from './source-thread.js';
import { threadError } from './thread-channel.js';

const { file, port, ahead, batchRows, maxAhead } = workerData as {
  file: string; port: MessagePort; ahead: Int32Array; batchRows: number; maxAhead: number;
};

function post(m: ReaderMessage): void {
  port.postMessage(m);
}

const failure = (e: unknown): ReaderMessage => ({ error: threadError(e) });

async function send(rows: SourceRow[], sheet: string, fraction: number): Promise<void> {
  const b = encodeRows(rows, sheet);
  Atomics.add(ahead, 0, 1);
  post({ batch: b, fraction });
  // Far enough ahead: wait until the importing thread has taken a batch.
  for (let n = Atomics.load(ahead, 0); n >= maxAhead; n = Atomics.load(ahead, 0)) Atomics.wait(ahead, 0, n, 1000);
}

async function main(): Promise<void> {
  let source: FileSource;
  try {
    source = await openXlsxSource(file);
  } catch (e) {
    post(failure(e));
    return;
  }
  post({ meta: { date1904: source.date1904, sheets: source.sheets.map((s) => ({ name: s.name, hidden: s.hidden })) } });
  port.on('message', async (req: ReaderRequest) => {
    try {
      if ('digest' in req) {
        // From the bytes read for the rows; the rest of the file is read now.
        post({ digest: await source.streamedDigest!() });
        return;
      }
      const sheet = source.sheets.find((s) => s.name === req.sheet)!;
      let pending: SourceRow[] = [];
      for await (const b of sheet.rows()) {
        for (const r of b) pending.push(r);
        if (pending.length >= batchRows) {
          await send(pending, sheet.name, sheet.progress());
          pending = [];
        }
      }
      if (pending.length) await send(pending, sheet.name, sheet.progress());
      post({ end: sheet.name });
    } catch (e) {
      post(failure(e));
    }
  });
}

void main();
