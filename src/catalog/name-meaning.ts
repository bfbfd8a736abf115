// What an indicator name means — vaccine, dose, 及时 or not, the thing counted, the people concerned — so that per-dose
// names resolve from the schedule's vaccine names and "是否要写" only offers an indicator of the same meaning.
import type { VaccineNames } from './vaccine-names.js';

export interface NameMeaning {
  /** Vaccine codes the name mentions, sorted. */
  vaccines: string[];
  /** Every vaccine word was one vaccine's own name (乙脑疫苗), none a name several share (流脑疫苗). */
  own: boolean;
  dose?: number;
  /** The dose written out (第2剂, 第一针); 首针 and 3针 say less (首针接种率 is often meant as the 及时 rate). */
  doseExplicit: boolean;
  timely: boolean;
  /** The thing counted, from the end of the name (接种率, 管理率, 死亡率 …), when it is one of the known words. */
  measure?: string;
  /** The people concerned (儿童, 孕产妇, 老年人, 高血压 …). */
  subjects: string[];
  /** What is left once the vaccine, the dose and 及时 are taken out. */
  rest: string;
}

/** The words that end an indicator name and say what it counts; a name ending otherwise (规范率) is not judged by them. */
const MEASURES = [
  '接种率', '脱漏率', '建证率', '建档率', '使用率', '规范管理率', '管理率', '控制率', '稳定率', '访视率', '建册率', '报告率', '及时率',
  '覆盖率', '死亡率', '发病率', '患病率', '出生率', '分娩率', '检出率', '筛查率', '签约率', '满意率', '知晓率', '治愈率', '住院率',
  '转诊率', '达标率', '合格率', '完成率', '体检率', '检查率', '随访率', '次数', '人数', '份数', '场次',
];
/** Said of vaccines, these count the same thing as 接种率. */
const VACCINE_MEASURES: Record<string, string> = { 覆盖率: '接种率', 及时率: '接种率' };
const SUBJECTS: Record<string, string[]> = {
  child: ['儿童', '新生儿', '婴儿', '幼儿', '0-6岁', '7岁以下', '5岁以下', '3岁以下'],
  // Age groups and courses narrow the people counted: 3岁以下儿童系统管理率 is not 0～6岁儿童健康管理率.
  'age-0': ['0岁组', '0岁儿童'],
  'age-1-6': ['1-6岁组', '1-7岁组'],
  'under-3': ['3岁以下', '0-3岁', '0-36个月'],
  'under-5': ['5岁以下', '0-5岁'],
  'under-7': ['7岁以下', '0-6岁'],
  'full-course': ['全程', '五苗', '四苗', '单苗'],
  maternal: ['孕产妇', '孕妇', '产妇', '早孕', '产后', '产前'],
  elderly: ['老年人', '老人', '65岁'],
  hypertension: ['高血压', '血压'],
  diabetes: ['糖尿病', '血糖'],
  mental: ['精神'],
  infectious: ['传染病', '疫情'],
  record: ['档案'],
  tcm: ['中医'],
  education: ['健康教育', '讲座', '咨询', '宣传'],
};
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const HAN = /[\u4e00-\u9fff]/;

/** What the name index reads of a catalogue entry (the indicator catalogue's entries are such). */
export interface NamedEntry {
  id: string;
  name: string;
  aliases: string[];
  vaccine?: string;
  dose?: number;
}

export interface NameIndex<D extends NamedEntry = NamedEntry> {
  meaning(normalized: string): NameMeaning;
  /** A per-dose entry named by a vaccine's own name and an explicit dose (乙脑疫苗第1剂接种率), or a one-dose vaccine (卡介苗接种率). */
  resolve(normalized: string): D | undefined;
  /** Indicators of the same meaning, best first: `best` are equally good alternatives (each dose of 乙脑疫苗). */
  suggestions(normalized: string): { best: D[]; more: D[] };
}

/**
 * The name index of a catalogue: `normalize` is the catalogue's name normalisation, `distance` its edit distance.
 * Built lazily by the caller (only names that do not resolve directly need it).
 */
export function nameIndex<D extends NamedEntry>(all: D[], vaccines: VaccineNames[], normalize: (s: string) => string, distance: (a: string, b: string) => number): NameIndex<D> {
  // Vaccine words, longest first: own names map to one code, shared names to each vaccine that shares them.
  const words = new Map<string, { codes: Set<string>; own: boolean }>();
  const forms = (n: string) => {
    const k = normalize(n);
    const bare = k.replace(/\([^()]*\)/g, '');
    return [k, bare, bare.replace(/疫苗$/, '')].filter((x) => x.length >= 2);
  };
  for (const v of vaccines) {
    for (const n of v.names) for (const f of forms(n)) {
      const w = words.get(f);
      if (!w || !w.own) words.set(f, { codes: new Set([v.code]), own: true });
    }
  }
  for (const v of vaccines) {
    for (const n of v.shared) for (const f of forms(n)) {
      const w = words.get(f) ?? { codes: new Set<string>(), own: false };
      if (!w.own) w.codes.add(v.code);
      words.set(f, w);
    }
  }
  const ordered = [...words.entries()].sort((a, b) => b[0].length - a[0].length);
  const byCode = new Map(vaccines.map((v) => [v.code, v]));
  const byId = new Map(all.map((d) => [d.id, d]));

  const meaning = (norm: string): NameMeaning => {
    const codes = new Set<string>();
    let own = true;
    let rest = '';
    let dose: number | undefined;
    let doseExplicit = false;
    for (let i = 0; i < norm.length; ) {
      const hit = ordered.find(([w]) => norm.startsWith(w, i));
      if (!hit) {
        rest += norm[i];
        i++;
        continue;
      }
      hit[1].codes.forEach((c) => codes.add(c));
      own &&= hit[1].own;
      i += hit[0].length;
      if (norm.startsWith('疫苗', i)) i += 2;
      // HepB3接种率: a dose number right after a vaccine code.
      const digits = /^\d{1,2}(?!\d)/.exec(norm.slice(i));
      if (digits && !HAN.test(hit[0])) {
        dose = Number(digits[0]);
        doseExplicit = true;
        i += digits[0].length;
      }
    }
    const explicit = /第(\d{1,2}|[一二三四五六七八九十])(?:剂次|剂|针|次)/.exec(rest);
    const loose = /(?:^|[^\d第])(\d{1,2})(?:剂次|剂|针)|首针|首剂|首次/.exec(rest);
    if (explicit) {
      dose = /\d/.test(explicit[1]!) ? Number(explicit[1]) : CN_DIGITS[explicit[1]!];
      doseExplicit = true;
      rest = rest.replace(explicit[0], '');
    } else if (loose && codes.size) {
      dose = loose[1] ? Number(loose[1]) : 1;
      rest = rest.replace(loose[0].replace(/^[^\d首]/, ''), '');
    }
    const timely = rest.includes('及时');
    rest = rest.replace('及时', '');
    let measure = MEASURES.find((m) => norm.endsWith(m));
    if (measure && codes.size) measure = VACCINE_MEASURES[measure] ?? measure;
    const subjects = Object.entries(SUBJECTS).filter(([, ws]) => ws.some((w) => norm.includes(w))).map(([s]) => s);
    return { vaccines: [...codes].sort(), own, dose, doseExplicit, timely, measure, subjects, rest };
  };

  const resolve = (norm: string): D | undefined => {
    if (!HAN.test(norm)) return undefined;
    const m = meaning(norm);
    if (m.vaccines.length !== 1 || !m.own || m.rest !== '接种率') return undefined;
    const v = byCode.get(m.vaccines[0]!)!;
    const dose = m.doseExplicit ? m.dose : m.dose === undefined && v.doses.length === 1 ? v.doses[0] : undefined;
    return dose === undefined ? undefined : byId.get(`${m.timely ? 'timely-coverage' : 'coverage'}.${v.code}.${dose}`);
  };

  // The meaning of every Chinese name form of the catalogue, once.
  let candidates: Array<{ def: D; index: number; form: string; m: NameMeaning }> | undefined;
  const candidateForms = () =>
    (candidates ??= all.flatMap((def, index) => [...new Set([def.name, ...def.aliases].map(normalize))].filter((f) => HAN.test(f)).map((form) => {
      const m = meaning(form);
      // Per-dose entries know their vaccine and dose whatever the alias says.
      if (def.vaccine && def.dose) Object.assign(m, { vaccines: [def.vaccine], dose: def.dose, timely: def.id.startsWith('timely-') });
      return { def, index, form, m };
    })));

  const compatible = (q: NameMeaning, c: NameMeaning) =>
    (q.vaccines.length ? c.vaccines.length > 0 && c.vaccines.every((v) => q.vaccines.includes(v)) : !c.vaccines.length) &&
    (q.dose === undefined || c.dose === q.dose) &&
    // Said of a vaccine, the thing counted must be written and the same (乙肝病毒携带率 is not a dose of 乙肝疫苗).
    (q.vaccines.length ? q.measure !== undefined && q.measure === c.measure : !q.measure || !c.measure || q.measure === c.measure) &&
    // Vaccines are for children whatever the name says (新生儿乙肝疫苗接种率); otherwise no one the name leaves out.
    (q.vaccines.length > 0 || q.subjects.every((s) => c.subjects.includes(s)));

  const suggestions = (norm: string) => {
    const scored = new Map<D, { miss: number; s: number; index: number }>();
    const keep = (def: D, index: number, miss: number, s: number) => {
      const prev = scored.get(def);
      if (!prev || miss < prev.miss || (miss === prev.miss && s < prev.s)) scored.set(def, { miss, s, index });
    };
    const score = (k: string) => {
      let s = distance(norm, k) / Math.max(norm.length, k.length);
      if (k.includes(norm) || norm.includes(k)) s = Math.min(s, 0.3);
      return s;
    };
    if (HAN.test(norm)) {
      const q = meaning(norm);
      for (const c of candidateForms()) {
        if (!compatible(q, c.m)) continue;
        // Same vaccine, dose and thing counted is reason enough (each dose equally good, in schedule order); otherwise the
        // spelling must be close.
        const s = q.vaccines.length ? 0 : score(c.form);
        if (s > 0.5) continue;
        keep(c.def, c.index, q.timely === c.m.timely ? 0 : 1, s);
      }
    } else {
      // An id or a code: spelling alone.
      all.forEach((def, index) => {
        for (const k of [def.id, ...def.aliases].map(normalize).filter((f) => !HAN.test(f))) {
          const s = score(k);
          if (s <= 0.5) keep(def, index, 0, s);
        }
      });
    }
    const ranked = [...scored.entries()].sort((a, b) => a[1].miss - b[1].miss || a[1].s - b[1].s || a[1].index - b[1].index);
    const first = ranked[0]?.[1];
    const best = ranked.filter(([, r]) => r.miss === first!.miss && Math.abs(r.s - first!.s) < 1e-9).map(([d]) => d);
    return { best, more: ranked.slice(best.length).map(([d]) => d) };
  };

  return { meaning, resolve, suggestions };
}
