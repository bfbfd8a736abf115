#!/usr/bin/env node
// Build step: compile the JSON Schemas into standalone validation code so validation starts fast —
// the plan schema (dist/plan/plan-validator.cjs) and the catalogue schemas (dist/catalog/validators/<kind>.cjs) —
// and parse the built-in catalogue files once (dist/catalog/parsed.json: each file's text with its value, for the
// files that parse and pass their schema), so that a run reads a built-in file without parsing its YAML again.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const Ajv07 = require('ajv').default;
const addFormats = require('ajv-formats').default;
const standalone = require('ajv/dist/standalone').default;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaOf = (name) => JSON.parse(readFileSync(path.join(root, 'schemas', `${name}.schema.json`), 'utf8'));

function write(schema, file, opts = {}) {
  const Ajv = String(schema.$schema).includes('2020-12') ? Ajv2020 : Ajv07;
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true }, ...opts });
  if (opts.allowUnionTypes) addFormats(ajv, ['date']);
  const validate = ajv.compile(schema);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, standalone(ajv, validate));
}

write(schemaOf('plan'), path.join(root, 'dist/plan/plan-validator.cjs'), { allowUnionTypes: true });
// The catalogue checker (src/catalog/check.ts) compiles with the same options when these are absent.
for (const kind of ['indicator', 'register', 'schedule', 'domains', 'immunization-rules']) write(schemaOf(kind), path.join(root, `dist/catalog/validators/${kind}.cjs`));

// The built-in catalogue files as parsed (src/catalog/check.ts uses a value only for the identical text).
const jsyaml = require('js-yaml');
const catalog = path.join(root, 'catalog');
const yamlIn = (dir) => readdirSync(path.join(catalog, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
const parsed = [];
for (const [kind, files] of [['indicator', yamlIn('indicators')], ['register', yamlIn('registers')], ['schedule', yamlIn('schedules')], ['domains', ['domains.yaml']], ['immunization-rules', ['immunization-rules.yaml']]]) {
  const pre = require(path.join(root, `dist/catalog/validators/${kind}.cjs`));
  const validate = pre.default ?? pre;
  for (const f of files) {
    const text = readFileSync(path.join(catalog, f), 'utf8');
    const value = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
    const json = JSON.stringify(value);
    // Only a value JSON carries unchanged, of a file that passes its schema (any other is read and reported as before).
    if (validate(value) && isDeepStrictEqual(JSON.parse(json), value)) parsed.push([kind, text, json]);
  }
}
writeFileSync(path.join(root, 'dist/catalog/parsed.json'), JSON.stringify(parsed));
