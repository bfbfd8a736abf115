// The CSV reader: quotes, embedded newlines, ragged rows, CRLF/CR, BOM, GB18030 detection, chunk boundaries.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { parseCsv, detectEncoding, csvRows, normalizeEncoding } from '../../src/registers/csv-reader.js';
import { tmp } from './helpers.js';

async function parse(text: string, chunkSize = 1 << 20) {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const out: { row: number; cells: unknown[] }[] = [];
  for await (const r of parseCsv(chunks(), 's')) out.push({ row: r.row, cells: r.cells });
  return out;
}

const TRICKY = '\ufeffa,"b,1","c ""q"" d"\r\n"line1\nline2",x\ry\n1,2,3,4,5\n,,\n"end"';

describe('CSV parser', () => {
  it('handles quotes, escaped quotes, embedded newlines, CRLF/CR/LF, ragged rows, a BOM', async () => {
    const rows = await parse(TRICKY);
    expect(rows).toEqual([
      { row: 1, cells: ['a', 'b,1', 'c "q" d'] },
      { row: 2, cells: ['line1\nline2', 'x'] },
      { row: 3, cells: ['y'] },
      { row: 4, cells: ['1', '2', '3', '4', '5'] },
      { row: 5, cells: ['', '', ''] },
      { row: 6, cells: ['end'] },
    ]);
  });

  it.each([1, 2, 3, 5, 7])('gives the same records whatever the chunk size (%i)', async (n) => {
    expect(await parse(TRICKY, n)).toEqual(await parse(TRICKY));
  });

  it('keeps a quote inside an unquoted field', async () => {
    expect((await parse('a"b,c\n'))[0]!.cells).toEqual(['a"b', 'c']);
  });

  it('detects GB18030 and UTF-8 (with and without BOM), also after a long ASCII start', async () => {
    const d = tmp();
    const text = 'a,b\n' + 'x,1\n'.repeat(300000) + '姓名,高血压\n';
    writeFileSync(path.join(d, 'gbk.csv'), iconv.encode(text, 'gb18030'));
    writeFileSync(path.join(d, 'u8.csv'), text);
    writeFileSync(path.join(d, 'bom.csv'), '\ufeff' + text);
    expect(detectEncoding(path.join(d, 'gbk.csv'))).toBe('gb18030');
    expect(detectEncoding(path.join(d, 'u8.csv'))).toBe('utf-8');
    expect(detectEncoding(path.join(d, 'bom.csv'))).toBe('utf-8');
    const { rows } = csvRows(path.join(d, 'gbk.csv'), 's');
    let last: unknown[] = [];
    for await (const b of rows) last = b[b.length - 1]!.cells;
    expect(last).toEqual(['姓名', '高血压']);
  });

  it('accepts encoding names and refuses unknown ones', () => {
    expect(normalizeEncoding('GBK')).toBe('gb18030');
    expect(normalizeEncoding('utf8')).toBe('utf-8');
    expect(() => normalizeEncoding('latin1')).toThrow(expect.objectContaining({ code: 'CSV_ENCODING_UNKNOWN' }));
  });
});
