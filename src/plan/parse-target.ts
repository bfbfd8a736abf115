// Target phrasing ("不低于65%", "≥90%", "控制在30/10万以下", "为零", "提高5个百分点" …) → a structured Target.
import type { Target, TargetOp } from '../catalog/target.js';

export const ACCEPTED_TARGET_FORMS =
  '不低于65%、达到95%以上、≥90%、>=90%、超过80%、控制在5%以下、不超过30/10万、低于5‰、为零、杜绝、全覆盖、100%、提高5个百分点、增长10%、逐年上升、稳中有升、12次（计数）';

export type ParseTargetResult = { target: Target } | { error: { code: string; message: string } };

const UNIT = '(%|‰|/10万|/万|个百分点|万人次|万人|万份|万元|万|人次|人|次|场|份|例|个|户|家|名|期|批|块|所|篇|项|张|台|床|天|小时|学时|学分|元)?';
const NUM = '(\\d+(?:\\.\\d+)?)';

const PREFIX: [RegExp, TargetOp][] = [
  [/^(达到或超过|达到或高于|大于或等于|大于等于|高于或等于|不低于|不少于|不小于|至少|最少|保持在|保持|稳定在|提高到|提升到|上升到|增加到|增长到|达到|达|实现|≥|>=|=>)/, '>='],
  [/^(超过|高于|大于|多于|>)/, '>'],
  [/^(小于或等于|小于等于|低于或等于|控制在|控制到|降低到|降到|下降到|减少到|不超过|不高于|不大于|不多于|最多|≤|<=|=<)/, '<='],
  [/^(低于|小于|少于|不满|不足|<)/, '<'],
  [/^(等于|为|=)/, '='],
];
/** Prefixes that say "reach" rather than "at least": 达到100% means 100%, where ≥100% / 不低于100% earn a warning. */
const REACH = /^(达到|达|实现|保持在|保持|稳定在|提高到|提升到|上升到|增加到|增长到)$/;
/** Words of intent before a target ("力争达到95%", "确保全年不少于12次"): they do not change it. */
const INTENT = /^(?:力争|争取|确保|保证|保障|计划|要求|务必|全年|年内|每年|年度|均)+/;
const SUFFIX: [RegExp, TargetOp][] = [
  [/(及以上|以上|或以上)$/, '>='],
  [/(及以下|以下|以内|之内|或以下)$/, '<='],
];

/** Normalise: NFKC (full-width ％ ＞ ： → half-width), no spaces, 百分之N → N%. */
export function normalizeTargetText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/≧/g, '≥')
    .replace(/≦/g, '≤')
    .replace(/\s+/g, '')
    .replace(/百分之(\d+(?:\.\d+)?)/g, '$1%')
    .replace(/[。；;，,]+$/, '');
}

function unitOf(u: string | undefined): string {
  if (!u) return '';
  if (u === '/万') return '/万';
  return u;
}

const memo = new Map<string | number, ParseTargetResult>();

/** Parse a target phrase (memoised: plans repeat the same phrases). Unparseable phrasing is an error. */
export function parseTarget(input: string | number): ParseTargetResult {
  let r = memo.get(input);
  if (!r) {
    r = parseTargetUncached(input);
    if (memo.size < 10_000) memo.set(input, r);
  }
  return r;
}

function parseTargetUncached(input: string | number): ParseTargetResult {
  const text = String(input);
  if (typeof input === 'number') return { target: { kind: 'threshold', op: '>=', value: input, unit: '', text } };
  const t = normalizeTargetText(text).replace(INTENT, '').replace(/(?<=\D)\/年$/, '');
  if (!t) return { error: { code: 'PLAN_TARGET_EMPTY', message: '目标不能为空' } };
  if (/左右$|上下$|大约|约\d/.test(t)) {
    return { error: { code: 'PLAN_TARGET_UNPARSEABLE', message: `目标「${text}」是个约数，年底无法判断是否完成：请写明确的界限，如“不低于90%”` } };
  }
  if (/^\d+(\.\d+)?%?[-~～—至到]\d+(\.\d+)?%?$/.test(t)) {
    return { error: { code: 'PLAN_TARGET_UNPARSEABLE', message: `目标「${text}」是一个范围：请只写要达到的界限，如“不低于${/^(\d+(?:\.\d+)?)/.exec(t)![1]}${t.includes('%') ? '%' : ''}”` } };
  }
  if (/^(为零|为0|杜绝|不发生|零发生|零报告|无发生|0发生|零事故|零差错|实现零)/.test(t) || /(为零|为0|零发生|不发生)$/.test(t)) {
    return { target: { kind: 'threshold', op: '=', value: 0, unit: '', text } };
  }
  if (/^(全覆盖|全部覆盖|全面覆盖|100%覆盖|覆盖率100%)$/.test(t)) return { target: { kind: 'threshold', op: '=', value: 100, unit: '%', text } };
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^(?:比上年|较上年|比去年|较去年|同比)?(?:提高|提升|增加|上升|增长)${NUM}个百分点(?:以上)?$`).exec(t))) {
    return { target: { kind: 'points', points: Number(m[1]), text } };
  }
  if ((m = new RegExp(`^(?:比上年|较上年|比去年|较去年|同比)?(?:降低|下降|减少)${NUM}个百分点(?:以上)?$`).exec(t))) {
    return { target: { kind: 'points', points: -Number(m[1]), text } };
  }
  if ((m = new RegExp(`^(?:比上年|较上年|比去年|较去年|同比)?(?:增加|增长|提高|提升|上升)${NUM}%(?:以上)?$`).exec(t))) {
    return { target: { kind: 'growth', percent: Number(m[1]), text } };
  }
  if ((m = new RegExp(`^(?:比上年|较上年|比去年|较去年|同比)?(?:减少|下降|降低)${NUM}%(?:以上)?$`).exec(t))) {
    return { target: { kind: 'growth', percent: -Number(m[1]), text } };
  }
  if (/^(逐年上升|逐年提高|逐年增加|稳中有升|稳步提高|稳步提升|稳步上升|逐步提高|逐步提升|不断提高|持续提高|持续提升|有所提高|有所提升|有所上升|明显提高|显著提高|进一步提高|提高|提升|上升|增加)$/.test(t)) {
    return { target: { kind: 'trend', direction: 'up', text } };
  }
  if (/^(逐年下降|逐年降低|逐年减少|稳步下降|逐步下降|逐步降低|不断下降|持续下降|持续降低|有所下降|有所降低|明显下降|进一步降低|下降|降低|减少)$/.test(t)) {
    return { target: { kind: 'trend', direction: 'down', text } };
  }
  let rest = t;
  let op: TargetOp | undefined;
  let reach = false;
  for (const [re, o] of PREFIX) {
    const pm = re.exec(rest);
    if (pm) {
      op = o;
      reach = REACH.test(pm[0]);
      rest = rest.slice(pm[0].length);
      break;
    }
  }
  let suffixOp: TargetOp | undefined;
  for (const [re, o] of SUFFIX) {
    const sm = re.exec(rest);
    if (sm) {
      suffixOp = o;
      rest = rest.slice(0, rest.length - sm[0].length);
      break;
    }
  }
  m = new RegExp(`^${NUM}${UNIT}$`).exec(rest);
  if (!m) {
    return { error: { code: 'PLAN_TARGET_UNPARSEABLE', message: `无法理解目标「${text}」` } };
  }
  const value = Number(m[1]);
  let unit = unitOf(m[2]);
  if (unit === '个百分点') return { error: { code: 'PLAN_TARGET_UNPARSEABLE', message: `无法理解目标「${text}」：“个百分点”前请写“提高”或“降低”` } };
  if (unit === '/万') unit = '/万';
  // "控制在…以下" = ≤; "保持在…以上" = ≥; a bare number means "达到" (≥), "低于…" keeps <.
  let finalOp: TargetOp = op ?? suffixOp ?? '>=';
  if (op === '<=' && suffixOp === '>=') return { error: { code: 'PLAN_TARGET_UNPARSEABLE', message: `目标「${text}」的前后说法矛盾` } };
  if (op === '>=' && suffixOp === '<=') finalOp = '<='; // 达到5%以下 → ≤
  if (op === '=' && suffixOp) finalOp = suffixOp; // 为5%以下
  // 100% / 达到100% / 保持100%: exactly 100% (≥100% and 100%以上 keep ≥, which validation warns about).
  if (unit === '%' && value === 100 && !suffixOp && (!op || (op === '>=' && reach))) finalOp = '=';
  return { target: { kind: 'threshold', op: finalOp, value, unit, text } };
}
