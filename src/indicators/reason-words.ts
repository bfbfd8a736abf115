// The engine's reasons for a missing value, in the words of a document (no column names, no nested brackets).
import { loadRegisterCatalog } from '../catalog/registers.js';

let populationWords: Map<string, string> | undefined;
/** Population columns as a document names them (catalogue data; the computation's reasons name the database column). */
function documentName(column: string): string | undefined {
  populationWords ??= new Map(
    (loadRegisterCatalog().find((r) => r.id === 'population')?.columns ?? []).flatMap((c) => (c.documentName ? [[c.name, c.documentName] as const] : [])),
  );
  return populationWords.get(column);
}

/**
 * Why a value is missing, as words that fit inside one pair of brackets in a sentence: no database column names,
 * no brackets inside brackets, no trailing "无法计算" (the sentence says that itself).
 * "缺少2025年人口基础数据（resident_population），无法计算" → "缺少2025年人口基础数据中的常住人口数";
 * "分母为0（统计期间内没有应统计的对象）" → "分母为0，统计期间内没有应统计的对象".
 */
export function reasonWords(reason: unknown): string {
  let s = String(reason ?? '').trim();
  s = s.replace(/（([a-z0-9_]+)）/g, (_m, col: string) => (documentName(col) ? `中的${documentName(col)}` : ''));
  s = s.replace(/[a-z]+(?:_[a-z0-9]+)+/g, (col) => documentName(col) ?? '');
  s = s.replace(/[，,]?\s*无法计算[。]?$/, '');
  s = s.replace(/（([^（）]*)）/g, '，$1');
  return s.replace(/[。；;，,\s]+$/, '');
}
