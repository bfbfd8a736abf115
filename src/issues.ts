// Problems found in the user's data: plain values, never exceptions.

export type Severity = 'error' | 'warning' | 'info';

/** A position in a user's file: YAML (line/col) or a spreadsheet (sheet/row/column header). */
export interface Position {
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endCol?: number;
  sheet?: string;
  row?: number;
  column?: string;
}

export interface Issue extends Position {
  /** Stable code, e.g. PLAN_TARGET_RANGE, REG_BAD_DATE. Tests assert codes, not wording. */
  code: string;
  severity: Severity;
  /** Simplified Chinese, one sentence, personal data masked. */
  message: string;
  /** Optional hint: accepted forms, "did you mean" … */
  hint?: string;
}

export function hasErrors(issues: readonly Issue[], strict = false): boolean {
  return issues.some((i) => i.severity === 'error' || (strict && i.severity === 'warning'));
}

export function countBySeverity(issues: readonly Issue[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const i of issues) out[i.severity]++;
  return out;
}

/** `file:line:col` (or `file 工作表 行 列`) for messages. */
export function formatPosition(p: Position): string {
  if (p.sheet !== undefined || p.row !== undefined) {
    const parts = [p.file ?? ''];
    if (p.sheet) parts.push(`工作表「${p.sheet}」`);
    if (p.row !== undefined) parts.push(`第${p.row}行`);
    if (p.column) parts.push(`列「${p.column}」`);
    return parts.filter(Boolean).join(' ');
  }
  let s = p.file ?? '';
  if (p.line !== undefined) s += `:${p.line}`;
  if (p.line !== undefined && p.col !== undefined) s += `:${p.col}`;
  return s;
}
