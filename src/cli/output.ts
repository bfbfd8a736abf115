// Every command's output goes through here: standard output (no -o, or -o -), or a file written whole (temporary
// file + rename), never one of the command's own inputs or its database, 0600 when it holds personal data.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { GongweiError } from '../errors.js';
import { sameFile, STDIO, writeFileAtomic } from '../files.js';

export interface OutputGuard {
  /** Files the command reads (plan, source document, -): the output may not be one of them. */
  inputs?: (string | undefined)[];
  /** The database the command reads or writes. */
  database?: string;
}

export interface OutputOptions extends OutputGuard {
  /** The file holds personal data (gap lists, rejected rows): created readable by its owner only (0600). */
  private?: boolean;
  /** The format's name, for the message when bytes would go to a terminal. */
  format?: string;
}

/** Whether `-o` names a file (not standard output). */
export function toFile(file: string | undefined): file is string {
  return Boolean(file) && file !== STDIO;
}

/**
 * Refuse an output path that is one of the inputs or the database (the same file by real path, symlink or hard link):
 * exit 2, OUTPUT_IS_INPUT / OUTPUT_IS_DATABASE. Call it before the work, so nothing is computed for nothing.
 */
export function checkOutput(file: string | undefined, guard: OutputGuard = {}): void {
  if (!toFile(file)) return;
  if (guard.database && sameFile(file, guard.database)) {
    throw new GongweiError('OUTPUT_IS_DATABASE', `输出文件就是数据库文件，写入会毁掉数据库：${file}`, { hint: '请用 -o 换一个文件名。' });
  }
  for (const input of guard.inputs ?? []) {
    if (input && input !== STDIO && sameFile(file, input)) {
      throw new GongweiError('OUTPUT_IS_INPUT', `输出文件就是输入文件 ${input}，写入会覆盖它：${file}`, { hint: '请用 -o 换一个文件名。' });
    }
  }
}

/** Refuse bytes (DOCX, xlsx) to a terminal: they would only garble the screen. */
export function checkBinaryToTerminal(binary: boolean, file: string | undefined, format = 'docx/xlsx'): void {
  if (binary && !toFile(file) && process.stdout.isTTY) {
    throw new GongweiError('OUTPUT_BINARY_TO_TERMINAL', `${format} 是二进制格式，不能显示在终端上`, { hint: `用 -o 写入文件，或用 -o - 并把标准输出重定向到文件或管道（如 -o - > 结果.${format.split('/')[0]}）。` });
  }
}

/**
 * Write text/bytes to `file`, or to standard output when no file (or `-`) is given. Files are written through a
 * temporary file and a rename; a directory that does not exist yet is created (and said on stderr).
 */
export function writeOutput(data: string | Uint8Array, file?: string, opts: OutputOptions = {}): void {
  if (!toFile(file)) {
    checkBinaryToTerminal(typeof data !== 'string', file, opts.format);
    process.stdout.write(data);
    return;
  }
  checkOutput(file, opts);
  const dir = path.dirname(path.resolve(file));
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new GongweiError('OUTPUT_DIR_NOT_DIRECTORY', `输出路径中的“${path.dirname(file)}”不是目录`);
  }
  const made = !existsSync(dir);
  writeFileAtomic(file, data, { private: opts.private });
  if (made) process.stderr.write(`已新建目录：${path.dirname(file)}\n`);
}

/** Colour only on a TTY, and never with NO_COLOR set to a non-empty value (no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
