// Display of indicator values and targets: one decimal for rates, integers for counts, target phrases.
import type { Target } from '../plan/target.types.js';
import type { IndicatorResult } from './types.js';

const OP_WORD: Record<string, string> = { '>=': '不低于', '>': '高于', '<=': '不超过', '<': '低于', '=': '为' };

export function formatValue(r: Pick<IndicatorResult, 'value' | 'unit' | 'kind'>): string {
  if (r.value === null || r.value === undefined) return '—';
  if (r.kind === 'count') return `${Number.isInteger(r.value) ? r.value : r.value.toFixed(1)}${r.unit}`;
  return `${r.value.toFixed(1)}${r.unit}`;
}

export function formatTarget(t: Target | undefined): string {
  if (!t) return '';
  switch (t.kind) {
    case 'threshold':
      if (t.op === '=' && t.value === 0) return '为零';
      if (t.op === '=' && t.value === 100 && t.unit === '%') return '达到100%';
      return `${OP_WORD[t.op]}${t.value}${t.unit}`;
    case 'trend':
      return t.direction === 'up' ? '逐年上升' : '逐年下降';
    case 'growth':
      return `${t.percent >= 0 ? '增长' : '减少'}${Math.abs(t.percent)}%`;
    case 'points':
      return `${t.points >= 0 ? '提高' : '降低'}${Math.abs(t.points)}个百分点`;
  }
}
