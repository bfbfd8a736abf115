// docs/plan-format.md shows each construct of the extended format in a YAML example (not only in prose), and each of
// them is in the JSON Schema with a Chinese title and description (editor completion).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const CONSTRUCTS = ['正文', '标题', '内容', '条目', '小节', '结尾', '表格', '表头', '行', '注', '附件', '抄送', '印发机关', '印发日期', '基线', '说明', '自定义', '关联指标', '考核对象', '分类', '类别', '计算公式', '其他项目', '等级', '结果运用'];

const doc = readFileSync(path.join(root, 'docs/plan-format.md'), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
const schema = JSON.parse(readFileSync(path.join(root, 'schemas/plan.schema.json'), 'utf8'));

/** Every property schema of a key, anywhere in the schema. */
function propertySchemas(key: string): Array<{ title?: string; description?: string }> {
  const out: Array<{ title?: string; description?: string }> = [];
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    const p = (o as { properties?: Record<string, object> }).properties;
    if (p?.[key]) out.push(p[key] as { title?: string; description?: string });
    for (const v of Object.values(o)) walk(v);
  };
  walk(schema);
  return out;
}

describe('the extended format, documented', () => {
  it.each(CONSTRUCTS)('%s has a YAML example in docs/plan-format.md', (key) => {
    expect(yamlBlocks).toMatch(new RegExp(`(^|[\\s{,\\-])${key}\\s*:`, 'm'));
  });

  it.each(CONSTRUCTS)('%s is in the JSON Schema with a Chinese title and description', (key) => {
    const found = propertySchemas(key);
    expect(found.length, key).toBeGreaterThan(0);
    for (const p of found) {
      expect(p.title ?? '', key).toMatch(/[\u4e00-\u9fff]/);
      expect(p.description ?? '', key).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
