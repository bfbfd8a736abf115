// The SQLite file: open it (a writer in WAL, a reader without side files; busy timeout), check it, and say in Chinese what went wrong.
import Sqlite from 'better-sqlite3';
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GongweiError } from './errors.js';
import { storageReason } from './storage-errors.js';

export type Database = Sqlite.Database;

export interface OpenOptions {
  readonly?: boolean;
  mustExist?: boolean;
  /** How long a writer waits for another writer's lock, in ms (default 10 minutes: a concurrent import waits). */
  busyTimeoutMs?: number;
}

/** A SQLite (or file-system) failure on the database file as a Chinese GongweiError naming it; anything else is returned as is. */
export function databaseError(e: unknown, file: string): unknown {
  if (e instanceof GongweiError) return e;
  const r = storageReason(e);
  return r ? new GongweiError(r.code, `${r.words}：${file}`, { hint: r.hint, cause: e }) : e;
}

/** Failing to open: DB_INVALID for a file that is not SQLite, DB_CORRUPT, DISK_FULL …, else DB_OPEN_FAILED with the reason. */
function openError(e: unknown, file: string): GongweiError {
  if (e instanceof GongweiError) return e;
  const r = storageReason(e);
  if (r?.code === 'DB_INVALID') return new GongweiError('DB_INVALID', `${r.words}：${file}`, { cause: e });
  if (r && r.code !== 'DB_OPEN_FAILED' && r.code !== 'FILE_NOT_FOUND') return new GongweiError(r.code, `无法打开数据库文件：${file}（${r.words}）`, { hint: r.hint, cause: e });
  return new GongweiError('DB_OPEN_FAILED', `无法打开数据库文件：${file}（${r?.words ?? `SQLite：${(e as Error)?.message ?? String(e)}`}）`, { cause: e });
}

/** Whether the file's header says it is in WAL mode (bytes 18–19 = 2): readers of such a file create -wal/-shm beside it. */
function inWalMode(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(20);
    return readSync(fd, head, 0, 20, 0) === 20 && head.toString('latin1', 0, 15) === 'SQLite format 3' && head[18] === 2 && head[19] === 2;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Put a WAL-mode file back in rollback-journal mode (checkpointing its -wal) so that readers leave nothing beside it.
 * Only when nobody else has it open (busy: a writer is at work, its side files are its own) and the folder is writable.
 */
function leaveWal(file: string): void {
  if (!writable(path.dirname(file)) || !writable(file)) return;
  let db: Database | undefined;
  try {
    db = new Sqlite(file, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch {
    // Someone else holds it, or it cannot be written: read it as it is.
  } finally {
    db?.close();
  }
}

/**
 * Open (or create) the database file. Fatal problems are GongweiErrors (DB_NOT_FOUND, DB_INVALID, DB_OPEN_FAILED, DB_CORRUPT …).
 * A writer works in WAL mode and puts the file back in rollback-journal mode when it closes; a reader (`readonly`)
 * opens a rollback-journal file, so read-only commands leave no -wal/-shm files behind.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Database {
  const mustExist = opts.mustExist ?? opts.readonly ?? false;
  if (mustExist && !existsSync(file)) {
    throw new GongweiError('DB_NOT_FOUND', `数据库文件不存在：${file}`, { hint: '先用 gongwei registers import 导入登记表，或用 --db 指定数据库文件。' });
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new GongweiError('FILE_IS_DIRECTORY', `数据库路径是一个目录：${file}`);
  }
  if (opts.readonly && existsSync(file) && inWalMode(file)) {
    leaveWal(file);
    if (inWalMode(file) && !writable(path.dirname(file))) return openPrivateCopy(file, opts);
  }
  let db: Database;
  try {
    db = new Sqlite(file, { readonly: opts.readonly ?? false, fileMustExist: mustExist });
  } catch (e) {
    throw openError(e, file);
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
      const close = db.close.bind(db);
      db.close = () => {
        // Back to a rollback journal (the -wal is checkpointed and removed); another writer still at work keeps WAL.
        try {
          if (db.open) {
            db.pragma('busy_timeout = 0');
            db.pragma('journal_mode = DELETE');
          }
        } catch {
          // busy or read-only: the last writer to close does it
        }
        return close();
      };
    }
    // Touch the schema so a file that is not SQLite fails here, with a clear message.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    throw openError(e, file);
  }
  return db;
}

/**
 * PRAGMA quick_check: the b-tree pages and records are well formed (not indexes against tables). Throws DB_CORRUPT
 * with SQLite's first complaint. About 1–3 s on a 250 MB database (docs/registers.md).
 */
export function checkDatabase(db: Database, file: string): void {
  let rows: Array<{ quick_check: string }>;
  try {
    rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
  } catch (e) {
    throw databaseError(e, file);
  }
  if (rows.length === 1 && rows[0]!.quick_check === 'ok') return;
  throw new GongweiError('DB_CORRUPT', `数据库文件已损坏：${file}（检查发现 ${rows.length >= 5 ? '至少 5' : rows.length} 处问题）`, {
    hint: '请用备份的数据库文件，或删除这个文件后重新导入登记表（导入会重建数据库）。',
  });
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reading a database in a folder that cannot be written (a read-only share or disc): SQLite needs to create the WAL's
 * -shm file beside it, so the file (and its -wal) is read from a private copy, removed when the database is closed.
 */
function openPrivateCopy(file: string, opts: OpenOptions): Database {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gongwei-readonly-'));
  const copy = path.join(dir, path.basename(file));
  try {
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = openDatabase(copy, opts);
    const close = db.close.bind(db);
    db.close = () => {
      close();
      rmSync(dir, { recursive: true, force: true });
      return db;
    };
    return db;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw openError(e, file);
  }
}

/** Whether the database has a table of that name. */
export function tableExists(db: Database, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}
