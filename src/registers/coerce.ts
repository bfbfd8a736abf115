// Cell → stored value for each catalogue type (docs/data-model.md), with reject codes and warnings.
import type { ColumnDef } from '../catalog/registers.js';
import { parseDateCell, formatDateTime } from './dates.js';
import { parseIdNumber } from './id-number.js';
import { halfWidth, normalizeText, looseKey } from '../normalize.js';
import { echoText } from './echo.js';
import type { Cell } from './source.js';

export type SqlValue = string | number | null;
export const FAIL: unique symbol = Symbol('fail');
export type Coerced = SqlValue | typeof FAIL;

/** Scratch space a coercer writes its failure or warning into (reused for every cell). */
export interface CoerceCtx {
  date1904: boolean;
  code: string;
  message: string;
  warnCode: string;
  warnMessage: string;
  /** Birth date read from an ID number in this row. */
  idBirth: string | undefined;
  /** Dose number written after a vaccine name (乙肝疫苗第1剂). */
  vaccineDose: number | undefined;
  /** Raw vaccine name of this row. */
  vaccineName: string | undefined;
}

export function newCtx(date1904: boolean): CoerceCtx {
  return { date1904, code: '', message: '', warnCode: '', warnMessage: '', idBirth: undefined, vaccineDose: undefined, vaccineName: undefined };
}

export type Coercer = (v: Exclude<Cell, null>, ctx: CoerceCtx) => Coerced;

function fail(ctx: CoerceCtx, code: string, message: string): typeof FAIL {
  ctx.code = code;
  ctx.message = message;
  return FAIL;
}
function warn(ctx: CoerceCtx, code: string, message: string): void {
  ctx.warnCode = code;
  ctx.warnMessage = message;
}

/** How Excel shows a long number it saved as text (4.30102E+16): the digits after the sixth are gone. */
const SCIENTIFIC = /^\s*-?\d(?:\.\d+)?E\+\d+\s*$/i;
/** Words every vaccine name has one of: an unknown value without any is not quoted whole (it may be a name in a shifted column). */
const VACCINE_WORDS = /苗|疫|[A-Za-z]|乙肝|甲肝|戊肝|乙脑|流脑|脊灰|卡介|百白破|白破|麻腮|麻风|麻疹|腮腺炎|风疹|水痘|流感|狂犬|肺炎|轮状|手足口|出血热|钩体|炭疽|带状疱疹|新冠/;

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const NUMBER_RE = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/;
const PLAIN_INT = /^\d{1,15}$/;
const DOSE_RE = /^第(\d{1,15})剂$/;
const UNIT_TAIL = /\s*(人次|人|次|份|个|例|岁|剂|针|年|户|mmhg|mmol\/l|kg|cm|%)$/i;

/** A number written in a cell: 1,234 / 12人 / 第2剂 / 三; undefined when it is not one. */
export function parseNumber(v: Exclude<Cell, null>): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return undefined;
  // The shapes of almost every cell, read as the general path below reads them: 12, 第2剂.
  if (PLAIN_INT.test(v)) return Number(v);
  const dose = DOSE_RE.exec(v);
  if (dose) return Number(dose[1]);
  let s = halfWidth(v).trim();
  if (s === '') return undefined;
  if (!NUMBER_RE.test(s)) {
    s = s.replace(/^第/, '').replace(UNIT_TAIL, '').replace(/\s+/g, '');
    if (s.length === 1 && s in CN_DIGITS) return CN_DIGITS[s];
    if (!NUMBER_RE.test(s) || s === '') return undefined;
  }
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

const TRUE = new Set(['是', '有', '√', '✓', '✔', '1', 'y', 'yes', 'true', '对', '完整', '已', '已辨识', '已直报', '网络直报', '直报']);
const FALSE = new Set(['否', '无', '×', '✗', '✘', 'x', '0', 'n', 'no', 'false', '不完整', '未', '未辨识', '未直报']);
const MALE = new Set(['男', '1', 'm', 'male', '男性']);
const FEMALE = new Set(['女', '2', 'f', 'female', '女性']);
const SEX_UNKNOWN = new Set(['0', '9', '未知', '未说明', '不详', '未说明的性别', '未知的性别']);

/** A cell as text for matching (codes, enum values, vaccine names): full-width letters and digits made half-width. */
function textOf(v: Exclude<Cell, null>): string {
  if (typeof v === 'string') return normalizeText(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

/**
 * A code (档案编号, 卡号 …) as text for matching: like textOf, and without the apostrophe some systems put in front
 * ('430102…) so that Excel keeps the digits as text — it is not part of the code, and kept it would match nothing.
 */
function codeText(v: Exclude<Cell, null>): string {
  const t = textOf(v);
  return t.length > 1 && (t[0] === "'" || t[0] === '‘' || t[0] === '’') ? t.slice(1).trimStart() : t;
}

/** A cell as the text a person sees (names, villages, notes): only the surrounding blanks go, line breaks become spaces. */
function shownText(v: Exclude<Cell, null>): string {
  if (typeof v !== 'string') return textOf(v);
  const t = v.trim();
  return t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0 ? t.replace(/\s*[\r\n]+\s*/g, ' ') : t;
}

/**
 * A year written alone (2015, `2015年`) in a date column: as an Excel serial it would be a day in 1905, a date no
 * register holds, so it is refused instead of being read as one.
 */
function yearOnly(v: string | number): number | undefined {
  let n: number;
  if (typeof v === 'number') n = v;
  else {
    const m = /^\s*(\d{4})\s*年?\s*$/.exec(halfWidth(v));
    if (!m) return undefined;
    n = Number(m[1]);
  }
  return Number.isInteger(n) && n >= 1900 && n <= 2199 ? n : undefined;
}

/** A coercer for one catalogue column. `vaccine` maps a written vaccine name to { code, dose }. */
export function compileCoercer(col: ColumnDef, vaccine: (name: string) => { code?: string; dose?: number }): Coercer {
  switch (col.type) {
    case 'text': {
      const asText = col.code ? codeText : shownText;
      return (v, ctx) => {
        if (typeof v === 'number' && Math.abs(v) >= 1e15) {
          return fail(ctx, 'REG_CODE_PRECISION_LOST', '是一个超过15位的数字，Excel 已丢失末尾数字；请把该列设为文本格式后重新导出');
        }
        if (typeof v === 'string' && v.indexOf('+') > 0 && SCIENTIFIC.test(v)) {
          return fail(ctx, 'REG_CODE_PRECISION_LOST', `是科学计数法（${v.trim()}）：文件在 Excel 中打开并另存时，编号被当成数字，末尾的数字已丢失，无法还原；请使用系统导出的原文件（不要用 Excel 打开后另存），或在 Excel 中先把该列设为“文本”再填入编号`);
        }
        return asText(v);
      };
    }
    case 'integer':
    case 'number':
      return (v, ctx) => {
        const n = parseNumber(v);
        if (n === undefined) return fail(ctx, 'REG_BAD_NUMBER', '不是数字');
        if (col.type === 'integer' && !Number.isInteger(n)) {
          if (Math.abs(n - Math.round(n)) < 1e-9) return Math.round(n);
          return fail(ctx, 'REG_NOT_INTEGER', '应为整数');
        }
        return n;
      };
    case 'date':
      return (v, ctx) => {
        if (typeof v === 'boolean') return fail(ctx, 'REG_BAD_DATE', '不是日期');
        const y = yearOnly(v);
        if (y) return fail(ctx, 'REG_BAD_DATE', `只写了年份（${y}），请写完整的年月日（如 2025-03-05）`);
        const p = parseDateCell(v, ctx.date1904);
        if (!p) return fail(ctx, 'REG_BAD_DATE', '不是可识别的日期（可用 2025-03-05、2025/3/5、2025.03.05、20250305、2025年3月5日 或 Excel 日期）');
        return p.date;
      };
    case 'datetime':
      return (v, ctx) => {
        if (typeof v === 'boolean') return fail(ctx, 'REG_BAD_DATETIME', '不是日期时间');
        const y = yearOnly(v);
        if (y) return fail(ctx, 'REG_BAD_DATETIME', `只写了年份（${y}），请写完整的日期时间（如 2025-03-05 14:20）`);
        const p = parseDateCell(v, ctx.date1904);
        if (!p) return fail(ctx, 'REG_BAD_DATETIME', '不是可识别的日期时间（如 2025-03-05 14:20）');
        return formatDateTime(p);
      };
    case 'boolean':
      return (v, ctx) => {
        if (typeof v === 'boolean') return v ? 1 : 0;
        const s = typeof v === 'number' ? String(v) : halfWidth(v).trim().toLowerCase();
        if (TRUE.has(s)) return 1;
        if (FALSE.has(s)) return 0;
        return fail(ctx, 'REG_BAD_BOOLEAN', '应为 是/否（也可写 有/无、√/×、1/0）');
      };
    case 'sex':
      return (v, ctx) => {
        const s = typeof v === 'number' ? String(v) : halfWidth(String(v)).trim().toLowerCase();
        if (MALE.has(s)) return '男';
        if (FEMALE.has(s)) return '女';
        if (SEX_UNKNOWN.has(s)) {
          warn(ctx, 'REG_SEX_UNKNOWN', '性别未知，按空值保存');
          return null;
        }
        return fail(ctx, 'REG_BAD_SEX', '应为 男/女（也可写 1/2、M/F）');
      };
    case 'id_number':
      return (v, ctx) => {
        if (typeof v === 'boolean') return fail(ctx, 'REG_ID_INVALID', '不是身份证号');
        if (typeof v === 'string' && /^[\dXx]{3,14}[*＊]{3,}[\dXxＸ]{0,6}$/.test(v.replace(/\s/g, ''))) {
          // A de-identified export (430102********1234): the number is not in the file; the rest of the row is.
          warn(ctx, 'REG_ID_MASKED', '已脱敏（含 *），不是完整号码，按空值保存');
          return null;
        }
        const r = parseIdNumber(v);
        if (!r.ok) {
          return r.code === 'REG_ID_PRECISION_LOST'
            ? fail(ctx, r.code, '被 Excel 存成了数字，已丢失末位或变成科学计数法；请把该列设为文本格式后重新导出')
            : fail(ctx, r.code, '不是18位身份证号');
        }
        ctx.idBirth = r.birth;
        if (r.warning === 'REG_ID_CHECKSUM') warn(ctx, r.warning, '校验码不正确，请核对');
        else if (r.warning === 'REG_ID_15_DIGITS') warn(ctx, r.warning, '是15位旧号码，已升为18位');
        else if (r.warning === 'REG_ID_BIRTH_INVALID') warn(ctx, r.warning, '中的出生日期不是有效日期，请核对');
        return r.value;
      };
    case 'vaccine':
      return (v, ctx) => {
        const name = shownText(v);
        ctx.vaccineName = name;
        const r = vaccine(textOf(v));
        ctx.vaccineDose = r.dose;
        if (!r.code) {
          warn(ctx, 'REG_VACCINE_UNKNOWN', `“${echoText(name, VACCINE_WORDS)}”不在免疫程序中，按原名保存`);
          return name;
        }
        return r.code;
      };
    case 'enum': {
      const values = new Map<string, string>();
      for (const x of col.values ?? []) values.set(looseKey(x), x);
      for (const [k, x] of Object.entries(col.valueAliases ?? {})) values.set(looseKey(k), x);
      const list = (col.values ?? []).join('/');
      const memo = new Map<string, string | null>();
      return (v, ctx) => {
        const t = typeof v === 'string' ? v : textOf(v);
        let hit = memo.get(t);
        if (hit === undefined) {
          hit = values.get(looseKey(textOf(v))) ?? null;
          if (memo.size < 10000) memo.set(t, hit);
        }
        if (hit !== null) return hit;
        return fail(ctx, 'REG_BAD_ENUM', `不是允许的取值（${list}）`);
      };
    }
  }
}

/** `135/85`, `135／85`, `135-85` in one cell → [sbp, dbp]. */
export function parseBloodPressure(v: Exclude<Cell, null>): [number, number] | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{2,3})\s*[/／\\\-~～]\s*(\d{2,3})\s*(mmhg)?$/i.exec(halfWidth(v).trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}
