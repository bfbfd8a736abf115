// ajv's errors for anyOf/oneOf schemas, reduced to those of the branch the value came closest to.
import type { ErrorObject } from 'ajv';

/** Keep, for each anyOf/oneOf failure, only the errors of the branch that came closest. */
export function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  let out = [...errors];
  const alts = out.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const alt of alts) {
    if (!out.includes(alt)) continue;
    const prefix = alt.schemaPath + '/';
    const branches = new Map<string, ErrorObject[]>();
    for (const e of out) {
      if (e !== alt && e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(alt.instancePath)) {
        const b = e.schemaPath.slice(prefix.length).split('/')[0]!;
        branches.set(b, [...(branches.get(b) ?? []), e]);
      }
    }
    if (branches.size === 0) {
      // Branches are $refs: ajv reports their errors relative to the referenced definition, so group by position.
      // A type error is noise when some branch accepted that value's type and failed deeper (a non-type error at or below it).
      const under = out.filter((e) => e !== alt && (e.instancePath === alt.instancePath || e.instancePath.startsWith(alt.instancePath + '/')));
      const deep = under.filter((e) => !['type', 'anyOf', 'oneOf'].includes(e.keyword));
      if (deep.length) {
        const noise = new Set(under.filter((e) => e.keyword === 'type' && deep.some((d) => d.instancePath === e.instancePath || d.instancePath.startsWith(e.instancePath + '/'))));
        out = out.filter((e) => e !== alt && !noise.has(e));
        continue;
      }
    }
    const inBranches = new Set([...branches.values()].flat());
    const typeMatched = [...branches.values()].filter((errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === alt.instancePath));
    let keep: ErrorObject[];
    if (typeMatched.length) {
      keep = typeMatched.sort((a, b) => a.length - b.length)[0]!;
    } else {
      const types = [...new Set([...branches.values()].flat().filter((e) => e.keyword === 'type' && e.instancePath === alt.instancePath).flatMap((e) => String(e.params.type).split(',')))];
      keep = [{ ...alt, keyword: 'type', params: { type: types.join(',') }, message: 'type' }];
    }
    out = out.filter((e) => e !== alt && !inBranches.has(e));
    out.push(...keep);
  }
  // Several type errors for one value (one per alternative) → one error listing every accepted type.
  const byPath = new Map<string, ErrorObject>();
  const merged: ErrorObject[] = [];
  for (const e of out) {
    if (e.keyword !== 'type') { merged.push(e); continue; }
    const prev = byPath.get(e.instancePath);
    if (!prev) {
      const copy = { ...e, params: { ...e.params } };
      byPath.set(e.instancePath, copy);
      merged.push(copy);
    } else {
      prev.params = { type: [...new Set(`${String(prev.params.type ?? '')},${String(e.params.type ?? '')}`.split(',').filter(Boolean))].join(',') };
    }
  }
  return merged;
}
