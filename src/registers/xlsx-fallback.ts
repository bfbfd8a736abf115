// Stand-in xlsx reader over exceljs (whole workbook in memory), used only while src/registers/xlsx-reader.ts is absent.
// exceljs's streaming reader garbles multi-byte characters at chunk boundaries, so the non-streaming reader is used.
import { GongweiError } from '../errors.js';
import type { Cell } from './source.js';

interface Row { row: number; cells: Cell[]; dateCols: number[] }

const EPOCH_1900_MS = Date.UTC(1899, 11, 30);

/** Same shape as xlsx-reader's openWorkbook. Date cells come back as 1900-system serials (date1904 is false). */
export async function openWorkbookWithExcelJS(file: string) {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (e) {
    throw new GongweiError('REG_XLSX_CORRUPT', `无法读取 xlsx 文件（文件损坏或不完整）：${file}`, { cause: e });
  }
  const sheets = wb.worksheets.map((ws) => ({ name: ws.name, hidden: ws.state === 'hidden' || ws.state === 'veryHidden' }));
  return {
    date1904: false,
    sheets,
    async *rows(name: string): AsyncGenerator<Row> {
      const ws = wb.getWorksheet(name);
      if (!ws) return;
      const out: Row[] = [];
      ws.eachRow({ includeEmpty: false }, (r, number) => {
        const cells: Cell[] = [];
        const dateCols: number[] = [];
        const values = r.values as unknown[];
        for (let i = 1; i < values.length; i++) {
          let v = values[i] as any;
          if (v && typeof v === 'object') {
            if (v instanceof Date) {
              dateCols.push(i - 1);
              v = (v.getTime() - EPOCH_1900_MS) / 86400000;
              if (v < 61) v -= 1; // Excel's phantom 1900-02-29
            } else if ('result' in v) v = v.result ?? null;
            else if ('richText' in v) v = v.richText.map((t: { text: string }) => t.text).join('');
            else if ('text' in v) v = v.text;
            else if ('error' in v) v = String(v.error);
            else v = null;
          }
          cells[i - 1] = v === undefined ? null : (v as Cell);
        }
        for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
        out.push({ row: number, cells, dateCols });
      });
      for (const r of out) yield r;
    },
  };
}
