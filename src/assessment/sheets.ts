// Assessment results as tables (the terminal, xlsx) and JSON: the items of one result, the ranking of several.
import type { Sheet } from '../table.js';
import { itemTargetText, itemValueText, type AssessmentResult, type RankedResult } from './score.js';

/** The items of one result as a sheet (the terminal table, an xlsx worksheet), with a 合计 row. */
export function itemsSheet(r: AssessmentResult, name: string): Sheet {
  return {
    name,
    columns: [
      { key: 'name', header: '考核项目', width: 28 },
      { key: 'weight', header: '分值', width: 8 },
      { key: 'value', header: '完成值', width: 16 },
      { key: 'target', header: '目标', width: 14 },
      { key: 'score', header: '得分', width: 8 },
      { key: 'note', header: '说明', width: 50, wrap: 40 },
    ],
    rows: [
      ...r.items.map((i) => ({ name: i.name, weight: i.weight, value: itemValueText(i), target: itemTargetText(i), score: i.score, note: i.note })),
      { name: '合计', weight: r.weightSum, value: '', target: '', score: r.rawScore, note: '' },
    ],
  };
}

/** The line under a result's table: 总分：86.5（百分制）  等级：合格, with what is still missing. */
export const conclusion = (r: AssessmentResult) => `总分：${r.total}（百分制）  等级：${r.grade}${r.missing.length ? `（待评：${r.missing.join('、')}）` : ''}`;

/** The ranking: place, subject (村卫生室 or 考核对象), total, grade and what is still missing. */
export function rankingSheet(ranked: RankedResult[], subjectHeader = '村卫生室'): Sheet {
  return {
    name: '排名',
    columns: [
      { key: 'rank', header: '排名', width: 6 },
      { key: 'village', header: subjectHeader, width: 14 },
      { key: 'total', header: '得分', width: 8 },
      { key: 'grade', header: '等级', width: 10 },
      { key: 'missing', header: '待评项目', width: 40, wrap: 30 },
    ],
    rows: ranked.map((r) => ({ rank: r.rank ?? '—', village: r.result.subject, total: r.result.total, grade: r.result.grade, missing: r.result.missing.join('、') })),
  };
}

/** The ranking sheet, then one items sheet per subject (xlsx; the terminal prints them one after another). */
export function rankedSheets(ranked: RankedResult[], subjectHeader?: string): Sheet[] {
  return [rankingSheet(ranked, subjectHeader), ...ranked.map((r) => itemsSheet(r.result, r.result.subject ?? ''))];
}

/**
 * Several results as JSON: the period, whom (各村卫生室 or the listed names), the ranking and each result. The village
 * key stays `village` (and `villages` for the results) whoever is assessed, so one reader handles both.
 */
export function rankedJson(ranked: RankedResult[], period: string, subject: string): object {
  return {
    period: ranked[0]?.result.period ?? period,
    subject,
    ranking: ranked.map((r) => ({ rank: r.rank, village: r.result.subject, total: r.result.total, grade: r.result.grade, missing: r.result.missing })),
    villages: ranked.map((r) => r.result),
  };
}
