import { describe, expect, it } from 'vitest';
import { Mailmap } from './mailmap.js';

describe('Mailmap', () => {
  const m = new Mailmap().add(
    [
      '# comment',
      'Proper Name <commit@example.org>',
      '<proper@example.org> <Other@Example.org>',
      'Both Name <both@example.org> <old@example.org>',
      'Only Him <him@example.org> Old Him <shared@example.org>',
      'Simple Shared <shared@example.org>',
      'not a line',
      '',
    ].join('\n'),
  );

  it('reads the four forms of gitmailmap(5)', () => {
    expect(m.map('x', 'commit@example.org')).toEqual({ name: 'Proper Name', email: 'commit@example.org' });
    expect(m.map('Kept', 'other@example.org')).toEqual({ name: 'Kept', email: 'proper@example.org' });
    expect(m.map('x', 'OLD@example.org')).toEqual({ name: 'Both Name', email: 'both@example.org' });
    expect(m.map('old him', 'Shared@example.org')).toEqual({ name: 'Only Him', email: 'him@example.org' });
    expect(m.map('Someone Else', 'shared@example.org')).toEqual({ name: 'Simple Shared', email: 'shared@example.org' });
    expect(m.map('Stranger', 'stranger@example.org')).toEqual({ name: 'Stranger', email: 'stranger@example.org' });
    expect(m.size).toBe(5);
  });

  it('lets a later file override an earlier one, and its digest changes', () => {
    const before = m.digest();
    const n = new Mailmap().add('Proper Name <commit@example.org>\n').add('Better Name <commit@example.org>\n');
    expect(n.map('x', 'commit@example.org').name).toBe('Better Name');
    expect(n.digest()).not.toBe(new Mailmap().add('Proper Name <commit@example.org>\n').digest());
    expect(m.digest()).toBe(before);
  });
});
