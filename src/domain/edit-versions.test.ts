import { describe, expect, it } from 'vitest';
import { changedSince, changesText, editVersion } from './edit-versions.js';

describe('edit versions', () => {
  const loaded = { start: '09:00', end: null, room: 'A', speakerIds: [1, 2] };
  const labels = { start: 'Start', end: 'End', room: 'Room', speakerIds: 'Speakers' };

  it('names each field changed since the form was loaded, in the labels’ order, with what it holds now', () => {
    const now = { start: '09:00', end: '10:00', room: 'A', speakerIds: [2, 1] };
    const changes = changedSince(editVersion(loaded), now, labels, (k) => (k === 'speakerIds' ? now.speakerIds.join(' and ') : String(now[k])));
    expect(changes).toEqual([
      { field: 'end', label: 'End', now: '10:00' },
      { field: 'speakerIds', label: 'Speakers', now: '2 and 1' },
    ]);
    expect(changesText(changes!)).toBe('end now 10:00, speakers now 2 and 1');
  });

  it('gives the same version for the same fields, and another for any change', () => {
    expect(editVersion({ ...loaded })).toBe(editVersion(loaded));
    expect(editVersion({ ...loaded, room: 'B' })).not.toBe(editVersion(loaded));
  });

  it('does not know what changed since a version that holds no fields', () => {
    for (const version of ['not base64 ☃', 'Zm9ybWVy', editVersion({}).slice(1), Buffer.from('[1]').toString('base64url')]) {
      expect(changedSince(version, loaded, labels, () => 'x'), version).toBeNull();
    }
  });
});
