// The shape every reader produces: a row of cells, numbered as the spreadsheet shows it.

export type Cell = string | number | boolean | null;

/** A cell whose value the file does not hold faithfully: a formula without a stored result, or bytes that did not decode (U+FFFD). */
export interface Unreadable { col: number; why: 'formula' | 'bytes' }

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
}
