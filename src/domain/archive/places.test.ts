import { describe, expect, it } from 'vitest';
import { looksLikePlace, parsePlace } from './places.js';

describe('parsePlace', () => {
  it.each([
    ['Chicago, IL', { city: 'Chicago', region: 'IL', country: 'US', timeZone: 'America/Chicago' }],
    ['Toronto, Ontario, CA', { city: 'Toronto', region: 'Ontario', country: 'CA', timeZone: 'America/Toronto' }],
    ['Ottawa, Canada', { city: 'Ottawa', region: 'ON', country: 'CA', timeZone: 'America/Toronto' }],
    ['Portland, OR', { city: 'Portland', region: 'OR', country: 'US', timeZone: 'America/Los_Angeles' }],
    ['Boston, MA', { city: 'Boston', region: 'MA', country: 'US', timeZone: 'America/New_York' }],
    ['San Jose, CA', { city: 'San Jose', region: 'CA', country: 'US', timeZone: 'America/Los_Angeles' }],
    ['Vancouver, BC', { city: 'Vancouver', region: 'BC', country: 'CA', timeZone: 'America/Vancouver' }],
    ['Seville, Spain', { city: 'Seville', country: 'ES', timeZone: 'Europe/Madrid' }],
    ['Montreal', { city: 'Montreal', region: 'QC', country: 'CA', timeZone: 'America/Toronto' }],
  ])('%s', (text, expected) => {
    expect(parsePlace(text)).toEqual({ ...expected, known: true });
  });

  it('gives no zone for an unknown place or a country with several', () => {
    expect(parsePlace('Atlantis')).toEqual({ city: 'Atlantis', known: false });
    expect(parsePlace('Springfield, Nowhere')).toEqual({ city: 'Springfield', region: 'Nowhere', known: false });
    expect(parsePlace('Denver, USA')).toEqual({ city: 'Denver', country: 'US', known: true });
  });
});

describe('looksLikePlace', () => {
  it('accepts short known places only', () => {
    expect(looksLikePlace('Portland, OR')).toBe(true);
    expect(looksLikePlace('Sept 18, 2008')).toBe(false);
    expect(looksLikePlace('Linux Kernel Summit')).toBe(false);
  });
});
