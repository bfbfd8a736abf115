// Fatal errors: a stable code, one Chinese sentence, and the exit code the CLI uses.
import { storageReason } from './storage-errors.js';

export class GongweiError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;

  constructor(code: string, message: string, options: { exitCode?: number; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GongweiError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
  }
}

export function isGongweiError(e: unknown): e is GongweiError {
  return e instanceof GongweiError;
}

/** Turn a file-system failure (ENOENT, EACCES, ENOSPC, EIO …) into a Chinese GongweiError naming the file; anything else is returned as is. */
export function fsError(e: unknown, file: string): unknown {
  const r = storageReason(e);
  return r ? new GongweiError(r.code, `${r.words}：${file}`, { hint: r.hint, cause: e }) : e;
}
