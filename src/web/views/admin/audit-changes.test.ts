import { describe, expect, it } from 'vitest';
import { auditChanges, changeLine, changeValue } from './audit-changes.js';

describe('an audit entry’s changes', () => {
  it('lists the fields whose values differ, in the record’s order, as "field: before → after"', () => {
    const before = { title: 'Netconf', city: 'Lisbon', tags: ['a'], cap: 40, note: '' };
    const after = { title: 'Netconf 2027', city: 'Lisbon', tags: ['a', 'b'], cap: 40, note: null, added: true };
    const changes = auditChanges(before, after);
    expect(changes.map((c) => changeLine(c, 'changed'))).toEqual([
      'title: "Netconf" → "Netconf 2027"',
      'tags: ["a"] → ["a","b"]',
      'note: "" → null',
      'added: not recorded → true',
    ]);
  });

  it('says a field one side does not hold is not recorded there, not that it was emptied', () => {
    const changes = auditChanges({ title: 'Netconf', published: false }, { title: 'Netconf' });
    expect(changes.map((c) => changeLine(c, 'changed'))).toEqual(['published: false → not recorded']);
  });

  it('lists every field of a record made or removed, and nothing for no change', () => {
    expect(auditChanges(null, { name: 'Acme', kind: 'company' }).map((c) => changeLine(c, 'made'))).toEqual(['name: "Acme"', 'kind: "company"']);
    expect(auditChanges({ name: 'Acme' }, null).map((c) => changeLine(c, 'removed'))).toEqual(['name: "Acme"']);
    expect(auditChanges({ a: 1 }, { a: 1 })).toEqual([]);
    expect(auditChanges({ b: 2 }, { b: 3 })).toEqual([{ field: 'b', before: 2, after: 3 }]);
  });

  it('gives a value that is no record of fields as one line', () => {
    expect(auditChanges(['x'], ['x', 'y']).map((c) => changeLine(c, 'changed'))).toEqual(['["x"] → ["x","y"]']);
    expect(auditChanges(3, 3)).toEqual([]);
  });

  it('cuts a long value at 60 characters', () => {
    const v = changeValue('x'.repeat(100));
    expect(v).toHaveLength(60);
    expect(v.endsWith('…')).toBe(true);
    expect(changeValue({ a: 1 })).toBe('{"a":1}');
  });
});
