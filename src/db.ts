// The SQLite file: open it (WAL, busy timeout), with Chinese words for what can go wrong.
import Sqlite from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { GongweiError } from './errors.js';

export type Database = Sqlite.Database;

export interface OpenOptions {
  readonly?: boolean;
  mustExist?: boolean;
  /** How long a writer waits for another writer's lock, in ms (default 10 minutes: a concurrent import waits). */
  busyTimeoutMs?: number;
}

/** SQLite's English reasons in words a user can act on. */
function sqliteReason(msg: string): string {
  if (/unable to open database file/i.test(msg)) return '所在目录不存在或没有读写权限';
  if (/readonly database|read-only/i.test(msg)) return '文件或所在目录是只读的';
  if (/database is locked|busy/i.test(msg)) return '数据库正被其他程序占用，请稍后再试';
  if (/disk I\/O error/i.test(msg)) return '磁盘读写错误';
  if (/database or disk is full/i.test(msg)) return '磁盘空间不足';
  if (/malformed/i.test(msg)) return '数据库文件已损坏';
  return `SQLite：${msg}`;
}

/** Open (or create) the database file. Fatal problems are GongweiErrors (DB_NOT_FOUND, DB_INVALID, DB_OPEN_FAILED). */
export function openDatabase(file: string, opts: OpenOptions = {}): Database {
  const mustExist = opts.mustExist ?? opts.readonly ?? false;
  if (mustExist && !existsSync(file)) {
    throw new GongweiError('DB_NOT_FOUND', `数据库文件不存在：${file}`, { hint: '先用 gongwei registers import 导入登记表，或用 --db 指定数据库文件。' });
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new GongweiError('FILE_IS_DIRECTORY', `数据库路径是一个目录：${file}`);
  }
  let db: Database;
  try {
    db = new Sqlite(file, { readonly: opts.readonly ?? false, fileMustExist: mustExist });
  } catch (e) {
    throw new GongweiError('DB_OPEN_FAILED', `无法打开数据库文件：${file}（${sqliteReason((e as Error).message)}）`, { cause: e });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 600_000))}`);
    if (!opts.readonly) {
      // Switching a new file to WAL takes a lock the busy timeout does not cover: another process opening the
      // same new file at the same moment gets SQLITE_BUSY at once, so retry for a while.
      for (let i = 0; ; i++) {
        try {
          db.pragma('journal_mode = WAL');
          break;
        } catch (e) {
          if (!/locked|busy/i.test((e as Error).message) || i >= 200) throw e;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        }
      }
      db.pragma('synchronous = NORMAL');
    }
    // Touch the schema so a file that is not SQLite fails here, with a clear message.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    const msg = (e as Error).message;
    if (/not a database|file is encrypted/i.test(msg)) {
      throw new GongweiError('DB_INVALID', `这不是一个 SQLite 数据库文件：${file}`, { cause: e });
    }
    throw new GongweiError('DB_OPEN_FAILED', `无法打开数据库文件：${file}（${sqliteReason(msg)}）`, { cause: e });
  }
  return db;
}
