// The structured form of a plan target ("不低于65%", "≥90%", "控制在30/10万以下", "为零" …).

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
