import { describe, expect, it } from 'vitest';
import { splitSponsorNames } from './parse-sponsors.js';

describe('splitSponsorNames', () => {
  it('splits a comma list, as 2004 writes it', () => {
    expect(splitSponsorNames('Intel, OSDL, RedHat,Inc.')).toEqual(['Intel', 'OSDL', 'RedHat,Inc.']);
  });

  it('keeps a company suffix after a comma with its company, not as a sponsor of its own', () => {
    expect(splitSponsorNames('Intel, Red Hat, Inc., Google')).toEqual(['Intel', 'Red Hat, Inc.', 'Google']);
    expect(splitSponsorNames('Mellanox Technologies, Ltd, Cumulus Networks, Inc')).toEqual(['Mellanox Technologies, Ltd', 'Cumulus Networks, Inc']);
    expect(splitSponsorNames('Netronome, GmbH, Cisco, a Cisco Project')).toEqual(['Netronome, GmbH', 'Cisco, a Cisco Project']);
  });
});
