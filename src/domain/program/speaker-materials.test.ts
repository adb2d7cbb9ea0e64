/**
 * The target a speaker's forms offer first: a talk surely their own, or none when two are
 * equally so, or none surely is.
 */
import { describe, expect, it } from 'vitest';
import { preferredTarget } from './speaker-materials.js';

const slot = (id: number) => ({ value: `slot:${id}`, slotId: id, topicId: null, text: `slot ${id}` });
const topic = (id: number) => ({ value: `topic:${id}`, slotId: null, topicId: id, text: `topic ${id}` });

describe('preferredTarget', () => {
  // Slot 1 is the welcome (many speakers), 2 the slot of topic 7, 3 a talk given alone, 4 shared.
  const slots = new Map([
    [1, { topicId: null, speakers: 12 }],
    [2, { topicId: 7, speakers: 2 }],
    [3, { topicId: null, speakers: 1 }],
    [4, { topicId: null, speakers: 2 }],
  ]);

  it('offers the slot or topic of a topic the speaker presents, before a talk they give alone', () => {
    expect(preferredTarget([slot(1), slot(2), slot(3)], new Set([7]), slots)).toBe('slot:2');
    expect(preferredTarget([slot(1), slot(3), topic(8)], new Set([8]), slots)).toBe('topic:8');
  });

  it('offers a talk given alone over slots shared with others', () => {
    expect(preferredTarget([slot(1), slot(3), slot(4)], new Set(), slots)).toBe('slot:3');
  });

  it('leaves the choice to the speaker when two are equally theirs, or none surely is', () => {
    expect(preferredTarget([slot(2), topic(8)], new Set([7, 8]), slots)).toBeNull();
    expect(preferredTarget([slot(1), slot(4)], new Set(), slots)).toBeNull();
  });

  it('offers the only target there is', () => {
    expect(preferredTarget([slot(1)], new Set(), slots)).toBe('slot:1');
  });
});
