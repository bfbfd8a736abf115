// The intermediate document: what the Markdown from the templates means, before DOCX, HTML or Markdown is written.

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type Align = 'left' | 'right' | 'center' | null;

export interface ChartItem {
  label: string;
  value: number | null;
  target?: number | null;
}

export type Block =
  /** `#`: the document title. */
  | { type: 'title'; text: string }
  /** `##`…`#####`: headings of levels 1–4 with their automatic number (一、 （一） 1. （1）). */
  | { type: 'heading'; level: 1 | 2 | 3 | 4; number: string; text: string }
  | { type: 'paragraph'; runs: Run[] }
  | { type: 'list'; ordered: boolean; items: Run[][] }
  | { type: 'table'; header: string[]; align: Align[]; rows: string[][] }
  /** `::: signature` … `:::`: unit and date lines, right-aligned. */
  | { type: 'signature'; lines: string[] }
  /** ```chart {json}```: indicators against targets. */
  | { type: 'chart'; title?: string; unit?: string; items: ChartItem[] }
  | { type: 'pagebreak' };

export interface Document {
  title: string;
  blocks: Block[];
}

export const runsText = (runs: Run[]): string => runs.map((r) => r.text).join('');
