// The second thread that prepares a large CSV's rows reads the file again from its start. When the rows up to the header
// are no longer what the importing thread read (the file was rewritten meanwhile), it refuses: the rows would otherwise
// be stored under the columns of another header. Runs the built modules (the thread is the built worker).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { csvText, tmp } from './helpers.js';

const built = (m: string) => import(path.resolve('dist', m));

/** The row numbers prepared on the second thread. */
async function prepared(file: string, headRead: (string | null)[][]): Promise<number[]> {
  const { openSource } = await built('registers/source.js');
  const { withPreparingThread } = await built('registers/prepare-thread.js');
  const { headerIndex, mapColumns } = await built('registers/headers.js');
  const { loadRegisterCatalog, getRegister } = await built('catalog/registers.js');
  const source = withPreparingThread(await openSource(file), file);
  expect(source.prepare).toBeDefined();
  const reg = getRegister('health_education');
  const m = mapColumns(headerIndex(loadRegisterCatalog()), reg, headRead[headRead.length - 1]);
  const head = headRead.map((cells, i) => ({ sheet: source.sheets[0].name, row: i + 1, cells }));
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

describe('CSV rows prepared on a second thread: a file changed during the import', () => {
  const header = ['活动日期', '活动形式', '活动主题', '发放资料数', '所属村'];
  const file = path.join(tmp(), '健康教育.csv');
  writeFileSync(file, csvText([['青石镇健康教育活动记录'], header, ['2025-03-05', '讲座', '高血压防治', 120, '青石村'], ['2025-04-09', '咨询', '合理膳食', 80, '东溪村']]) + '\r\n');

  it('the rows up to the header as read: the rows after it are prepared', async () => {
    expect(await prepared(file, [['青石镇健康教育活动记录'], header])).toEqual([3, 4]);
  });

  it('a header that is no longer the one read: REG_FILE_CHANGED, in Chinese, naming the file', async () => {
    const before = [['青石镇健康教育活动记录'], ['活动形式', '活动日期', '活动主题', '发放资料数', '所属村']];
    await expect(prepared(file, before)).rejects.toMatchObject({ code: 'REG_FILE_CHANGED', message: expect.stringContaining('文件在导入过程中被改动过') });
  });

  it('a title row that changed above the same header: refused as well', async () => {
    await expect(prepared(file, [['青石镇健康教育活动记录（修订）'], header])).rejects.toMatchObject({ code: 'REG_FILE_CHANGED' });
  });
});
