// The register catalogue: catalog/registers/<id>.yaml loaded once, looked up by id or Chinese name.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { catalogDir } from '../paths.js';
import { GongweiError } from '../errors.js';
import { looseKey } from '../normalize.js';

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
  rawColumn?: string;
  derived?: boolean;
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

/** Every register of the catalogue, sorted by the file order (id). Throws CATALOG_INVALID on a broken file. */
export function loadRegisterCatalog(dir: string = path.join(catalogDir, 'registers')): RegisterDef[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const all: RegisterDef[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const doc = parse(readFileSync(file, 'utf8')) as Omit<RegisterDef, 'file'> & { $schema?: string };
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.columns) || !Array.isArray(doc.naturalKey)) {
      throw new GongweiError('CATALOG_INVALID', `登记表目录文件格式不正确：${file}`);
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
