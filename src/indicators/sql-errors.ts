// SQLite's errors on an indicator's SQL, in Chinese, with the file and the line of the SQL they point at.
import type { IndicatorDef } from '../catalog/indicators.js';
import { GongweiError } from '../errors.js';
import { storageReason } from '../storage-errors.js';

/** Which of an entry's SQL texts: the computation or the gap list. */
export type SqlPart = 'sql' | 'gaps';

/** The columns every computation SQL returns. */
const RESULT_COLUMNS = ['village', 'doctor', 'num', 'den'];

/** What went wrong, in words, and the text in the SQL it points at (to find its line). */
function explain(msg: string, part: SqlPart): { code: string; words: string; token?: string } {
  let m: RegExpExecArray | null;
  if (/readonly|read-only|query_only|attempt to write|not a read-only/i.test(msg)) return { code: 'INDICATOR_SQL_WRITE', words: '试图修改数据库，已被拒绝' };
  if (/not authorized/i.test(msg)) return { code: 'INDICATOR_SQL_WRITE', words: '用了不允许的语句（只能读取登记表数据）' };
  if (/more than one statement/i.test(msg)) return { code: 'INDICATOR_SQL_ERROR', words: '出错：只能写一条 SELECT 语句（不能用分号连接多条语句）' };
  if ((m = /Missing named parameter "(\w+)"/i.exec(msg))) return { code: 'INDICATOR_SQL_PARAMETER', words: `出错：缺少参数 :${m[1]} 的值`, token: `:${m[1]}` };
  if ((m = /near "([^"]*)": syntax error/i.exec(msg))) return { code: 'INDICATOR_SQL_SYNTAX', words: `有语法错误（在“${m[1]}”附近）`, token: m[1] };
  if (/incomplete input/i.test(msg)) return { code: 'INDICATOR_SQL_SYNTAX', words: '有语法错误：语句不完整（缺少括号、引号或语句的后半部分）' };
  if ((m = /no such table: (\S+)/i.exec(msg))) return { code: 'INDICATOR_SQL_ERROR', words: `出错：没有这个表：${m[1]}（登记表编号见 gongwei registers list）`, token: m[1] };
  if ((m = /no such column: (\S+)/i.exec(msg))) {
    const col = m[1]!;
    if (part === 'sql' && RESULT_COLUMNS.includes(col)) return { code: 'INDICATOR_SQL_COLUMNS', words: `结果中缺少列 ${col}：指标 SQL 的每行要返回 village、doctor、num、den 四列` };
    return { code: 'INDICATOR_SQL_ERROR', words: `出错：没有这一列：${col}（各表的列见 gongwei registers describe）`, token: col.replace(/^\w+\./, '') };
  }
  if ((m = /no such function: (\w+)/i.exec(msg))) return { code: 'INDICATOR_SQL_ERROR', words: `出错：没有这个函数：${m[1]}`, token: m[1] };
  if ((m = /wrong number of arguments to function (\w+)/i.exec(msg))) return { code: 'INDICATOR_SQL_ERROR', words: `出错：函数 ${m[1]} 的参数个数不对`, token: m[1] };
  if ((m = /ambiguous column name: (\S+)/i.exec(msg))) return { code: 'INDICATOR_SQL_ERROR', words: `出错：列名 ${m[1]} 不明确（几个表都有这一列，请写成 表.列）`, token: m[1] };
  if (/string or blob too big/i.test(msg)) return { code: 'INDICATOR_SQL_ERROR', words: '出错：结果中的文字或数据过大' };
  if (/out of memory/i.test(msg)) return { code: 'INDICATOR_SQL_ERROR', words: '出错：内存不足，查询太大' };
  if (/interrupted/i.test(msg)) return { code: 'INDICATOR_SQL_TIMEOUT', words: '执行被中断' };
  if (/too many (terms|columns|arguments)|expression tree is too large|parser stack overflow/i.test(msg)) return { code: 'INDICATOR_SQL_ERROR', words: '出错：语句过于复杂' };
  return { code: 'INDICATOR_SQL_ERROR', words: `执行出错（SQLite：${msg}）` };
}

/** file:line of an entry's SQL — the line of `token` in it when there is one — or its id for generated entries. */
export function sqlPosition(def: IndicatorDef, part: SqlPart, token?: string): string {
  if (!def.file) return def.id;
  const first = part === 'gaps' ? def.gapsLine : def.sqlLine;
  if (first === undefined) return def.file;
  const c = def.compute;
  const text = (c.kind === 'immunization' ? '' : part === 'gaps' ? c.gaps : c.kind === 'sql' ? c.sql : c.where) ?? '';
  let offset = 0;
  if (token) {
    const at = text.indexOf(token);
    if (at >= 0) offset = text.slice(0, at).split('\n').length - 1;
  }
  return `${def.file}:${first + offset}`;
}

/** A SQLite error (or a message of ours) on an entry's SQL as a Chinese GongweiError naming the file and line. */
export function sqlError(def: IndicatorDef, e: unknown, part: SqlPart = 'sql'): GongweiError {
  const msg = (e as Error)?.message ?? String(e);
  // The database or the disk, not the SQL: the words of every other storage failure.
  const storage = /readonly|read-only|query_only|attempt to write|not authorized/i.test(msg) ? undefined : storageReason(e);
  if (storage) return new GongweiError(storage.code, `计算指标「${def.name}」时出错：${storage.words}`, { hint: storage.hint, exitCode: 2, cause: e });
  const { code, words, token } = explain(msg, part);
  const what = part === 'gaps' ? '人员清单 SQL（gaps）' : 'SQL';
  const hint =
    code === 'INDICATOR_SQL_WRITE' ? '指标 SQL 只能是只读查询（SELECT）。'
    : code === 'INDICATOR_SQL_PARAMETER' ? '可用的参数：:start、:end（统计期间起止日期）、:year（期末年份）。'
    : undefined;
  return new GongweiError(code, `指标「${def.name}」的 ${what} ${words}（${sqlPosition(def, part, token)}）`, { hint, exitCode: 2, cause: e });
}
