// What the machine can do wrong — the operating system's errors (ENOSPC, EIO, EACCES …) and SQLite's (CORRUPT, FULL,
// READONLY …) — in one table: a stable code and the Chinese words for it. Every place that reports such a failure
// (files, the database, the import, custom SQL) takes its words from here.

export interface StorageReason {
  /** Stable code: DISK_FULL, DISK_IO_ERROR, DB_CORRUPT … */
  code: string;
  /** What happened, in a few Chinese words (no file name): 磁盘空间不足, 数据库文件已损坏 … */
  words: string;
  /** What the user can do about it. */
  hint?: string;
}

const IO_HINT = '请检查磁盘或 U 盘是否已拔出、损坏，然后重试。';
const CORRUPT_HINT = '请用备份的数据库文件，或删除这个文件后重新导入登记表（导入会重建数据库）。';

/** Node's errno codes (fs, streams, child processes). */
const OS: Record<string, StorageReason> = {
  ENOENT: { code: 'FILE_NOT_FOUND', words: '文件不存在' },
  ENOTDIR: { code: 'FILE_NOT_FOUND', words: '路径中的某一级不是目录' },
  EACCES: { code: 'FILE_NO_PERMISSION', words: '没有权限读写' },
  EPERM: { code: 'FILE_NO_PERMISSION', words: '没有权限读写（操作不被允许）' },
  EROFS: { code: 'FILE_READONLY', words: '所在磁盘是只读的，不能写入', hint: '请换一个可写的位置。' },
  EISDIR: { code: 'FILE_IS_DIRECTORY', words: '这是一个目录，不是文件' },
  ENOSPC: { code: 'DISK_FULL', words: '磁盘空间不足', hint: '请清理磁盘空间后重试。' },
  EDQUOT: { code: 'DISK_FULL', words: '磁盘空间不足（超出配额）', hint: '请清理磁盘空间后重试。' },
  EFBIG: { code: 'DISK_FULL', words: '文件超过了磁盘允许的大小' },
  EIO: { code: 'DISK_IO_ERROR', words: '磁盘读写错误', hint: IO_HINT },
  ENXIO: { code: 'DISK_IO_ERROR', words: '设备不存在或已断开', hint: IO_HINT },
  EMFILE: { code: 'TOO_MANY_FILES', words: '同时打开的文件太多', hint: '请关闭一些程序，或一次少处理几个文件。' },
  ENFILE: { code: 'TOO_MANY_FILES', words: '系统同时打开的文件太多', hint: '请关闭一些程序，或一次少处理几个文件。' },
  ENAMETOOLONG: { code: 'FILE_NAME_TOO_LONG', words: '文件名或路径太长' },
  ELOOP: { code: 'FILE_LINK_LOOP', words: '路径中的符号链接形成了循环' },
  EBUSY: { code: 'FILE_BUSY', words: '文件正被其他程序占用', hint: '请关闭占用它的程序后重试。' },
  ETXTBSY: { code: 'FILE_BUSY', words: '文件正被其他程序占用', hint: '请关闭占用它的程序后重试。' },
  EEXIST: { code: 'FILE_EXISTS', words: '文件已存在' },
  ENOMEM: { code: 'OUT_OF_MEMORY', words: '内存不足' },
};

/** SQLite's primary result codes (better-sqlite3 puts e.g. SQLITE_IOERR_WRITE in `code`: the prefix decides). */
const SQLITE: Array<[prefix: string, reason: StorageReason]> = [
  ['SQLITE_FULL', { code: 'DISK_FULL', words: '磁盘空间不足', hint: '请清理数据库所在磁盘的空间后重试。' }],
  ['SQLITE_IOERR', { code: 'DB_IO_ERROR', words: '磁盘读写错误', hint: IO_HINT }],
  ['SQLITE_READONLY', { code: 'DB_READONLY', words: '文件或所在目录是只读的', hint: '请用 --db 指定一个可写的位置，或修改文件权限。' }],
  ['SQLITE_CORRUPT', { code: 'DB_CORRUPT', words: '数据库文件已损坏', hint: CORRUPT_HINT }],
  ['SQLITE_NOTADB', { code: 'DB_INVALID', words: '这不是一个 SQLite 数据库文件' }],
  ['SQLITE_BUSY', { code: 'DB_BUSY', words: '数据库正被其他程序占用', hint: '请等其他程序（如另一个导入）结束后再试。' }],
  ['SQLITE_LOCKED', { code: 'DB_BUSY', words: '数据库正被其他程序占用', hint: '请等其他程序（如另一个导入）结束后再试。' }],
  ['SQLITE_CANTOPEN', { code: 'DB_OPEN_FAILED', words: '所在目录不存在或没有读写权限' }],
  ['SQLITE_PERM', { code: 'DB_NO_PERMISSION', words: '没有权限读写' }],
  ['SQLITE_AUTH', { code: 'DB_NO_PERMISSION', words: '没有权限读写' }],
  ['SQLITE_NOMEM', { code: 'OUT_OF_MEMORY', words: '内存不足' }],
  ['SQLITE_TOOBIG', { code: 'DB_TOO_BIG', words: '数据太大，超出了数据库的限制' }],
  ['SQLITE_NOLFS', { code: 'DB_TOO_BIG', words: '数据库文件太大，这台机器的文件系统放不下' }],
];

/** The same failures by SQLite's English message (errors that crossed a thread or process boundary lose their code). */
const SQLITE_MESSAGES: Array<[RegExp, string]> = [
  [/database or disk is full/i, 'SQLITE_FULL'],
  [/disk I\/O error/i, 'SQLITE_IOERR'],
  [/attempt to write a readonly database|readonly database/i, 'SQLITE_READONLY'],
  [/database disk image is malformed|malformed database schema/i, 'SQLITE_CORRUPT'],
  [/file is not a database|not a database|file is encrypted/i, 'SQLITE_NOTADB'],
  [/database is locked|database table is locked|database schema is locked/i, 'SQLITE_BUSY'],
  [/unable to open database file/i, 'SQLITE_CANTOPEN'],
  [/^out of memory$/i, 'SQLITE_NOMEM'],
];

function sqliteReason(code: string): StorageReason | undefined {
  return SQLITE.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1];
}

/**
 * The failure in words when it comes from the machine (disk, permissions, a damaged database), else undefined:
 * a bug or the user's own SQL is not a storage failure.
 */
export function storageReason(e: unknown): StorageReason | undefined {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (code.startsWith('SQLITE_')) return sqliteReason(code);
  if (OS[code]) return OS[code];
  const msg = String(err?.message ?? e ?? '');
  for (const [re, c] of SQLITE_MESSAGES) if (re.test(msg)) return sqliteReason(c);
  const errno = /^([A-Z]{3,}):/.exec(msg)?.[1];
  return errno ? OS[errno] : undefined;
}
