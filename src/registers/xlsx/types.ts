// The rows an xlsx sheet reader yields, and what a sheet needs to turn cell text into values.
import type { Unreadable } from '../cells.js';
import type { SharedStrings } from './shared-strings.js';

export type XlsxCell = string | number | boolean | null;

export interface XlsxRow {
  /** 1-based row number as Excel shows it. */
  row: number;
  /** A new array per row (the reader keeps no reference to it). */
  cells: XlsxCell[];
  /** Indices of numeric cells whose number format is a date. */
  dateCols: number[];
  /** Numeric cells shown zero-padded by their number format (`0000` shows 12 as 0012): index and width. */
  padded?: { col: number; width: number }[];
  /** Cells whose value is not in the file: a formula without a stored result, bytes that are not UTF-8. */
  unreadable?: Unreadable[];
}

/** The workbook-wide parts a sheet's cells refer to. */
export interface SheetContext {
  file: string;
  sst: SharedStrings;
  /** Per cellXfs index: the number format is a date. */
  dateStyle: boolean[];
  /** Per cellXfs index: width of a zero-padding format, else 0. */
  padStyle: number[];
  date1904: boolean;
}
