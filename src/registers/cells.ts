// The shape every reader produces: a row of cells, numbered as the spreadsheet shows it.

export type Cell = string | number | boolean | null;

/**
 * A cell whose value the file does not hold faithfully: a formula without a stored result, bytes that did not decode
 * (U+FFFD), or — in a UTF-8 file — bytes that are Chinese text in GB18030/GBK (a row from another file pasted in).
 */
export interface Unreadable {
  col: number;
  why: 'formula' | 'bytes' | 'gb18030';
  /** gb18030: the cell read as GB18030 (kept for the rejected row, so the person can check it; the cell itself shows �). */
  text?: string;
}

export interface SourceRow {
  sheet: string;
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  cells: Cell[];
  /** Indices of numeric cells whose number format is a date (xlsx). */
  dateCols?: number[];
  /** Numeric cells shown zero-padded by their number format (xlsx `0000`): index and width. */
  padded?: { col: number; width: number }[];
  unreadable?: Unreadable[];
  /** CSV in GB18030/GBK: the row's line (this physical line number) was UTF-8 and is read as UTF-8 (a row pasted from a UTF-8 file). */
  utf8Line?: number;
}
