// The register catalogue: schema-valid, id = file name, keys are required columns, tables create.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import Ajv from 'ajv';
import { loadRegisterCatalog, getRegister } from '../../src/catalog/registers.js';
import { normalizeHeader, stripBracketed } from '../../src/normalize.js';
import { openDatabase } from '../../src/db.js';
import { ensureRegisterTables } from '../../src/registers/tables.js';
import { tmp } from './helpers.js';

const dir = path.resolve('catalog/registers');
const schema = JSON.parse(readFileSync('schemas/register.schema.json', 'utf8'));
const validate = new Ajv.default({ allErrors: true }).compile(schema);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

const REQUIRED_IDS = ['population', 'residents', 'children', 'vaccinations', 'child_visits', 'maternal', 'elderly_checkups',
  'hypertension_patients', 'hypertension_followups', 'diabetes_patients', 'diabetes_followups', 'mental_patients',
  'mental_followups', 'infectious_reports', 'health_education'];

describe('register catalogue', () => {
  it('has every register of registers.md', () => {
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual([...REQUIRED_IDS].sort());
  });

  it.each(files)('%s is schema-valid and consistent', (f) => {
    const doc = parse(readFileSync(path.join(dir, f), 'utf8'));
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(doc.id).toBe(f.replace(/\.yaml$/, ''));
    const names = doc.columns.map((c: { name: string }) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const k of doc.naturalKey) {
      const col = doc.columns.find((c: { name: string }) => c.name === k);
      expect(col, `key ${k}`).toBeDefined();
      expect(col.required, `key ${k} must be required`).toBe(true);
    }
    for (const c of doc.columns) {
      if (c.type === 'enum') expect(c.values?.length).toBeGreaterThan(0);
      if (c.valueAliases) for (const v of Object.values(c.valueAliases)) expect(c.values).toContain(v);
      if (c.rawColumn) expect(names).toContain(c.rawColumn);
    }
    for (const cb of doc.combined ?? []) for (const t of cb.into) expect(names).toContain(t);
    for (const ix of doc.indexes ?? []) for (const c of ix) expect(names, `index column ${c}`).toContain(c);
    // Within one register, a header or alias points to one column only.
    const seen = new Map<string, string>();
    for (const c of [...doc.columns, ...(doc.combined ?? [])]) {
      if (c.derived) continue;
      for (const h of [c.header, ...(c.aliases ?? [])]) {
        const k = normalizeHeader(h);
        expect(seen.get(k) ?? c.name, `header ${h}`).toBe(c.name);
        seen.set(k, c.name);
      }
    }
  });

  it('columns follow docs/data-model.md', () => {
    const doc = readFileSync('docs/data-model.md', 'utf8');
    for (const reg of loadRegisterCatalog()) {
      expect(doc).toContain(`\`${reg.id}\``);
      for (const c of reg.columns) expect(doc, `${reg.id}.${c.name}`).toMatch(new RegExp(`\\b${c.name}\\b`));
    }
  });

  it('looks registers up by id, Chinese name and alias', () => {
    expect(getRegister('hypertension_followups')?.id).toBe('hypertension_followups');
    expect(getRegister('高血压患者随访记录')?.id).toBe('hypertension_followups');
    expect(getRegister('高血压 随访记录')?.id).toBe('hypertension_followups');
    expect(getRegister('预防接种卡')?.id).toBe('children');
    expect(getRegister('不存在的表')).toBeUndefined();
  });

  it('normalises headers (full-width, line breaks, units)', () => {
    expect(normalizeHeader('收缩压\n(mmHg)')).toBe('收缩压(mmhg)');
    expect(stripBracketed(normalizeHeader('收缩压\n（mmHg）'))).toBe('收缩压');
    expect(normalizeHeader(' 身份证号码 ')).toBe('身份证号码');
    expect(normalizeHeader('村（居）')).toBe('村(居)');
    expect(normalizeHeader('*姓名')).toBe('姓名');
  });

  it('creates every table with a unique natural key, twice without error', () => {
    const file = path.join(tmp('gw-cat-'), 'a.sqlite');
    const db = openDatabase(file);
    ensureRegisterTables(db);
    ensureRegisterTables(db);
    for (const reg of loadRegisterCatalog()) {
      const cols = (db.prepare(`PRAGMA table_info("${reg.id}")`).all() as { name: string }[]).map((r) => r.name);
      expect(cols).toEqual([...reg.columns.map((c) => c.name), '_import_id', '_row_hash', '_raw_hash']);
      const idx = db.prepare(`PRAGMA index_list("${reg.id}")`).all() as { name: string; unique: number }[];
      expect(idx.some((i) => i.unique === 1)).toBe(true);
    }
    for (const t of ['imports', 'rejected_rows', 'row_warnings']) {
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name=?").get(t)).toEqual({ n: 1 });
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a missing database when it must exist, and a file that is not SQLite', async () => {
    const d = tmp('gw-cat-');
    expect(() => openDatabase(path.join(d, 'none.sqlite'), { mustExist: true })).toThrow(expect.objectContaining({ code: 'DB_NOT_FOUND' }));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(d, 'x.sqlite'), 'this is not a database at all, just text that is long enough '.repeat(20));
    expect(() => openDatabase(path.join(d, 'x.sqlite'))).toThrow(expect.objectContaining({ code: 'DB_INVALID' }));
  });
});
