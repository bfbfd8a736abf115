// The second thread that prepares a large file's rows (CSV or xlsx) reads the file again from its start. When the rows
// up to the header are no longer what the importing thread read (the file was rewritten meanwhile), it refuses: the
// rows would otherwise be stored under the columns of another header. Blank rows above the header are passed over on
// both threads. Runs the built modules (the thread is the built worker).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { csvText, tmp, writeXlsx } from './helpers.js';

const built = (m: string) => import(path.resolve('dist', m));

/** The row numbers prepared on the second thread, given the rows up to the header as read here ([row number, cells]). */
async function prepared(file: string, headRead: [number, (string | null)[]][]): Promise<number[]> {
  const { openSource } = await built('registers/source.js');
  const { withPreparingThread } = await built('registers/prepare-thread.js');
  const { headerIndex, mapColumns } = await built('registers/headers.js');
  const { loadRegisterCatalog, getRegister } = await built('catalog/registers.js');
  const source = withPreparingThread(await openSource(file), file);
  expect(source.prepare).toBeDefined();
  const reg = getRegister('health_education');
  const m = mapColumns(headerIndex(loadRegisterCatalog()), reg, headRead[headRead.length - 1]![1]);
  const sheet = source.sheets.find((s: { hidden: boolean }) => !s.hidden).name;
  const head = headRead.map(([row, cells]) => ({ sheet, row, cells }));
  const rows: number[] = [];
  try {
    for await (const b of source.prepare({ reg, m, date1904: false, encoding: source.encoding, today: '2026-12-03' }, head)) {
      for (let i = 0; i < b.ints.length; i += 2) rows.push(b.ints[i]);
    }
  } finally {
    source.close?.();
  }
  return rows;
}

const title = '青石镇健康教育活动记录';
const header = ['活动日期', '活动形式', '活动主题', '发放资料数', '所属村'];
const rows = [[title], [], header, ['2025-03-05', '讲座', '高血压防治', 120, '青石村'], ['2025-04-09', '咨询', '合理膳食', 80, '东溪村']];
const d = tmp();
const csv = path.join(d, '健康教育.csv');
writeFileSync(csv, csvText(rows) + '\r\n');
const xlsx = path.join(d, '健康教育.xlsx');
const written = writeXlsx(xlsx, [{ name: '说明', rows: [['按要求填写']], hidden: true }, { name: '健康教育', rows: rows.map((r) => (r.length ? r : [''])) }]);

describe.each([['CSV', csv], ['xlsx', xlsx]])('%s rows prepared on a second thread: a file changed during the import', (_kind, file) => {
  it('the rows up to the header as read (the blank row passed over): the rows after it are prepared', async () => {
    await written;
    expect(await prepared(file, [[1, [title]], [3, header]])).toEqual([4, 5]);
  });

  it('a header that is no longer the one read: REG_FILE_CHANGED, in Chinese, naming the file', async () => {
    const before: [number, string[]][] = [[1, [title]], [3, ['活动形式', '活动日期', '活动主题', '发放资料数', '所属村']]];
    await expect(prepared(file, before)).rejects.toMatchObject({ code: 'REG_FILE_CHANGED', message: expect.stringContaining('文件在导入过程中被改动过') });
  });

  it('a title row that changed above the same header, or a row that is no longer there: refused as well', async () => {
    await expect(prepared(file, [[1, [`${title}（修订）`]], [3, header]])).rejects.toMatchObject({ code: 'REG_FILE_CHANGED' });
    await expect(prepared(file, [[1, [title]], [2, ['填表单位：青石镇卫生院']], [3, header]])).rejects.toMatchObject({ code: 'REG_FILE_CHANGED' });
  });
});
