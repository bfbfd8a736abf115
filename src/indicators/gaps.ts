// The people behind a rate: denominator members not in the numerator, with the reason in words, sorted for field work.
import type { Database } from '../db.js';
import { GongweiError } from '../errors.js';
import { loadIndicatorCatalog, type IndicatorCatalog } from '../catalog/indicators.js';
import { immunizationGaps } from './immunization/compute.js';
import { parsePeriod } from './period.js';
import { inlineSqlFunctions, registerSqlFunctions } from './sql-functions.js';
import type { Period } from './types.js';

export interface GapRow {
  indicatorId: string;
  village: string | null;
  doctor: string | null;
  personId: string;
  /** Personal data: callers mask it on the terminal. */
  name: string | null;
  /** 随访不足 / 血压未控制 / 血糖未控制 / 病情不稳定 / 未访视 / 未产后访视 / 未早孕建册 / 应种未种 / 未及时接种 / 未建证 / 档案未使用 / 报告不及时 / 未网络直报 */
  reason: string;
  /** The facts behind the reason: "已随访2次，应随访4次，最近随访2025-05-01" … */
  detail: string;
  /** A date to sort by within a doctor's list (due date, last follow-up …). */
  date: string | null;
}

type Raw = Record<string, unknown> & { village: string | null; doctor: string | null; person_id: string; name: string | null };

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** Reason and detail words from the columns a gap query returns. */
function describe(id: string, r: Raw): { reason: string; detail: string; date: string | null } {
  const last = r.last_date ? s(r.last_date) : null;
  if (r.needed !== undefined) {
    return { reason: '随访不足', detail: `统计期间内已随访${s(r.done)}次，应随访${s(r.needed)}次${last ? `，最近一次随访${last}` : '，没有随访记录'}`, date: last };
  }
  if (r.sbp !== undefined || id === 'hypertension-control-rate') {
    if (!last) return { reason: '血压未控制', detail: '统计期间内没有随访（按未控制计）', date: null };
    const bp = r.sbp === null || r.dbp === null ? '血压记录不全' : `血压${s(r.sbp)}/${s(r.dbp)}mmHg`;
    return { reason: '血压未控制', detail: `最近一次随访${last}：${bp}${Number(r.age) >= 65 ? '（65岁及以上，标准<150/90）' : '（标准<140/90）'}`, date: last };
  }
  if (r.fbg !== undefined) {
    return { reason: '血糖未控制', detail: last ? `最近一次随访${last}：空腹血糖${r.fbg === null ? '未记录' : `${s(r.fbg)}mmol/L`}（标准<7.0）` : '统计期间内没有随访（按未控制计）', date: last };
  }
  if (r.condition !== undefined) {
    return { reason: '病情不稳定', detail: last ? `最近一次随访${last}：病情${s(r.condition) || '未记录'}` : '统计期间内没有随访', date: last };
  }
  if (id === 'newborn-visit-rate') {
    return { reason: '未访视', detail: `出生${s(r.birth_date)}，28天内没有访视${last ? `（首次随访${last}）` : ''}`, date: s(r.birth_date) };
  }
  if (id === 'postpartum-visit-rate') {
    return { reason: '未产后访视', detail: `分娩${s(r.delivery_date)}${r.discharge_date ? `，出院${s(r.discharge_date)}` : ''}，${last ? `产后访视${last}已超过28天` : '没有产后访视记录'}`, date: s(r.delivery_date) };
  }
  if (id === 'early-booking-rate') {
    return { reason: '未早孕建册', detail: r.booking_date && r.lmp ? `末次月经${s(r.lmp)}，建册${s(r.booking_date)}（第${s(r.days)}天）` : '缺少建册日期或末次月经', date: s(r.booking_date) || null };
  }
  if (id === 'health-record-usage-rate') {
    return { reason: '档案未使用', detail: r.last_service_date ? `统计期间内没有服务记录，最近服务${s(r.last_service_date)}` : '没有服务记录（最近服务日期为空）', date: s(r.last_service_date) || null };
  }
  if (id === 'infectious-report-timeliness-rate' || id === 'infectious-report-rate') {
    const card = `${s(r.disease)}${r.category ? `（${s(r.category)}）` : ''}，诊断${s(r.diagnosed_at)}`;
    if (id === 'infectious-report-rate') return { reason: '未网络直报', detail: `${card}，是否网络直报：${r.reported_online === 0 ? '否' : '未填写'}`, date: s(r.diagnosed_at) };
    const when = r.reported_at ? `报告${s(r.reported_at)}，相隔${s(r.hours)}小时` : '没有报告时间';
    return { reason: '报告不及时', detail: `${card}，${when}（时限${s(r.limit_hours)}小时）`, date: s(r.diagnosed_at) };
  }
  return { reason: '未进入分子', detail: '', date: last };
}

/** Gap rows of one indicator for a period. Indicators without person-level gaps are a GongweiError. */
export function computeGaps(db: Database, idOrName: string, opts: { period: string | Period; schedule?: string; catalog?: IndicatorCatalog }): GapRow[] {
  const period = typeof opts.period === 'string' ? parsePeriod(opts.period) : opts.period;
  const catalog = opts.catalog ?? loadIndicatorCatalog({ schedule: opts.schedule });
  const def = catalog.resolve(idOrName);
  if (!def) {
    const sug = catalog.suggest(idOrName).map((d) => `${d.name}（${d.id}）`);
    throw new GongweiError('INDICATOR_UNKNOWN', `未知指标：「${idOrName}」`, { hint: sug.length ? `是否要找：${sug.join('、')}？` : undefined });
  }
  let rows: GapRow[];
  if (def.compute.kind === 'immunization') {
    rows = immunizationGaps(db, def.id, { period, schedule: opts.schedule }).map((g) => ({
      indicatorId: def.id,
      village: g.village,
      doctor: g.doctor,
      personId: g.childId,
      name: g.name,
      reason: g.reason,
      detail: g.detail,
      date: g.dueDate ?? g.birthDate,
    }));
  } else {
    const sql = def.compute.gaps;
    if (!sql) {
      const why = def.kind === 'count' ? '它是计数指标' : def.compute.denominatorPopulation ? '它的分母来自人口基础数据，不是一个个具体的人' : '指标定义中没有人员清单查询（gaps）';
      throw new GongweiError('INDICATOR_NO_GAPS', `「${def.name}」没有人员清单：${why}`, {
        hint: '人员清单适用于分母是具体人员的指标，如 高血压患者规范管理率、乙肝疫苗第3剂接种率、新生儿访视率。',
      });
    }
    registerSqlFunctions(db);
    const raw = db.prepare(inlineSqlFunctions(sql)).all({ start: period.start, end: period.end }) as Raw[];
    rows = raw.map((r) => ({ indicatorId: def.id, village: r.village, doctor: r.doctor, personId: s(r.person_id), name: r.name, ...describe(def.id, r) }));
  }
  const cmp = (a: string | null, b: string | null) => (a ?? '\uffff').localeCompare(b ?? '\uffff', 'zh-CN');
  return rows.sort((a, b) => cmp(a.village, b.village) || cmp(a.doctor, b.doctor) || cmp(a.date, b.date) || a.personId.localeCompare(b.personId));
}
