// What a reader hands on: the document as a flat run of lines (paragraphs) and tables, with their places in the source.
import type { Check, SourceUnit } from './tree.js';

export interface LineBlock {
  kind: 'line';
  text: string;
  /** Line (text) or paragraph (Word) number, from 1. */
  at: number;
  /** Heading level known from a Word style, an outline level or a Markdown `#`. */
  level?: number;
  /** A Word paragraph in the Title style. */
  title?: boolean;
}

export interface TableBlock {
  kind: 'table';
  rows: string[][];
  at: number;
}

/** An empty line or paragraph: it separates paragraphs (a line cut mid-sentence is not joined across it). */
export interface BlankBlock {
  kind: 'blank';
  at: number;
}

export type Block = LineBlock | TableBlock | BlankBlock;

export type SourceFormat = 'text' | 'markdown' | 'docx' | 'converted';

export interface SourceDoc {
  file: string;
  format: SourceFormat;
  unit: SourceUnit;
  /** The text encoding of a text file (utf-8, gb18030, utf-16le …). */
  encoding?: string;
  blocks: Block[];
  /** What the reader noticed (tracked changes, text boxes, conversion by LibreOffice …). */
  notes: Check[];
}
