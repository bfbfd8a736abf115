// The reader thread of source-thread.ts: opens the file (only an xlsx is sent here; CSV stays on the importing thread),
// then reads the sheets asked for and posts their rows in flat batches (row-batch.ts); waits while the importing thread
// is `MAX_AHEAD` batches behind (bounded memory).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { SourceRow } from './cells.js';
import { encodeRows } from './row-batch.js';
import { openSource, type FileSource } from './source.js';
import type { ReaderMessage, ReaderRequest } from './source-thread.js';

const { file, encoding, port, ahead, batchRows, maxAhead } = workerData as {
  file: string; encoding?: string; port: MessagePort; ahead: Int32Array; batchRows: number; maxAhead: number;
};

function post(m: ReaderMessage): void {
  port.postMessage(m);
}

function failure(e: unknown): ReaderMessage {
  const x = e as { name?: string; code?: unknown; message?: string; hint?: string; exitCode?: number };
  return { error: { gongwei: x?.name === 'GongweiError', code: typeof x?.code === 'string' ? x.code : undefined, message: x?.message ?? String(e), hint: x?.hint, exitCode: x?.exitCode } };
}

async function fileSha256(): Promise<string> {
  const h = createHash('sha256');
  for await (const b of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(b as Buffer);
  return h.digest('hex');
}

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
    source = await openSource(file, { encoding });
  } catch (e) {
    post(failure(e));
    return;
  }
  // The file's sha256 while its rows are read.
  const sha = fileSha256();
  sha.catch(() => undefined);
  post({ meta: { kind: source.kind, date1904: source.date1904, encoding: source.encoding, delimiter: source.delimiter, sheets: source.sheets.map((s) => ({ name: s.name, hidden: s.hidden })) } });
  port.on('message', async (req: ReaderRequest) => {
    try {
      if ('digest' in req) {
        post({ digest: await sha });
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
