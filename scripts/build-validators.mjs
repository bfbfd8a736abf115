#!/usr/bin/env node
// Build step: compile the JSON Schemas into standalone validation code so validation starts fast —
// the plan schema (dist/plan/plan-validator.cjs) and the catalogue schemas (dist/catalog/validators/<kind>.cjs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
