// Data-quality notes shown beside indicator results (villages without population data, statuses without end dates).
// What the notes need of each register (its villages, its patients' status counts) is stored beside the registers at
// the end of an import (derived_indicator_facts, one row a register: storeQualityFacts) and read while it is fresh;
// otherwise the registers are scanned, with the same notes.
import type { Database } from '../db.js';
import { loadRegisterCatalog, type RegisterDef } from '../catalog/registers.js';
import { quoteIdent } from '../sql.js';
import { connectionCache, databaseState } from './db-state.js';
import { readStoredFacts, storedFactsFresh, writeStoredFacts } from './stored-facts.js';
import type { DataQualityNote, Period } from './types.js';

const has = (reg: RegisterDef, ...cols: string[]) => cols.every((n) => reg.columns.some((c) => c.name === n));
/** Registers whose rows belong to a village (the population data itself aside). */
const villageRegisters = () => loadRegisterCatalog().filter((r) => r.id !== 'population' && has(r, 'village'));
/** Patient registers: enrolled, ended, with a management status. */
const patientRegisters = () => loadRegisterCatalog().filter((r) => has(r, 'enrolled_date', 'ended_date', 'status'));

function existing(db: Database): Set<string> {
  return new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
}

/**
 * The villages (not empty) of a register table. Along an index that starts with village (residents has one for its
 * indicators) one seek per village finds them; otherwise one scan of the table.
 */
function villagesOf(db: Database, table: string): string[] {
  const indexed = db.prepare("SELECT 1 FROM pragma_index_list(?) AS l, pragma_index_info(l.name) AS i WHERE l.partial = 0 AND i.seqno = 0 AND i.name = 'village'").get(table);
  if (!indexed) return db.prepare(`SELECT DISTINCT village FROM ${quoteIdent(table)} WHERE village IS NOT NULL AND village <> ''`).pluck().all() as string[];
  const next = db.prepare(`SELECT min(village) FROM ${quoteIdent(table)} WHERE village > ?`).pluck();
  const out: string[] = [];
  for (let v = next.get('') as string | null; v !== null; v = next.get(v) as string | null) out.push(v);
  return out;
}

/** What the notes need of one register: its villages (a village register), its patients' counts (a patient register). */
interface RegisterScan {
  villages?: string[];
  /** Not 在管 (or empty) without an end date. */
  noEnd?: number;
  /** An end date before the enrolment date. */
  reversed?: number;
}

/** The stored row of a register's scan (derived_indicator_facts). */
export const qualityKey = (table: string) => `quality\u0000${table}`;

function scan(db: Database, table: string, village: boolean, patient: boolean): RegisterScan {
  const out: RegisterScan = {};
  if (village) out.villages = villagesOf(db, table);
  if (patient) {
    // Both counts in one pass over the table.
    const r = db
      .prepare(`SELECT coalesce(sum(coalesce(status, '') <> '在管' AND ended_date IS NULL), 0) AS n, coalesce(sum(substr(ended_date, 1, 10) < substr(enrolled_date, 1, 10)), 0) AS reversed FROM ${quoteIdent(table)}`)
      .get() as { n: number; reversed: number };
    out.noEnd = r.n;
    out.reversed = r.reversed;
  }
  return out;
}

/** The registers the notes read, with what they need of each. */
function noteRegisters(): { table: string; village: boolean; patient: boolean }[] {
  const village = new Set(villageRegisters().map((r) => r.id));
  const patient = new Set(patientRegisters().map((r) => r.id));
  return [...new Set([...village, ...patient])].map((table) => ({ table, village: village.has(table), patient: patient.has(table) }));
}

/** A register's scan: the stored one when it is fresh, else read now. */
function registerScan(db: Database, table: string, village: boolean, patient: boolean): RegisterScan {
  const stored = readStoredFacts(db, qualityKey(table), [table]);
  if (stored) {
    const s = JSON.parse(stored.texts) as RegisterScan;
    if ((!village || s.villages) && (!patient || s.noEnd !== undefined)) return s;
  }
  return scan(db, table, village, patient);
}

/**
 * Store the scan of every register the notes read that is not fresh (inside the caller's transaction). A register
 * with a village that JSON does not carry as it is (neither text nor a number) is not stored: it is scanned when read.
 */
export function storeQualityFacts(db: Database, tables: Set<string>): void {
  for (const { table, village, patient } of noteRegisters()) {
    if (!tables.has(table) || storedFactsFresh(db, qualityKey(table), [table])) continue;
    const s = scan(db, table, village, patient);
    if (s.villages?.some((v: unknown) => typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v)))) continue;
    writeStoredFacts(db, qualityKey(table), [table], { columns: [], texts: JSON.stringify(s) });
  }
}

const cache = connectionCache<DataQualityNote[]>();

/** Whole-table notes for the year of E; cached per connection and year (monthly runs read them once). */
export function dataQualityNotes(db: Database, ctx: { period: Period; year: number }): DataQualityNote[] {
  return cache(db, String(ctx.year), databaseState(db), () => computeNotes(db, ctx)).map((n) => ({ ...n }));
}

function computeNotes(db: Database, ctx: { period: Period; year: number }): DataQualityNote[] {
  const notes: DataQualityNote[] = [];
  const tables = existing(db);
  // Each register's scan once (a patient register is a village register too).
  const wanted = new Map(noteRegisters().map((r) => [r.table, r]));
  const scans = new Map<string, RegisterScan>();
  const scanOf = (t: string): RegisterScan => {
    let s = scans.get(t);
    if (!s) {
      const r = wanted.get(t)!;
      scans.set(t, (s = registerScan(db, t, r.village, r.patient)));
    }
    return s;
  };
  if (tables.has('population')) {
    const popVillages = new Set((db.prepare('SELECT DISTINCT village FROM population WHERE year = ?').all(ctx.year) as { village: string }[]).map((r) => r.village));
    const missing = new Set<string>();
    for (const { id: t } of villageRegisters()) {
      if (!tables.has(t)) continue;
      for (const v of scanOf(t).villages!) if (!popVillages.has(v)) missing.add(v);
    }
    if (missing.size) {
      notes.push({
        code: 'DQ_VILLAGE_NOT_IN_POPULATION',
        severity: 'warning',
        message: `${missing.size} 个村（居）出现在登记表中，但没有${ctx.year}年人口基础数据：按村计算的人口分母指标对它们没有数值`,
        count: missing.size,
        examples: [...missing].slice(0, 10),
      });
    }
  }
  for (const reg of patientRegisters()) {
    const t = reg.id;
    if (!tables.has(t)) continue;
    const { noEnd: n, reversed } = scanOf(t);
    if (n) {
      notes.push({
        code: 'DQ_STATUS_NO_END_DATE',
        severity: 'warning',
        message: `${reg.rowNoun ?? reg.name}中有 ${n} 人管理状态不是“在管”（含状态为空）但没有终止管理日期，已按统计期之前终止处理（不计入在管）`,
        count: n,
      });
    }
    // Import rejects such rows now; a database filled by an older version may still hold some.
    if (reversed) {
      notes.push({
        code: 'DQ_END_BEFORE_START',
        severity: 'warning',
        message: `${reg.rowNoun ?? reg.name}中有 ${reversed} 人终止管理日期早于纳入管理日期，不可能在管，未计入任何分母；请核对后重新导入`,
        count: reversed,
      });
    }
  }
  return notes;
}
