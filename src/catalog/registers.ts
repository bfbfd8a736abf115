// The register catalogue: catalog/registers/<id>.yaml loaded once, looked up by id or Chinese name.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { catalogDir } from '../paths.js';
import { GongweiError } from '../errors.js';
import { looseKey } from '../normalize.js';
import { readBuiltinFile } from './check.js';

export type ColumnType = 'text' | 'integer' | 'number' | 'date' | 'datetime' | 'boolean' | 'sex' | 'id_number' | 'vaccine' | 'enum';

export interface ColumnDef {
  name: string;
  header: string;
  aliases?: string[];
  type: ColumnType;
  required?: boolean;
  values?: string[];
  valueAliases?: Record<string, string>;
  min?: number;
  max?: number;
  hardMin?: number;
  hardMax?: number;
  future?: boolean;
  afterBirth?: boolean;
  fromIdNumber?: boolean;
  personal?: boolean;
  /** A text column holding a code (档案编号, 批号): full-width letters and digits become half-width; other text is kept as written. */
  code?: boolean;
  rawColumn?: string;
  derived?: boolean;
  /** How documents name this figure (人口数据: 常住人口数). */
  documentName?: string;
  /** Listed under this label in the summary's 基本概况 (population figures). */
  summaryLabel?: string;
}

/** A check across the columns of one row (catalogue data, applied by the importer). */
export interface RowCheck {
  /** not-before: columns[0] (a date) is not before columns[1]; greater: columns[0] > columns[1]; together: all filled or none. */
  kind: 'not-before' | 'greater' | 'together';
  columns: string[];
  code: string;
  severity: 'error' | 'warning';
  /** With {column} placeholders for the row's values. */
  message: string;
}

export interface CombinedDef {
  name: string;
  header: string;
  aliases?: string[];
  type: 'blood_pressure';
  into: [string, string];
}

export interface RegisterDef {
  id: string;
  name: string;
  aliases?: string[];
  keywords?: string[];
  description: string;
  source?: string;
  naturalKey: string[];
  columns: ColumnDef[];
  combined?: CombinedDef[];
  /** Indexes for the indicator SQL (column lists, in order), created with the table. */
  indexes?: string[][];
  /** Checks across the columns of a row. */
  checks?: RowCheck[];
  /** What one row is, in data-quality notes (高血压患者). */
  rowNoun?: string;
  /** The YAML file the entry came from. */
  file: string;
}

/** SQLite column type for a catalogue type (docs/data-model.md). */
export function sqlType(t: ColumnType): 'TEXT' | 'INTEGER' | 'REAL' {
  switch (t) {
    case 'integer':
    case 'boolean':
      return 'INTEGER';
    case 'number':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

const cache = new Map<string, RegisterDef[]>();

/** Columns an entry names that it does not have (natural key, indexes, checks, combined, rawColumn). */
function unknownColumns(reg: Omit<RegisterDef, 'file'>): string[] {
  const have = new Set(reg.columns.map((c) => c.name));
  const named = [
    ...reg.naturalKey,
    ...(reg.indexes ?? []).flat(),
    ...(reg.checks ?? []).flatMap((c) => [...c.columns, ...[...c.message.matchAll(/\{([a-z0-9_]+)\}/g)].map((m) => m[1]!)]),
    ...(reg.combined ?? []).flatMap((c) => c.into),
    ...reg.columns.flatMap((c) => (c.rawColumn ? [c.rawColumn] : [])),
  ];
  return [...new Set(named.filter((n) => !have.has(n)))];
}

/** Every register of the catalogue, sorted by the file order (id), each checked against its schema. Throws CATALOG_INVALID on a broken file. */
export function loadRegisterCatalog(dir: string = path.join(catalogDir, 'registers')): RegisterDef[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const all: RegisterDef[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const doc = readBuiltinFile('register', file) as unknown as Omit<RegisterDef, 'file'> & { $schema?: string };
    const unknown = unknownColumns(doc);
    if (doc.id !== f.replace(/\.yaml$/, '') || unknown.length) {
      throw new GongweiError('CATALOG_INVALID', `登记表目录文件有误：${file}（${unknown.length ? `没有这些列：${unknown.join('、')}` : `编号「${doc.id}」与文件名不一致`}）`);
    }
    delete doc.$schema;
    all.push({ ...doc, file });
  }
  cache.set(dir, all);
  return all;
}

/** A register by id, Chinese name or alias (full-width/space/bracket differences ignored). */
export function getRegister(idOrName: string, catalog: RegisterDef[] = loadRegisterCatalog()): RegisterDef | undefined {
  const direct = catalog.find((r) => r.id === idOrName);
  if (direct) return direct;
  const k = looseKey(idOrName);
  return catalog.find((r) => looseKey(r.id) === k || looseKey(r.name) === k || (r.aliases ?? []).some((a) => looseKey(a) === k));
}

/**
 * The registers a user means by `query`: the one it names exactly (id, Chinese name or alias), else every register
 * whose id, name, aliases or keywords contain it (`高血压` → the hypertension roster and its follow-ups).
 */
export function findRegisters(query: string, catalog: RegisterDef[] = loadRegisterCatalog()): RegisterDef[] {
  const exact = getRegister(query, catalog);
  if (exact) return [exact];
  const k = looseKey(query);
  if (!k) return [];
  return catalog.filter((r) => [r.id, r.name, ...(r.aliases ?? []), ...(r.keywords ?? [])].some((w) => looseKey(w).includes(k)));
}
