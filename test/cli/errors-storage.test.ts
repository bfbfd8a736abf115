// What the machine can do wrong, through the real binary: a damaged database, a file that is not SQLite, a read-only
// folder, a full disk — each a Chinese message with its code and exit 2, never INTERNAL; and read-only commands leave
// no -wal/-shm files beside the database.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { storageReason } from '../../src/storage-errors.js';
import { fsError } from '../../src/errors.js';
import { gongwei, root, tempDir } from '../plan/helpers.js';

const ROOT = process.getuid?.() === 0;
const REG = (f: string) => path.join(root, 'examples/registers', f);
const PLAN = path.join(root, 'examples/qingshi-2025-annual-plan.yaml');
const ASSESS = path.join(root, 'examples/qingshi-2025-assessment.yaml');
const sideFiles = (dir: string) => readdirSync(dir).filter((f) => /-(wal|shm|journal)$/.test(f));
const noInternal = (r: { stderr: string; stdout: string }) => {
  expect(r.stderr + r.stdout).not.toMatch(/INTERNAL|SqliteError|malformed|not a database|at .*\.js:\d+/);
};

let good: string;
beforeAll(() => {
  const d = tempDir('gw-storage-');
  good = path.join(d, 'good.sqlite');
  const r = gongwei(['registers', 'import', '--db', good, REG('高血压患者管理名册.xlsx'), REG('高血压患者随访记录（2025年）.csv'), REG('2025年人口基础数据.xlsx')]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

/** A copy of the good database with bytes written over the middle of every fifth page, or of one data page near the end. */
function corruptCopy(onePage = false): string {
  const f = path.join(tempDir('gw-storage-'), 'damaged.sqlite');
  copyFileSync(good, f);
  const pages = statSync(f).size / 4096;
  const fd = openSync(f, 'r+');
  let seed = 7;
  const junk = Buffer.alloc(1500, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0xff));
  for (let p = onePage ? pages - 3 : 2; p < pages; p += onePage ? pages : 5) writeSync(fd, junk, 0, junk.length, p * 4096 + 300);
  closeSync(fd);
  return f;
}

describe('a damaged database', () => {
  it('compute on it: DB_CORRUPT in Chinese naming the file, exit 2', () => {
    const db = corruptCopy();
    const r = gongwei(['indicators', 'compute', '--db', db, '--period', '2025']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[DB_CORRUPT\]：.*数据库文件已损坏/);
    expect(r.stderr).toContain('提示：');
    noInternal(r);
  });

  it('importing into it is refused before anything is written (quick_check): DB_CORRUPT, exit 2, the file unchanged', () => {
    const db = corruptCopy();
    const before = readFileSync(db);
    const r = gongwei(['registers', 'import', '--db', db, REG('2型糖尿病患者管理名册.xlsx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误 [DB_CORRUPT]');
    expect(r.stderr).toMatch(/数据库文件已损坏/);
    expect(r.stderr).toContain(db);
    noInternal(r);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('one damaged data page that opening does not notice: the quick_check of the import finds it, exit 2, nothing written', () => {
    const db = corruptCopy(true);
    const before = readFileSync(db);
    const r = gongwei(['registers', 'import', '--db', db, REG('2型糖尿病患者管理名册.xlsx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^错误 \[DB_CORRUPT\]：数据库文件已损坏：.*damaged\.sqlite（检查发现 \d+ 处问题）/);
    noInternal(r);
    // Pages unchanged (the 100-byte header records the journal mode the writer switched to and back).
    expect(readFileSync(db).subarray(100).equals(before.subarray(100))).toBe(true);
  });

  it('a file that is not SQLite: DB_INVALID for import and compute alike', () => {
    const f = path.join(tempDir('gw-storage-'), 'notes.sqlite');
    copyFileSync(PLAN, f);
    for (const args of [['registers', 'import', '--db', f, REG('2型糖尿病患者管理名册.xlsx')], ['indicators', 'compute', '--db', f, '--period', '2025']]) {
      const r = gongwei(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`错误 [DB_INVALID]：这不是一个 SQLite 数据库文件：${f}`);
      noInternal(r);
    }
  });
});

describe('one table of storage failures', () => {
  it.each([
    [{ code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' }, 'DISK_FULL', '磁盘空间不足'],
    [{ code: 'EIO', message: 'EIO: i/o error, read' }, 'DISK_IO_ERROR', '磁盘读写错误'],
    [{ code: 'EPERM', message: 'EPERM: operation not permitted' }, 'FILE_NO_PERMISSION', '没有权限'],
    [{ code: 'EACCES', message: 'EACCES: permission denied' }, 'FILE_NO_PERMISSION', '没有权限'],
    [{ code: 'EROFS', message: 'EROFS: read-only file system' }, 'FILE_READONLY', '只读'],
    [{ code: 'EMFILE', message: 'EMFILE: too many open files' }, 'TOO_MANY_FILES', '文件太多'],
    [{ code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' }, 'DB_CORRUPT', '已损坏'],
    [{ code: 'SQLITE_NOTADB', message: 'file is not a database' }, 'DB_INVALID', '不是一个 SQLite'],
    [{ code: 'SQLITE_FULL', message: 'database or disk is full' }, 'DISK_FULL', '磁盘空间不足'],
    [{ code: 'SQLITE_READONLY_DIRECTORY', message: 'attempt to write a readonly database' }, 'DB_READONLY', '只读'],
    [{ code: 'SQLITE_BUSY', message: 'database is locked' }, 'DB_BUSY', '占用'],
    [{ code: 'SQLITE_LOCKED_SHAREDCACHE', message: 'database table is locked' }, 'DB_BUSY', '占用'],
    [{ code: 'SQLITE_CANTOPEN', message: 'unable to open database file' }, 'DB_OPEN_FAILED', '没有读写权限'],
    [{ code: 'SQLITE_IOERR_SHORT_READ', message: 'disk I/O error' }, 'DB_IO_ERROR', '磁盘读写错误'],
    // Across a thread or a process the code is lost; the message still says it.
    [new Error('database disk image is malformed'), 'DB_CORRUPT', '已损坏'],
    [new Error('EIO: i/o error, read'), 'DISK_IO_ERROR', '磁盘读写错误'],
  ])('%j → %s', (e, code, words) => {
    expect(storageReason(e)).toMatchObject({ code });
    expect(storageReason(e)!.words).toContain(words);
  });

  it('a bug is not a storage failure (it stays INTERNAL); a file-system failure names the file', () => {
    expect(storageReason(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    expect(storageReason({ code: 'SQLITE_ERROR', message: 'no such table: x' })).toBeUndefined();
    expect(fsError({ code: 'ENOSPC', message: 'ENOSPC' }, '/mnt/u/计划.docx')).toMatchObject({ code: 'DISK_FULL', message: '磁盘空间不足：/mnt/u/计划.docx' });
  });
});

/** A small tmpfs (root only): a real full disk or a real read-only folder. Undefined where it cannot be mounted. */
function mountTmpfs(size: string): { dir: string; readonly(): void; unmount(): void } | undefined {
  if (!ROOT) return undefined;
  const dir = tempDir('gw-mnt-');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status !== 0) return undefined;
  return {
    dir,
    readonly: () => expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0),
    unmount: () => void spawnSync('umount', [dir]),
  };
}

describe('a read-only folder and a full disk (need root for a tmpfs)', () => {
  it.skipIf(!ROOT)('on a read-only disk: compute and rejects read the database; import says DB_READONLY in Chinese, exit 2', () => {
    const m = mountTmpfs('8m');
    if (!m) return;
    try {
      const db = path.join(m.dir, 'db.sqlite');
      copyFileSync(good, db);
      m.readonly();
      const c = gongwei(['indicators', 'compute', '--db', db, '--period', '2025', '-f', 'json']);
      expect(c.code, c.stderr).toBe(0);
      expect(JSON.parse(c.stdout).results.length).toBeGreaterThan(5);
      const rj = gongwei(['registers', 'rejects', '--db', db]);
      expect(rj.code, rj.stderr).toBe(0);
      const i = gongwei(['registers', 'import', '--db', db, REG('2型糖尿病患者管理名册.xlsx')]);
      expect(i.code).toBe(2);
      expect(i.stderr).toMatch(/错误 \[(DB_READONLY|DB_OPEN_FAILED)\]：.*只读|没有读写权限/);
      noInternal(i);
      expect(sideFiles(m.dir)).toEqual([]);
    } finally {
      m.unmount();
    }
  });

  it.skipIf(!ROOT)('a document written to a full disk: DISK_FULL 磁盘空间不足, exit 2', () => {
    const m = mountTmpfs('1m');
    if (!m) return;
    try {
      spawnSync('dd', ['if=/dev/zero', `of=${path.join(m.dir, 'filler')}`, 'bs=4k']); // stops when the disk is full
      const r = gongwei(['plan', 'render', PLAN, '-f', 'docx', '-o', path.join(m.dir, '计划.docx')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/错误 \[DISK_FULL\]：.*磁盘空间不足|磁盘空间不足/);
      noInternal(r);
    } finally {
      m.unmount();
    }
  });
});

describe('read-only commands leave no -wal/-shm files', () => {
  it('compute, gaps, render --summary, assess, rejects, describe on a database last written in WAL mode', () => {
    const d = tempDir('gw-wal-');
    const db = path.join(d, 'db.sqlite');
    copyFileSync(good, db);
    // A database left in WAL mode (by an older version or a writer that did not close): the first reader puts it back.
    const w = new Sqlite(db);
    w.pragma('journal_mode = WAL');
    w.close();
    expect(readFileSync(db)[18]).toBe(2);
    const runs = [
      ['indicators', 'compute', '--db', db, '--period', '2025'],
      ['indicators', 'gaps', '高血压患者规范管理率', '--db', db, '--period', '2025'],
      ['plan', 'render', PLAN, '--summary', '--db', db, '--period', '2025', '-f', 'md', '-o', path.join(d, 'summary.md')],
      ['plan', 'assess', ASSESS, '--db', db, '--period', '2025'],
      ['registers', 'rejects', '--db', db],
      ['registers', 'describe', 'hypertension_patients'],
    ];
    for (const args of runs) {
      const r = gongwei(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBeLessThanOrEqual(1);
      expect(sideFiles(d), args.join(' ')).toEqual([]);
    }
    expect(readFileSync(db)[18]).toBe(1);
  }, 180_000);

  it('an import leaves the database in rollback-journal mode with no side files', () => {
    const d = tempDir('gw-wal-');
    const db = path.join(d, 'db.sqlite');
    expect(gongwei(['registers', 'import', '--db', db, REG('2型糖尿病患者管理名册.xlsx')]).code).toBe(0);
    expect(sideFiles(d)).toEqual([]);
    expect(readFileSync(db)[18]).toBe(1);
    expect(existsSync(db)).toBe(true);
  });
});
