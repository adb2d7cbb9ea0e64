import { describe, expect, it } from 'vitest';
import { speakerThenLines, speakersFirst, speakersLast } from './agenda-row.js';
import { slotKind } from './slot-kind.js';
import { NameBook, guessNameAt } from './speaker-names.js';

const guessStart = (text: string) => guessNameAt(text, 'start')?.name ?? null;
const guessEnd = (text: string) => guessNameAt(text, 'end')?.name ?? null;

describe('guessNameAt', () => {
  it('takes up to three name-case words at the start', () => {
    expect(guessStart('Neil Horman User Space DMA (PDF)')).toBe('Neil Horman');
    expect(guessStart('Jesper Dangaard Brouer XDP feature detection')).toBe('Jesper Dangaard Brouer');
    expect(guessStart('Hannes Frederic Sowa batching of network stacks')).toBe('Hannes Frederic Sowa');
    expect(guessStart('Toke Høiland-Jørgensen XDP feature planning')).toBe('Toke Høiland-Jørgensen');
    expect(guessStart('Or Gerlitz potential usage')).toBe('Or Gerlitz');
  });

  it('joins particles and initials in', () => {
    expect(guessStart('Willem de Bruijn Resilient receive path')).toBe('Willem de Bruijn');
    expect(guessStart('Arnaldo Carvalho de Melo')).toBe('Arnaldo Carvalho de Melo');
    expect(guessStart('Eric W. Biederman Namespaces')).toBe('Eric W. Biederman');
  });

  it('leaves a third word that reads like English to the topic', () => {
    expect(guessStart('Eric Dumazet Dynamic TCP pipe size probing')).toBe('Eric Dumazet');
    expect(guessStart('Zorik Machulsky Exposing NIC information')).toBe('Zorik Machulsky');
    expect(guessStart('John Linville Wireless maintainership')).toBe('John Linville');
    expect(guessStart('Florian Westphal Multipath TCP upstreaming')).toBe('Florian Westphal');
  });

  it('finds no name in titles', () => {
    expect(guessStart('Open Discussion TBD')).toBeNull();
    expect(guessStart('Morning Break')).toBeNull();
    expect(guessStart('Delegation, device driver review team, GitHub')).toBeNull();
    expect(guessStart('SKB creation outside drivers')).toBeNull();
    expect(guessStart('What is cooking in DSA')).toBeNull();
  });

  it('takes a name at the end', () => {
    expect(guessEnd('Netfilter Workshop 2014 Report Pablo Neira Ayuso')).toBe('Pablo Neira Ayuso');
    expect(guessEnd('has been doing lately. Tom Herbert')).toBe('Tom Herbert');
    expect(guessEnd('Wireless, Johannes Berg')).toBe('Johannes Berg');
    expect(guessEnd('the bonding VLAN limit.')).toBeNull();
  });
});

describe('splitting rows', () => {
  const book = () => new NameBook(['David S. Miller', 'Jamal Hadi Salim', 'John W. Linville', 'Johannes Berg', 'Tom Herbert']);

  it('speaker first: known names as written, then separators', () => {
    expect(speakersFirst(' David Miller / Jamal Hadi Salim Welcome/Introduction', book())).toEqual({
      speakers: ['David Miller', 'Jamal Hadi Salim'],
      title: 'Welcome/Introduction',
      guessed: [],
    });
    expect(speakersFirst(' Jamal Hadi Salim , Neil Horman User Space DMA', book())).toEqual({
      speakers: ['Jamal Hadi Salim', 'Neil Horman'],
      title: 'User Space DMA',
      guessed: ['Neil Horman'],
    });
  });

  it('speaker first: an empty speaker cell, a break in the name column', () => {
    expect(speakersFirst(' \u00a0 BREAKFAST', book())).toEqual({ speakers: [], title: 'BREAKFAST', guessed: [] });
    expect(speakersFirst(' Morning Break\u00a0', book())).toEqual({ speakers: [], title: 'Morning Break', guessed: [] });
    expect(speakersFirst(' Open Discussion TBD', book())).toEqual({ speakers: [], title: 'Open Discussion TBD', guessed: [] });
  });

  it('speaker last: several names, a quoted talk title, an empty presenter cell', () => {
    expect(speakersLast(' Wireless John Linville, Johannes Berg', book())).toEqual({
      speakers: ['John Linville', 'Johannes Berg'],
      title: 'Wireless',
      guessed: [],
    });
    expect(speakersLast(' work Tom Herbert has been doing lately. Tom Herbert("Encapsulation & Offload Support")', book())).toEqual({
      speakers: ['Tom Herbert'],
      title: 'work Tom Herbert has been doing lately.',
      talkTitle: 'Encapsulation & Offload Support',
      guessed: [],
    });
    expect(speakersLast(' Introduction \u00a0', book())).toEqual({ speakers: [], title: 'Introduction', guessed: [] });
  });

  it('speaker then title lines (2004)', () => {
    expect(speakerThenLines(' Arnaldo Carvalho de Melo', ['"TCPfying the Poor Cousins"'], book())).toEqual({
      speakers: ['Arnaldo Carvalho de Melo'],
      title: 'TCPfying the Poor Cousins',
      talkTitle: 'TCPfying the Poor Cousins',
      guessed: ['Arnaldo Carvalho de Melo'],
    });
    expect(speakerThenLines(' Lunch!', [], book())).toEqual({ speakers: [], title: 'Lunch!', guessed: [] });
  });
});

describe('slotKind', () => {
  it.each([
    ['Morning Break', [], 'break'],
    ['BREAKFAST', [], 'meal'],
    ['Lunch!', [], 'meal'],
    ['Dinner cruise', [], 'social'],
    ['Open Forum/Discussions', [], 'discussion'],
    ['Open Discussions & Closing plus Group Photos', [], 'discussion'],
    ['BoF: XDP', ['A B'], 'discussion'],
    ['Introduction', [], 'talk'],
    ['Catching up with Herbert', ['Jamal Hadi Salim'], 'talk'],
  ] as const)('%s', (title, speakers, kind) => {
    expect(slotKind(title, speakers)).toBe(kind);
  });
});
