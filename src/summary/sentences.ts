// The sentence a document says about one result: its value against its target, and what is still missing.
import { formatValue, isRateUnit, numberText, oneDecimal, targetPhrase } from '../catalog/target.js';
import { reasonWords } from '../indicators/reason-words.js';
import type { IndicatorResult } from '../indicators/types.js';

/**
 * The sentence a summary says about one result (documents.md):
 * "高血压患者规范管理率达到67.2%（目标不低于65%），完成年度目标。" /
 * "高血压患者规范管理率为58.1%，低于目标6.9个百分点，还需规范管理23人。"
 */
export function resultSentence(
  r: Pick<IndicatorResult, 'id' | 'name' | 'value' | 'unit' | 'kind' | 'target' | 'status' | 'gap' | 'reason' | 'gapVerb' | 'gapUnit' | 'manual'>,
  opts: { gapVerb?: string; gapUnit?: string } = {},
): string {
  const unit = String(r.unit);
  const reason = reasonWords(r.reason);
  if (r.status === '需人工填报') return `${r.name}为自定义指标，需人工填报${r.target ? `（目标${targetPhrase(r.target)}）` : ''}，本期尚未填报数值。`;
  // A value a person supplied says so, with its source, wherever it is stated.
  const manual = r.manual ? `人工填报，数据来源：${r.manual.source}` : '';
  if (r.value === null || r.value === undefined) return `${r.name}无数据${reason ? `（${reason}）` : ''}。`;
  const v = formatValue(r.value, unit);
  const t = r.target;
  if (!t || r.status === '无目标' || r.status === undefined) return `${r.name}为${v}${manual ? `（${manual}）` : ''}。`;
  const tp = targetPhrase(t);
  if (r.status === '达标') {
    const lower = t.kind === 'threshold' && (t.op === '<=' || t.op === '<' || (t.op === '=' && t.value === 0));
    return `${r.name}${lower ? '为' : '达到'}${v}（目标${tp}${manual ? `；${manual}` : ''}），完成年度目标。`;
  }
  const parts = [`${r.name}为${v}${manual ? `（${manual}）` : ''}`];
  if (t.kind === 'threshold') {
    const diff = Math.abs(r.value - t.value);
    const above = r.value > t.value;
    if (isRateUnit(unit)) parts.push(`${above ? '高于' : '低于'}目标${oneDecimal(diff)}个${unit === '‰' ? '千分点' : unit === '%' ? '百分点' : `（${unit}）`}`);
    else parts.push(`比目标${above ? '多' : '少'}${numberText(diff)}${unit}`);
  } else parts.push(`未达到目标（${tp}）`);
  if (r.gap) {
    const verb = opts.gapVerb ?? r.gapVerb;
    const lower = t.kind === 'threshold' && (t.op === '<=' || t.op === '<');
    if (r.kind === 'rate') parts.push(`还需${verb ?? (lower ? '减少' : '')}${r.gap}${opts.gapUnit ?? r.gapUnit ?? '人'}`);
  }
  return `${parts.join('，')}。`;
}
