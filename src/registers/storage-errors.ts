// SQLite failures that come from the machine, not from the program or the file: a full disk, a disk I/O error, a read-only database.

export interface StorageFailure { code: string; message: string; hint: string }

/** The failure of writing `file`'s rows to the database in the user's words, or undefined for any other error. */
export function storageFailure(e: unknown, file: string): StorageFailure | undefined {
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  const kept = '数据库保持导入这个文件之前的样子';
  const rerun = '重新运行同一命令即可：已导入的文件按“未变”计，未导入的接着导入。';
  if (code === 'SQLITE_FULL') {
    return { code: 'DISK_FULL', message: `磁盘空间不足，未能导入：${file}（${kept}）`, hint: `请清理数据库所在磁盘的空间后${rerun}` };
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return { code: 'DB_IO_ERROR', message: `写数据库时发生磁盘读写错误，未能导入：${file}（${kept}）`, hint: `请检查磁盘或 U 盘是否已拔出、损坏，然后${rerun}` };
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return { code: 'DB_READONLY', message: `数据库文件或所在目录是只读的，未能导入：${file}`, hint: '请用 --db 指定一个可写的位置，或修改文件权限。' };
  }
  return undefined;
}
