// The public-health programmes (服务项目) in their official order: how indicator lists sort and the summary groups.
import path from 'node:path';
import { catalogDir } from '../paths.js';
import { readBuiltinFile } from './check.js';

export interface Domain {
  /** As indicator entries write it in `domain`. */
  name: string;
  /** A short English handle for templates (records, immunization …). */
  key: string;
  /** The summary's heading for it. */
  title: string;
  /** Display order of its indicators (ids); others follow. */
  indicators: string[];
}

/** For indicators without a domain. */
export const OTHER_DOMAIN: Domain = { name: '', key: 'other', title: '其他指标', indicators: [] };

let cache: Domain[] | undefined;

/** catalog/domains.yaml, in order. */
export function loadDomains(): Domain[] {
  if (!cache) {
    const raw = readBuiltinFile('domains', path.join(catalogDir, 'domains.yaml')) as { domains: Array<Omit<Domain, 'indicators'> & { indicators?: string[] }> };
    cache = raw.domains.map((d) => ({ ...d, indicators: d.indicators ?? [] }));
  }
  return cache;
}

/** The domain of an indicator's `domain` text: a listed one, one named by the text itself (not listed), or 其他指标. */
export function domainOf(name: string | undefined): Domain {
  if (!name) return OTHER_DOMAIN;
  return loadDomains().find((d) => d.name === name) ?? { name, key: name, title: name, indicators: [] };
}
