// The child process of sql-query.ts: runs one custom indicator query on a read-only connection and prints the rows
// (or SQLite's error) as JSON, so that the parent can stop it after the time limit.
import { readFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { registerSqlFunctions } from './sql-functions.js';

const input = readFileSync(0);
const n = input.readUInt32BE(0);
const req = JSON.parse(input.subarray(4, 4 + n).toString('utf8')) as { file?: string; own: string; query: string; params: Record<string, unknown> };
let out: string;
try {
  const db = req.file ? new Sqlite(req.file, { readonly: true, fileMustExist: true }) : new Sqlite(input.subarray(4 + n));
  db.pragma('busy_timeout = 10000');
  db.pragma('query_only = 1');
  registerSqlFunctions(db);
  const own = db.prepare(req.own);
  if (!own.readonly || !own.reader) throw new Error('attempt to write: not a read-only query');
  out = JSON.stringify({ rows: db.prepare(req.query).all(req.params) });
} catch (e) {
  out = JSON.stringify({ error: (e as Error)?.message ?? String(e) });
}
process.stdout.write(out);
