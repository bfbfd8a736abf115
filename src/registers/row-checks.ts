// Why a row is rejected or warned about once its cells are read: required columns, impossible or unlikely values,
// dates in the future or before birth, and the checks across columns (birth date vs ID number, blood pressure).
import type { ColumnDef } from '../catalog/registers.js';
import type { SqlValue } from './coerce.js';

export interface RowProblem {
  column?: string;
  code: string;
  message: string;
}

export class RowChecks {
  private readonly birthIdx: number;
  private readonly sbpIdx: number;
  private readonly dbpIdx: number;

  constructor(
    private readonly cols: ColumnDef[],
    private readonly today: string,
    private readonly header: (colIdx: number) => string,
  ) {
    this.birthIdx = cols.findIndex((c) => c.name === 'birth_date');
    this.sbpIdx = cols.findIndex((c) => c.name === 'sbp');
    this.dbpIdx = cols.findIndex((c) => c.name === 'dbp');
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
    if (this.sbpIdx >= 0 && this.dbpIdx >= 0) {
      const sbp = vals[this.sbpIdx] as number | null;
      const dbp = vals[this.dbpIdx] as number | null;
      if ((sbp === null) !== (dbp === null)) {
        warns.push({ column: this.header(sbp === null ? this.sbpIdx : this.dbpIdx), code: 'REG_BP_INCOMPLETE', message: '血压只填了收缩压或舒张压中的一个' });
      } else if (sbp !== null && dbp !== null && sbp <= dbp) {
        warns.push({ column: this.header(this.sbpIdx), code: 'REG_BP_INVERTED', message: `收缩压 ${sbp} 不高于舒张压 ${dbp}，可能填反了` });
      }
    }
  }
}
