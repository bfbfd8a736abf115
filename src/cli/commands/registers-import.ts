// `gongwei registers import <files…>`: load register exports into SQLite and print a summary per file.
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import type { CommandMain } from '../run.js';
import { makeDirectories } from '../../files.js';
import { checkOutput } from '../output.js';

interface Opts { db: string; register?: string; sheet?: string; encoding?: string; format: 'text' | 'json' }

const main: CommandMain<Opts> = async (files, o) => {
  const { openDatabase } = await import('../../db.js');
  const { importFiles } = await import('../../registers/import.js');
  const { refreshIndicatorFacts } = await import('../../indicators/indicator-facts.js');
  // The database is created where asked, including a folder that does not exist yet.
  const dir = path.dirname(o.db);
  if (!existsSync(dir)) makeDirectories(dir);
  // The database holds personal data: a new one is created readable by its owner only (0600; SQLite gives its
  // -wal and -shm files the same permissions). An import file named as the database is refused.
  checkOutput(o.db, { inputs: files });
  if (!existsSync(o.db)) {
    try {
      closeSync(openSync(o.db, 'wx', 0o600));
    } catch {
      // openDatabase below says why the file cannot be made, in SQLite's terms translated.
    }
  }
  const db = openDatabase(o.db);
  const tty = process.stderr.isTTY && o.format !== 'json';
  let last = 0;
  try {
    const summaries = await importFiles(db, files, {
      register: o.register,
      sheet: o.sheet,
      encoding: o.encoding,
      afterImport: refreshIndicatorFacts, // the stored facts of the follow-up and record entries
      onProgress: tty
        ? (p) => {
            const now = Date.now();
            if (now - last < 200) return;
            last = now;
            const width = 24;
            const done = Math.max(0, Math.min(width, Math.round(p.fraction * width)));
            const bar = `${'█'.repeat(done)}${'░'.repeat(width - done)}`;
            process.stderr.write(`\r\x1b[K正在导入 ${p.file} ${p.sheet} ${bar} ${Math.floor(p.fraction * 100)}%  已读 ${p.rows} 行`);
          }
        : undefined,
    });
    if (tty && last) process.stderr.write('\r\x1b[K');
    if (o.format === 'json') {
      const { importSummaryJson } = await import('../reporters/import-summary.js');
      process.stdout.write(importSummaryJson(summaries));
    } else {
      const { importSummaryText } = await import('../reporters/import-summary.js');
      process.stdout.write(await importSummaryText(summaries, { color: Boolean(process.stdout.isTTY) }));
    }
    if (summaries.some((s) => s.error)) {
      for (const s of summaries.filter((x) => x.error)) {
        process.stderr.write(`错误 [${s.error!.code}]：${s.error!.message}\n`);
        if (s.error!.hint) process.stderr.write(`提示：${s.error!.hint}\n`);
      }
      return 2;
    }
    // 1: rows rejected, or a sheet of a workbook skipped because its register could not be identified.
    return summaries.some((s) => s.rejected > 0 || s.skipped?.error) ? 1 : 0;
  } finally {
    db.close();
  }
};
export default main;
