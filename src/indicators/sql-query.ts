// Running an indicator's SQL: one read-only SELECT with known parameters, checked before it runs; the SQL of a
// custom entry (--catalog) runs in a child process on a read-only connection and is stopped after a time limit.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IndicatorDef } from '../catalog/indicators.js';
import type { Database } from '../db.js';
import { GongweiError } from '../errors.js';
import { sqlError, sqlPosition, type SqlPart } from './sql-errors.js';
import { inlineSqlFunctions, registerSqlFunctions } from './sql-functions.js';
import type { Period } from './types.js';

/** How long a custom entry's SQL may run by default (indicators compute/gaps --sql-timeout). */
export const DEFAULT_SQL_TIMEOUT_MS = 30_000;

/** The parameters indicator SQL may use. */
const PARAMETERS = ['start', 'end', 'year'] as const;

/** The parameters an SQL text names, bound to the period; an unknown one is an error at its line. */
export function boundParameters(def: IndicatorDef, part: SqlPart, sql: string, period: Period): Record<string, unknown> {
  const values: Record<string, unknown> = { start: period.start, end: period.end, year: Number(period.end.slice(0, 4)) };
  // Named parameters outside string literals and comments.
  const bare = sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const names = [...new Set((bare.match(/[:@$][A-Za-z_]\w*/g) ?? []).map((s) => s.slice(1)))];
  const unknown = names.find((n) => !(PARAMETERS as readonly string[]).includes(n));
  if (unknown) {
    throw new GongweiError('INDICATOR_SQL_PARAMETER', `指标「${def.name}」的 ${part === 'gaps' ? '人员清单 SQL（gaps）' : 'SQL'} 用了未知参数 :${unknown}（${sqlPosition(def, part, unknown)}）`, {
      hint: '可用的参数：:start、:end（统计期间起止日期）、:year（期末年份）。',
    });
  }
  if (/\?/.test(bare)) throw sqlError(def, new Error('near "?": syntax error'), part);
  return Object.fromEntries(names.map((n) => [n, values[n]]));
}

/** Refuse anything but one read-only statement (checked by SQLite itself, not by reading the text). */
function checkReadOnly(db: Database, def: IndicatorDef, part: SqlPart, sql: string): void {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (e) {
    throw sqlError(def, e, part);
  }
  if (!stmt.readonly || !stmt.reader) throw sqlError(def, new Error('attempt to write: not a read-only query'), part);
}

const childUrl = new URL('./sql-child.js', import.meta.url);

/** The child runner exists beside the compiled engine (not when running from the TypeScript sources). */
function childAvailable(): boolean {
  return existsSync(fileURLToPath(childUrl));
}

export interface QueryOptions {
  /** Time limit for a custom entry's SQL, in ms (default 30 s). */
  timeoutMs?: number;
}

/**
 * Rows of `query` (the entry's SQL `own`, or a query wrapped around it) with `params`. `own` is checked first: one
 * read-only SELECT. Built-in entries run here; a custom entry's SQL runs in a child process, stopped after the limit.
 */
export function runQuery<T>(db: Database, def: IndicatorDef, part: SqlPart, own: string, query: string, params: Record<string, unknown>, opts: QueryOptions = {}): T[] {
  if (def.custom && childAvailable()) return runInChild<T>(db, def, part, own, query, params, opts.timeoutMs ?? DEFAULT_SQL_TIMEOUT_MS);
  registerSqlFunctions(db);
  checkReadOnly(db, def, part, own);
  // A custom entry here (from the TypeScript sources) still cannot write: the connection is query-only meanwhile.
  const guard = def.custom && !db.pragma('query_only', { simple: true });
  if (guard) db.pragma('query_only = 1');
  try {
    return db.prepare(inlineSqlFunctions(query)).all(params) as T[];
  } catch (e) {
    throw sqlError(def, e, part);
  } finally {
    if (guard) db.pragma('query_only = 0');
  }
}

function runInChild<T>(db: Database, def: IndicatorDef, part: SqlPart, own: string, query: string, params: Record<string, unknown>, timeoutMs: number): T[] {
  const onDisk = !db.memory && db.name && db.name !== ':memory:';
  const header = Buffer.from(JSON.stringify({ file: onDisk ? db.name : undefined, own, query: inlineSqlFunctions(query), params }), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(header.length);
  // A database in memory travels whole (it is small: tests and library callers).
  const input = Buffer.concat([size, header, ...(onDisk ? [] : [db.serialize()])]);
  const r = spawnSync(process.execPath, [fileURLToPath(childUrl)], { input, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 30 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL') {
    const s = Math.round(timeoutMs / 100) / 10;
    throw new GongweiError('INDICATOR_SQL_TIMEOUT', `指标「${def.name}」的 ${part === 'gaps' ? '人员清单 SQL（gaps）' : 'SQL'} 超过 ${s} 秒仍未完成，已停止（${sqlPosition(def, part)}）`, {
      hint: '检查是否有没有终止条件的递归（WITH RECURSIVE）或没有连接条件的多表连接；确实需要更长时间时用 --sql-timeout <秒> 放宽。',
    });
  }
  let answer: { rows?: T[]; error?: string } | undefined;
  try {
    answer = JSON.parse(r.stdout.toString('utf8')) as typeof answer;
  } catch {
    answer = undefined;
  }
  if (answer?.rows) return answer.rows;
  if (answer?.error !== undefined) throw sqlError(def, new Error(answer.error), part);
  throw new GongweiError('INDICATOR_SQL_ERROR', `指标「${def.name}」的 SQL 未能执行（${sqlPosition(def, part)}）：${r.stderr.toString('utf8').trim().split('\n').pop() ?? ''}`);
}
