// The shape every reader produces: a row of cells, numbered as the spreadsheet shows it.

export type Cell = string | number | boolean | null;

export interface SourceRow {
  sheet: string;
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  cells: Cell[];
  /** Indices of numeric cells whose number format is a date (xlsx). */
  dateCols?: number[];
  /** Numeric cells shown zero-padded by their number format (xlsx `0000`): index and width. */
  padded?: { col: number; width: number }[];
}
