// Why a plan fails its JSON Schema, found by walking the schema against the value: one problem per mistake, anyOf resolved
// to the branch the author meant (ajv decides valid/invalid; this explains it with the schema node that failed).

type Json = unknown;
export type SchemaNode = Record<string, unknown>;
export type Path = (string | number)[];

export type ProblemKeyword =
  | 'type' | 'required' | 'additionalProperties' | 'enum' | 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum'
  | 'minLength' | 'minItems' | 'format' | 'pattern' | 'propertyNames' | 'uniqueItems';

export interface SchemaProblem {
  keyword: ProblemKeyword;
  /** Instance path of the value (for required/additionalProperties/propertyNames: of the object). */
  path: Path;
  /** The schema node that failed (after $ref), with its title/description/properties. */
  schema: SchemaNode;
  /** type: accepted types; required: missing key; additionalProperties/propertyNames: the key; enum: allowed; limits: limit. */
  types?: string[];
  key?: string;
  allowed?: unknown[];
  limit?: number;
  /** Index of the first duplicate (uniqueItems). */
  index?: number;
}

const typeOf = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);

function accepts(types: string[], v: Json): boolean {
  const t = typeOf(v);
  return types.some((x) => x === t || (x === 'number' && t === 'integer'));
}

/** ISO date with a real day (what ajv-formats' full "date" format accepts). */
function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dim = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= dim[mo - 1]!;
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export class SchemaExplainer {
  constructor(private readonly root: SchemaNode) {}

  /** A $ref'd definition, merged with the annotations (title, description) written beside the $ref. */
  resolve(node: SchemaNode): SchemaNode {
    let n = node;
    for (let guard = 0; typeof n.$ref === 'string' && guard < 32; guard++) {
      const target = this.lookup(n.$ref as string);
      const { $ref: _r, ...rest } = n;
      n = { ...target, ...rest };
    }
    return n;
  }

  private lookup(ref: string): SchemaNode {
    let node: unknown = this.root;
    for (const raw of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
      node = (node as Record<string, unknown> | undefined)?.[decodeURIComponent(raw.replace(/~1/g, '/').replace(/~0/g, '~'))];
    }
    return (node ?? {}) as SchemaNode;
  }

  /** The types a node accepts at its top (through $ref and anyOf), or undefined for "anything". */
  shallowTypes(node: SchemaNode): string[] | undefined {
    const n = this.resolve(node);
    if (Array.isArray(n.anyOf) || Array.isArray(n.oneOf)) {
      const out = new Set<string>();
      for (const b of ((n.anyOf ?? n.oneOf) as SchemaNode[])) {
        const t = this.shallowTypes(b);
        if (!t) return undefined;
        t.forEach((x) => out.add(x));
      }
      return [...out];
    }
    if (typeof n.type === 'string') return [n.type];
    if (Array.isArray(n.type)) return n.type as string[];
    if (Array.isArray(n.enum)) return [...new Set((n.enum as Json[]).map(typeOf))].map((t) => (t === 'integer' ? 'number' : t));
    return undefined;
  }

  /** Every problem of `value` against the schema (empty when it is valid). */
  explain(value: Json): SchemaProblem[] {
    return this.walk(this.root, value, []);
  }

  private walk(node: SchemaNode, v: Json, path: Path): SchemaProblem[] {
    const n = this.resolve(node);
    const alts = (n.anyOf ?? n.oneOf) as SchemaNode[] | undefined;
    if (Array.isArray(alts)) {
      const own = this.walkOwn(n, v, path);
      if (own.some((p) => p.keyword === 'type')) return own;
      const results = alts.map((b) => this.walk(b, v, path));
      if (results.some((r) => r.length === 0)) return own;
      // Branches whose top-level type fits the value; none → one type error naming every accepted type.
      const fitting = results.filter((_, i) => {
        const t = this.shallowTypes(alts[i]!);
        return !t || accepts(t, v);
      });
      if (!fitting.length) return [...own, { keyword: 'type', path, schema: n, types: this.shallowTypes(n) ?? [] }];
      // The branch the author meant: fewest wrong types at this value or its direct items/keys, then the one that got
      // furthest before failing (deepest first problem), then the fewest problems.
      const shallow = (ps: SchemaProblem[]) => ps.filter((p) => p.keyword === 'type' && p.path.length <= path.length + 1).length;
      const depth = (ps: SchemaProblem[]) => Math.min(...ps.map((p) => p.path.length + (p.keyword === 'type' ? 0 : 0.5)));
      const better = (a: SchemaProblem[], b: SchemaProblem[]) =>
        shallow(b) !== shallow(a) ? shallow(b) < shallow(a) : depth(b) !== depth(a) ? depth(b) > depth(a) : b.length < a.length;
      const best = fitting.reduce((a, b) => (better(a, b) ? b : a));
      return [...own, ...best.map((p) => (p.keyword === 'type' && p.path.length === path.length && !p.schema.title ? { ...p, schema: { ...p.schema, title: n.title, description: n.description } } : p))];
    }
    return this.walkOwn(n, v, path);
  }

  /** The keywords of one node other than anyOf/oneOf. */
  private walkOwn(n: SchemaNode, v: Json, path: Path): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    const types = typeof n.type === 'string' ? [n.type] : Array.isArray(n.type) ? (n.type as string[]) : undefined;
    if (types && !accepts(types, v)) return [{ keyword: 'type', path, schema: n, types }];
    if (Array.isArray(n.enum) && !(n.enum as Json[]).some((e) => equal(e, v))) out.push({ keyword: 'enum', path, schema: n, allowed: n.enum as Json[] });
    if (typeof v === 'string') {
      if (typeof n.minLength === 'number' && [...v].length < n.minLength) out.push({ keyword: 'minLength', path, schema: n, limit: n.minLength });
      if (n.format === 'date' && !isDate(v)) out.push({ keyword: 'format', path, schema: n });
      if (typeof n.pattern === 'string' && !new RegExp(n.pattern, 'u').test(v)) out.push({ keyword: 'pattern', path, schema: n });
    }
    if (typeof v === 'number') {
      if (typeof n.minimum === 'number' && v < n.minimum) out.push({ keyword: 'minimum', path, schema: n, limit: n.minimum });
      if (typeof n.maximum === 'number' && v > n.maximum) out.push({ keyword: 'maximum', path, schema: n, limit: n.maximum });
      if (typeof n.exclusiveMinimum === 'number' && v <= n.exclusiveMinimum) out.push({ keyword: 'exclusiveMinimum', path, schema: n, limit: n.exclusiveMinimum });
      if (typeof n.exclusiveMaximum === 'number' && v >= n.exclusiveMaximum) out.push({ keyword: 'exclusiveMaximum', path, schema: n, limit: n.exclusiveMaximum });
    }
    if (Array.isArray(v)) {
      if (typeof n.minItems === 'number' && v.length < n.minItems) out.push({ keyword: 'minItems', path, schema: n, limit: n.minItems });
      if (n.uniqueItems === true) {
        for (let i = 1; i < v.length; i++) {
          if (v.slice(0, i).some((x) => equal(x, v[i]))) {
            out.push({ keyword: 'uniqueItems', path: [...path, i], schema: n, index: i });
          }
        }
      }
      if (n.items && typeof n.items === 'object') v.forEach((x, i) => out.push(...this.walk(n.items as SchemaNode, x, [...path, i])));
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, Json>;
      const props = (n.properties ?? {}) as Record<string, SchemaNode>;
      for (const r of (n.required ?? []) as string[]) if (!(r in o)) out.push({ keyword: 'required', path, schema: n, key: r });
      const pn = n.propertyNames as SchemaNode | undefined;
      for (const [k, x] of Object.entries(o)) {
        if (pn && typeof pn.pattern === 'string' && !new RegExp(pn.pattern, 'u').test(k)) {
          out.push({ keyword: 'propertyNames', path, schema: n, key: k });
          continue;
        }
        if (k in props) out.push(...this.walk(props[k]!, x, [...path, k]));
        else if (n.additionalProperties === false) out.push({ keyword: 'additionalProperties', path, schema: n, key: k });
        else if (n.additionalProperties && typeof n.additionalProperties === 'object') out.push(...this.walk(n.additionalProperties as SchemaNode, x, [...path, k]));
      }
    }
    return out;
  }

  /**
   * The schema nodes that apply at `path` in `value` (anyOf branches that fit the data there), or [] when the path is
   * outside the schema (under an unknown key).
   */
  nodesAt(value: Json, path: Path): SchemaNode[] {
    let nodes: SchemaNode[] = [this.root];
    let v: Json = value;
    for (const part of path) {
      const next: SchemaNode[] = [];
      const child = v && typeof v === 'object' ? (v as Record<string | number, Json>)[part] : undefined;
      for (const node of nodes.flatMap((x) => this.branches(x, v))) {
        if (Array.isArray(v) && node.items && typeof node.items === 'object') next.push(node.items as SchemaNode);
        else if (v && typeof v === 'object' && !Array.isArray(v)) {
          const props = (node.properties ?? {}) as Record<string, SchemaNode>;
          if (typeof part === 'string' && part in props) next.push(props[part]!);
          else if (node.additionalProperties && typeof node.additionalProperties === 'object') next.push(node.additionalProperties as SchemaNode);
        }
      }
      nodes = next;
      v = child;
      if (!nodes.length) return [];
    }
    return nodes.flatMap((x) => this.branches(x, v, true));
  }

  /** A node's alternatives (resolved) that fit the value's type; with `all`, every alternative when none fits. */
  private branches(node: SchemaNode, v: Json, all = false): SchemaNode[] {
    const n = this.resolve(node);
    const alts = (n.anyOf ?? n.oneOf) as SchemaNode[] | undefined;
    if (!Array.isArray(alts)) return [n];
    const flat = alts.flatMap((b) => this.branches(b, v, true));
    const fit = flat.filter((b) => {
      const t = this.shallowTypes(b);
      return !t || accepts(t, v);
    });
    return fit.length || !all ? fit : flat;
  }
}
