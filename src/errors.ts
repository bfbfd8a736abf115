// Fatal errors: a stable code, one Chinese sentence, and the exit code the CLI uses.

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

/** Turn Node's file-system errors into a Chinese GongweiError; anything else is returned as is. */
export function fsError(e: unknown, file: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new GongweiError('FILE_NOT_FOUND', `文件不存在：${file}`, { cause: e });
    case 'EACCES':
    case 'EPERM':
      return new GongweiError('FILE_NO_PERMISSION', `没有权限读写：${file}`, { cause: e });
    case 'EISDIR':
      return new GongweiError('FILE_IS_DIRECTORY', `这是一个目录，不是文件：${file}`, { cause: e });
    case 'ENOTDIR':
      return new GongweiError('FILE_NOT_FOUND', `路径中的某一级不是目录：${file}`, { cause: e });
    case 'ENOSPC':
      return new GongweiError('DISK_FULL', `磁盘空间不足，无法写入：${file}`, { cause: e });
    default:
      return e;
  }
}
