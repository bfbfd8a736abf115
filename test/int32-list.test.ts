import { describe, expect, it } from 'vitest';
import { Int32List } from '../src/int32-list.js';

describe('Int32List', () => {
  it('keeps every value through its growth, drops the last ones when its length is lowered, and gives exactly its values', () => {
    const l = new Int32List(2);
    const want: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = (i * 2654435761) | 0;
      l.push(v);
      want.push(v);
    }
    expect(l.length).toBe(5000);
    expect([...l.values()]).toEqual(want);
    expect([l.at(0), l.at(4999)]).toEqual([want[0], want[4999]]);
    l.length = 10;
    l.push(-1);
    expect([...l.values()]).toEqual([...want.slice(0, 10), -1]);
    // values() is a copy: pushing more does not change it.
    const v = l.values();
    l.push(7);
    expect(v.length).toBe(11);
    expect(new Int32List(0).values().length).toBe(0);
  });
});
