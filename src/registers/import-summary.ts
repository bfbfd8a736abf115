// What an import takes and reports: its options, what each sheet is imported with, and one summary per sheet.
import type { Database } from '../db.js';
import type { Issue } from '../issues.js';
import type { RegisterDef } from '../catalog/registers.js';
import type { KeySet } from './key-set.js';
import type { WrittenDoses } from './written-doses.js';
import type { PrepareRows } from './prepare-thread.js';

export interface ImportOptions {
  /** Register id or Chinese name; default: detected from the headers. */
  register?: string;
  /** Only this sheet (xlsx). */
  sheet?: string;
  /** CSV encoding (utf-8, gb18030/gbk); default: detected. */
  encoding?: string;
  /** "Today" for the not-in-the-future check (YYYY-MM-DD); default: the local date. */
  today?: string;
  catalog?: RegisterDef[];
  toolVersion?: string;
  /** Called every few thousand rows; `fraction` is the share of the sheet read (0–1). */
  onProgress?: (p: { file: string; sheet: string; rows: number; fraction: number }) => void;
  /** How many row issues to return in the summary (all are stored in the database). */
  maxIssues?: number;
  /** Called once the file's rows are about to be read and written (importFiles: the database's quick_check, once). */
  beforeWrite?: () => void;
  /** Called at the end of each file's import transaction, after the stored child facts are refreshed (the CLI stores the indicator facts). */
  afterImport?: (db: Database) => void;
}

export interface ImportSummary {
  file: string;
  sheet?: string;
  register?: string;
  registerName?: string;
  importId?: number;
  encoding?: string;
  headerRow?: number;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  /** Headers of the sheet used by no column. */
  ignoredColumns: string[];
  durationMs: number;
  rowsPerSecond: number;
  /** The first row problems (rejections are severity error, warnings warning); all are in the database. */
  issues: Issue[];
  /**
   * A sheet that was not imported, with the reason code: hidden or without a header (a notes sheet), or, in a workbook
   * of several sheets, one whose register could not be identified (`error`: a problem the exit code reports).
   */
  skipped?: { code: string; message: string; hint?: string; error?: boolean };
  /** A fatal problem with the whole file: nothing of it was written. */
  error?: { code: string; message: string; hint?: string };
}

export function emptySummary(file: string): ImportSummary {
  return { file, rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, warnings: 0, ignoredColumns: [], durationMs: 0, rowsPerSecond: 0, issues: [] };
}

/** What a sheet is imported with: the options, the register (forced or detected), the file's digest and format. */
export interface SheetContext extends ImportOptions {
  catalog: RegisterDef[];
  forced?: RegisterDef;
  single: boolean;
  digest: { sha256: string; size: number };
  date1904: boolean;
  encoding?: string;
  delimiter?: string;
  keys: FileKeys;
  /** The sheet's rows after the header can be prepared on another thread (prepare-thread.ts). */
  prepare?: PrepareRows;
}

/** Natural keys seen in one file, per register, across its sheets (the same key on two sheets is a duplicate too). */
export interface FileKeys {
  sets: Map<string, KeySet>;
  /** The file's sheet names: a key set records the sheet of each key by its number here. */
  sheets: string[];
  /** The rows written to the vaccinations register when it was empty at the start of the file's import. */
  doses?: WrittenDoses;
}
