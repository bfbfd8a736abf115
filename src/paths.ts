// Where the package's own data lives (catalogues, schemas, templates), from src/ or dist/.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const catalogDir = path.join(packageRoot, 'catalog');
export const schemasDir = path.join(packageRoot, 'schemas');
export const templatesDir = path.join(packageRoot, 'templates');
export const examplesDir = path.join(packageRoot, 'examples');
