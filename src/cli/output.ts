// Writing command output: stdout or a file (-o), with a Chinese error for paths that cannot be written.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fsError, GongweiError } from '../errors.js';

/** Write text/bytes to `file`, or to stdout when no file is given. Missing parent directories are created. */
export function writeOutput(data: string | Uint8Array, file?: string): void {
  if (!file || file === '-') {
    process.stdout.write(data);
    return;
  }
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, data);
  } catch (e) {
    const err = fsError(e, file);
    if (err instanceof GongweiError) throw err;
    throw new GongweiError('OUTPUT_WRITE_FAILED', `无法写入文件：${file}（${(e as Error).message}）`, { cause: e });
  }
}

/** Colour only on a TTY, and never with NO_COLOR set to a non-empty value (no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
