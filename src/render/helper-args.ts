// What each template helper accepts. A helper given undefined, NaN, an object where text belongs (a user's template
// passing the wrong field) fails with a template error instead of writing `undefined`, `NaN` or `[object Object]`.

/** The kinds of argument the helpers take. */
type Kind =
  | 'number' // a finite number (or numeric text)
  | 'count' // a whole number ≥ 0
  | 'level' // a heading level 1–4
  | 'text' // text or a number
  | 'text?' // text, a number or null (nothing to say)
  | 'value?' // a finite number or null (无数据)
  | 'object?' // an object or null (a target)
  | 'object' // an object (a result)
  | 'any';

const KIND_WORDS: Record<Kind, string> = {
  number: '数字',
  count: '不小于 0 的整数',
  level: '1 到 4 的标题级别',
  text: '文字或数字',
  'text?': '文字、数字或空值',
  'value?': '数字或空值',
  'object?': '目标（对象）或空值',
  object: '对象（如一个指标结果）',
  any: '任意值',
};

/** Each helper's arguments in order; the trailing ones after `required` may be left out. */
export const HELPER_ARGS: Record<string, { args: Kind[]; required?: number }> = {
  inc: { args: ['number'] },
  eq: { args: ['any', 'any'] },
  json: { args: ['any'] },
  chineseNumeral: { args: ['count'] },
  sectionNumber: { args: ['level', 'count'] },
  capitalAmount: { args: ['number'] },
  formatValue: { args: ['value?', 'text?', 'text'], required: 2 },
  targetPhrase: { args: ['object?'] },
  formatDate: { args: ['text'] },
  formatPeriod: { args: ['text'] },
  reasonWords: { args: ['text?'] },
  resultSentence: { args: ['object', 'object?'], required: 1 },
};

const isNumber = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

function fits(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'any':
      return v !== undefined;
    case 'number':
      return isNumber(v);
    case 'count':
      return isNumber(v) && Number.isInteger(Number(v)) && Number(v) >= 0;
    case 'level':
      return isNumber(v) && [1, 2, 3, 4].includes(Number(v));
    case 'text':
      return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
    case 'text?':
      return v === null || fits('text', v);
    case 'value?':
      return v === null || isNumber(v);
    case 'object?':
      return v === null || isPlainObject(v);
    case 'object':
      return isPlainObject(v);
  }
}

/** How a value looks in a message: undefined, NaN, 列表, 对象, or the value itself. */
function shown(v: unknown): string {
  if (v === undefined) return '未定义（字段不存在）';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return '一个列表';
  if (typeof v === 'object' && v !== null) return '一个对象';
  if (typeof v === 'function') return '一个函数';
  const s = String(v);
  return `“${s.length > 20 ? `${s.slice(0, 20)}…` : s}”`;
}

/** Why these arguments do not fit helper `name`, in Chinese, or undefined when they do (or the helper is not listed). */
export function badHelperArgs(name: string, args: unknown[]): string | undefined {
  const sig = HELPER_ARGS[name];
  if (!sig) return undefined;
  const required = sig.required ?? sig.args.length;
  if (args.length < required) return `辅助函数 ${name} 需要 ${required} 个参数，只给了 ${args.length} 个`;
  if (args.length > sig.args.length) return `辅助函数 ${name} 最多接受 ${sig.args.length} 个参数，给了 ${args.length} 个`;
  for (let i = 0; i < args.length; i++) {
    const kind = sig.args[i]!;
    if (!fits(kind, args[i])) return `辅助函数 ${name} 的第 ${i + 1} 个参数应为${KIND_WORDS[kind]}，实际是${shown(args[i])}`;
  }
  return undefined;
}

/** A value a template writes into the document: text, a finite number or nothing; else why not, in Chinese. */
export function badOutput(v: unknown): string | undefined {
  if (v === undefined) return '模板输出的值未定义（字段不存在，或辅助函数没有返回值）';
  if (typeof v === 'number' && !Number.isFinite(v)) return `模板输出了无效的数值（${String(v)}）`;
  if (typeof v === 'object' && v !== null) return `模板直接输出了${Array.isArray(v) ? '一个列表' : '一个对象'}，请输出其中的字段`;
  if (typeof v === 'function') return '模板输出了一个函数';
  return undefined;
}
