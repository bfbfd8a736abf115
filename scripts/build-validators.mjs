#!/usr/bin/env node
// Build step: compile the plan JSON Schema into standalone validation code (dist/plan/plan-validator.cjs) so validation starts fast.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const standalone = require('ajv/dist/standalone').default;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(readFileSync(path.join(root, 'schemas/plan.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, code: { source: true } });
addFormats(ajv, ['date']);
const validate = ajv.compile(schema);
mkdirSync(path.join(root, 'dist/plan'), { recursive: true });
writeFileSync(path.join(root, 'dist/plan/plan-validator.cjs'), standalone(ajv, validate));
