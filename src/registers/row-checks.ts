// Why a row is rejected or warned about once its cells are read: required columns, impossible or unlikely values,
// dates in the future or before birth, the birth date against the ID number, and the register's checks across
// columns (catalogue data: an end date before the start, blood pressure readings that cannot be right …).
import type { ColumnDef, RegisterDef, RowCheck } from '../catalog/registers.js';
import type { SqlValue } from './coerce.js';

export interface RowProblem {
  column?: string;
  code: string;
  message: string;
}

/** A register check with its columns as indices of the row. */
interface CompiledCheck extends RowCheck {
  at: number[];
}

export class RowChecks {
  private readonly cols: ColumnDef[];
  private readonly birthIdx: number;
  private readonly checks: CompiledCheck[];

  constructor(
    reg: RegisterDef,
    private readonly today: string,
    private readonly header: (colIdx: number) => string,
  ) {
    this.cols = reg.columns;
    this.birthIdx = this.cols.findIndex((c) => c.name === 'birth_date');
    this.checks = (reg.checks ?? []).map((c) => ({ ...c, at: c.columns.map((n) => this.cols.findIndex((x) => x.name === n)) }));
  }

  /** Check a coerced row (`vals`, filled in place: a birth date from the ID number); problems go to `errors` (reject) and `warns`. */
  check(vals: SqlValue[], idBirth: string | undefined, errors: RowProblem[], warns: RowProblem[]): void {
    const cols = this.cols;
    // Birth date from the ID number, and the two compared.
    if (this.birthIdx >= 0 && idBirth) {
      const b = vals[this.birthIdx];
      if (b === null && cols[this.birthIdx]!.fromIdNumber) vals[this.birthIdx] = idBirth;
      else if (b !== null && b !== idBirth) {
        warns.push({ column: this.header(this.birthIdx), code: 'REG_ID_BIRTH_MISMATCH', message: `「${this.header(this.birthIdx)}」与身份证号中的出生日期不一致，请核对` });
      }
    }
    const birth = this.birthIdx >= 0 ? (vals[this.birthIdx] as string | null) : null;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      const v = vals[i];
      if (v === null) {
        if (c.required && !errors.some((e) => e.column === this.header(i))) {
          errors.push({ column: this.header(i), code: 'REG_REQUIRED_MISSING', message: `缺少必填项「${this.header(i)}」` });
        }
        continue;
      }
      if (typeof v === 'number') {
        if ((c.hardMin !== undefined && v < c.hardMin) || (c.hardMax !== undefined && v > c.hardMax)) {
          errors.push({ column: this.header(i), code: 'REG_VALUE_IMPOSSIBLE', message: `「${this.header(i)}」的值 ${v} 不可能（应在 ${c.hardMin ?? '-∞'}～${c.hardMax ?? '∞'} 之间）` });
        } else if ((c.min !== undefined && v < c.min) || (c.max !== undefined && v > c.max)) {
          warns.push({ column: this.header(i), code: 'REG_VALUE_UNLIKELY', message: `「${this.header(i)}」的值 ${v} 超出常见范围（${c.min ?? ''}～${c.max ?? ''}），请核对` });
        }
      } else if (c.type === 'date' || c.type === 'datetime') {
        const d = (v as string).slice(0, 10);
        if (!c.future && d > this.today) {
          errors.push({ column: this.header(i), code: 'REG_DATE_FUTURE', message: `「${this.header(i)}」${d} 晚于今天` });
        } else if (c.afterBirth && birth && d < birth) {
          errors.push({ column: this.header(i), code: 'REG_DATE_BEFORE_BIRTH', message: `「${this.header(i)}」${d} 早于出生日期 ${birth}` });
        }
      }
    }
    for (const c of this.checks) this.across(c, vals, errors, warns);
  }

  /** One check across columns: `not-before` and `greater` compare the first column with the second; `together` wants all or none. */
  private across(c: CompiledCheck, vals: SqlValue[], errors: RowProblem[], warns: RowProblem[]): void {
    const v = c.at.map((i) => vals[i] ?? null);
    let failed: number | undefined; // the column the problem is reported on
    if (c.kind === 'together') {
      const filled = v.filter((x) => x !== null).length;
      if (filled > 0 && filled < v.length) failed = c.at[v.findIndex((x) => x === null)];
    } else if (v[0] !== null && v[1] !== null) {
      const bad = c.kind === 'not-before' ? String(v[0]).slice(0, 10) < String(v[1]).slice(0, 10) : !(Number(v[0]) > Number(v[1]));
      if (bad) failed = c.at[0];
    }
    if (failed === undefined) return;
    const message = c.message.replace(/\{([a-z0-9_]+)\}/g, (_m, name: string) => {
      const i = this.cols.findIndex((x) => x.name === name);
      return i >= 0 && vals[i] !== null && vals[i] !== undefined ? String(vals[i]) : '';
    });
    (c.severity === 'error' ? errors : warns).push({ column: this.header(failed), code: c.code, message });
  }
}
