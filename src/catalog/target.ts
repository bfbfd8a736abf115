// The structured form of a plan target ("不低于65%", "≥90%", "控制在30/10万以下", "为零" …), and the one way values and
// targets are written out — on the terminal, in tables and in documents alike.

export type TargetOp = '>=' | '>' | '<=' | '<' | '=';

/** `%` 百分率, `‰` 千分率, `/10万` per 100 000, or a count unit (人, 次, 场, 份, 万元 …). */
export type TargetUnit = '%' | '‰' | '/10万' | string;

export type Target =
  /** A threshold: value op bound ("不低于65%" → {op:'>=', value:65, unit:'%'}). */
  | { kind: 'threshold'; op: TargetOp; value: number; unit: TargetUnit; text: string }
  /** "逐年上升 / 提高 / 稳中有升" against a baseline (optional). */
  | { kind: 'trend'; direction: 'up' | 'down'; baseline?: number; unit?: TargetUnit; text: string }
  /** "增加20% / 增长10%": relative growth vs last year's value. */
  | { kind: 'growth'; percent: number; baseline?: number; text: string }
  /** "提高5个百分点": absolute change in percentage points. */
  | { kind: 'points'; points: number; baseline?: number; text: string };

/** Units of rates (shown with one decimal): %, ‰, /10万. */
export const isRateUnit = (unit: string): boolean => unit === '%' || unit === '‰' || unit === '/10万';
/** One decimal, rounded half up: 95.25 → 95.3. */
export const oneDecimal = (v: number): string => (Math.round(v * 10) / 10).toFixed(1);
/** Whole numbers as they are, others with one decimal. */
export const numberText = (v: number): string => (Number.isInteger(v) ? String(v) : oneDecimal(v));

/** A value with its unit: 95.3%, 16.0‰, 30.0/10万, 12次; no value → 无数据 (or the `missing` text). */
export function formatValue(value: unknown, unit: unknown, missing = '无数据'): string {
  if (value === null || value === undefined || value === '' || Number.isNaN(Number(value))) return missing;
  const u = String(unit ?? '');
  return isRateUnit(u) ? `${oneDecimal(Number(value))}${u}` : `${numberText(Number(value))}${u}`;
}

/** A structured target as words that read naturally: 不低于65%, 控制在5%以下, 为零, 达到100%, 不少于12次. */
export function targetPhrase(t: Target | undefined | null): string {
  if (!t) return '';
  switch (t.kind) {
    case 'threshold': {
      const v = `${numberText(t.value)}${t.unit}`;
      if (t.op === '=') return t.value === 0 ? '为零' : `达到${v}`;
      if (t.op === '>=') return isRateUnit(t.unit) || !t.unit ? `不低于${v}` : `不少于${v}`;
      if (t.op === '>') return `高于${v}`;
      if (t.op === '<=') return `控制在${v}以下`;
      return `低于${v}`;
    }
    case 'trend':
      return t.direction === 'up' ? '逐年上升' : '逐年下降';
    case 'growth':
      return `比上年${t.percent >= 0 ? '增长' : '减少'}${numberText(Math.abs(t.percent))}%`;
    case 'points':
      return `${t.points >= 0 ? '提高' : '降低'}${numberText(Math.abs(t.points))}个百分点`;
  }
}
