// Stand-in xlsx reader over exceljs's streaming reader, used only while src/registers/xlsx-reader.ts is absent.
import { GongweiError } from '../errors.js';
import type { Cell } from './source.js';

interface Row { row: number; cells: Cell[]; dateCols: number[] }

/** Same shape as xlsx-reader's openWorkbook, reading the whole workbook once (sheets are buffered). */
export async function openWorkbookWithExcelJS(file: string) {
  const ExcelJS = (await import('exceljs')).default;
  const sheets: { name: string; hidden: boolean; rows: Row[] }[] = [];
  // Date cells come back as Dates and are turned into 1900-system serials here.
  const date1904 = false;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' } as never);
    for await (const ws of reader as AsyncIterable<any>) {
      const rows: Row[] = [];
      const name: string = ws.name ?? `Sheet${sheets.length + 1}`;
      for await (const r of ws as AsyncIterable<any>) {
        const cells: Cell[] = [];
        const dateCols: number[] = [];
        const values: unknown[] = r.values ?? [];
        for (let i = 1; i < values.length; i++) {
          let v = values[i] as any;
          if (v && typeof v === 'object') {
            if (v instanceof Date) {
              // exceljs turns date cells into UTC Dates: back to a 1900-system serial.
              dateCols.push(i - 1);
              v = v.getTime() / 86400000 + 25569;
            } else if ('result' in v) v = v.result;
            else if ('richText' in v) v = v.richText.map((t: { text: string }) => t.text).join('');
            else if ('text' in v) v = v.text;
            else v = null;
          }
          cells[i - 1] = v === undefined ? null : (v as Cell);
        }
        for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
        rows.push({ row: r.number, cells, dateCols });
      }
      sheets.push({ name, hidden: ws.state === 'hidden' || ws.state === 'veryHidden', rows });
    }
  } catch (e) {
    throw new GongweiError('REG_XLSX_CORRUPT', `无法读取 xlsx 文件（文件损坏或不完整）：${file}`, { cause: e });
  }
  return {
    date1904,
    sheets: sheets.map((s) => ({ name: s.name, hidden: s.hidden })),
    async *rows(name: string) {
      const s = sheets.find((x) => x.name === name);
      for (const r of s?.rows ?? []) yield r;
    },
  };
}
