// Cells that do not hold the value a person sees: Excel error values, formulas without a stored result, bytes that did not decode.
import type { SourceRow } from './source.js';

/** Excel's error values (what a failed formula shows; typed in a cell, Excel turns them into errors too). */
const EXCEL_ERRORS = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#UNKNOWN!', '#BUSY!', '#PYTHON!']);

export interface CellProblem { code: string; message: string }

/** Whether a cell needs `unfaithful`: the row has unreadable cells, or the cell is text starting with `#` (cheap to test per cell). */
export function maybeUnfaithful(r: SourceRow, src: number): boolean {
  if (r.unreadable) return true;
  const v = r.cells[src];
  return typeof v === 'string' && v.length > 1 && (v.charCodeAt(0) === 35 || v.charCodeAt(0) <= 32);
}

/**
 * The problem with cell `src` of a row when the file does not hold its value faithfully, else undefined. The message
 * follows the column's header (「村」…) and says how to get the value into the file.
 */
export function unfaithful(r: SourceRow, src: number, encoding?: string): CellProblem | undefined {
  if (r.unreadable) {
    for (const u of r.unreadable) {
      if (u.col !== src) continue;
      if (u.why === 'formula') {
        return {
          code: 'REG_FORMULA_NO_VALUE',
          message: '是公式，但文件里没有保存它的计算结果（由程序或脚本生成的文件常见），读不到单元格显示的值；请用 Excel 或 WPS 打开该文件、保存后重新导入',
        };
      }
      if (u.why === 'gb18030') {
        return {
          code: 'REG_MIXED_ENCODING',
          message: '是 GBK/GB18030 编码的中文，而文件的其余部分是 UTF-8（这一行多半是从另一个文件复制进来的），用 Excel/WPS 打开时显示为乱码，不能当作数据保存；请从系统重新导出整个文件，或在 registers rejects 导出的文件里核对这一行（已按 GBK 读出）后重新导入',
        };
      }
      return {
        code: 'REG_BAD_BYTES',
        message: encoding
          ? `含有无法按 ${encoding} 编码读出的字节（显示为 �），不能当作数据保存；请确认文件的编码（可用 --encoding gbk 或 --encoding utf-8 指定）或从系统重新导出`
          : '含有无法解码的字节（显示为 �，文件内部不是合法的 UTF-8），不能当作数据保存；请从系统重新导出，或在 Excel/WPS 中改正后另存',
      };
    }
  }
  const v = r.cells[src];
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.charCodeAt(0) === 35 && EXCEL_ERRORS.has(t.toUpperCase())) {
      return { code: 'REG_CELL_ERROR', message: `是 Excel 错误值 ${t}（公式出错），不是数据；请在 Excel/WPS 中改正公式或填入实际的值后重新导入` };
    }
  }
  return undefined;
}
