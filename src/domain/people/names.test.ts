import { describe, expect, it } from 'vitest';
import { editDistance, findKnownNameAt, foldDiacritics, nameKey, namesMatch } from './names.js';

describe('nameKey', () => {
  it('lowercases, removes dots and drops middle initials', () => {
    expect(nameKey('David S. Miller')).toBe('david miller');
    expect(nameKey('David Miller')).toBe('david miller');
    expect(nameKey('John W. Linville')).toBe(nameKey('John Linville'));
    expect(nameKey('Eric W. Biederman')).toBe('eric biederman');
  });

  it('keeps a first or last single letter and two-letter first names', () => {
    expect(nameKey('PJ Waskiewicz')).toBe('pj waskiewicz');
    expect(nameKey('J. Kirsher')).toBe('j kirsher');
  });

  it('folds diacritics, including letters without a decomposition', () => {
    expect(nameKey('Toke Høiland-Jørgensen')).toBe('toke hoiland jorgensen');
    expect(foldDiacritics('Æsir Straße Łódź Michal Kubeček')).toBe('AEsir Strasse Lodz Michal Kubecek');
    expect(nameKey('Jesper Dangaard Brouer')).toBe('jesper dangaard brouer');
    expect(nameKey('  Hannes   Frederic Sowa ')).toBe('hannes frederic sowa');
    expect(nameKey('Γιώργος Παπαδόπουλος')).toBe(nameKey('Γιωργος Παπαδοπουλος'));
  });

  it('keeps the marks that are letters of a script: names differing by them are different names', () => {
    // A kana's voicing mark, a Devanagari vowel sign, the Cyrillic й are not accents on a letter.
    expect(nameKey('山田 がく')).toBe('山田 がく');
    expect(namesMatch('山田 がく', '山田 かく')).toBe(false);
    expect(namesMatch('सुनील कुमार', 'सनल कुमार')).toBe(false);
    expect(namesMatch('Иван Йов', 'Иван Иов')).toBe(false);
    expect(namesMatch('सुनील कुमार', 'सुनील कुमार')).toBe(true);
  });
});

describe('namesMatch', () => {
  it('matches on the key', () => {
    expect(namesMatch('David S. Miller', 'David Miller')).toBe(true);
    expect(namesMatch('John W. Linville', 'John Linville')).toBe(true);
  });

  it('matches a first name that is a prefix of the other, same last name', () => {
    expect(namesMatch('Jeff Kirsher', 'Jeffrey T. Kirsher')).toBe(true);
    expect(namesMatch('Jesper Brouer', 'Jesper Dangaard Brouer')).toBe(true);
  });

  it('matches long keys one edit apart (a misspelling)', () => {
    expect(namesMatch('Yoshfuji Hideaki', 'Yoshifuji Hideaki')).toBe(true);
    expect(namesMatch('Stephen Hemminger', 'Stephen Heminger')).toBe(true);
  });

  it('does not match different people', () => {
    expect(namesMatch('Tom Herbert', 'Herbert Xu')).toBe(false);
    expect(namesMatch('Eric Dumazet', 'Eric W. Biederman')).toBe(false);
    expect(namesMatch('John Linville', 'John Fastabend')).toBe(false);
    // Short keys need an exact match: one edit is too much.
    expect(namesMatch('Jon Doe', 'Jan Doe')).toBe(false);
    expect(namesMatch('', '')).toBe(false);
  });
});

describe('editDistance', () => {
  it('counts adjacent transpositions as one edit', () => {
    expect(editDistance('abcd', 'abdc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('findKnownNameAt', () => {
  const known = ['David S. Miller', 'Jamal Hadi Salim', 'John W. Linville', 'Johannes Berg', 'Tom Herbert'];

  it('finds a known name at the start, as written in the text', () => {
    expect(findKnownNameAt('David Miller Introduction', known, 'start')).toEqual({
      name: 'David Miller',
      known: 'David S. Miller',
      start: 0,
      end: 12,
    });
    expect(findKnownNameAt('David S. Miller / Jamal Hadi Salim Welcome', known, 'start')?.name).toBe('David S. Miller');
  });

  it('finds a known name at the end, leaving glued punctuation out', () => {
    const text = 'Wireless John Linville';
    expect(findKnownNameAt(text, known, 'end')).toEqual({ name: 'John Linville', known: 'John W. Linville', start: 9, end: 22 });
    expect(findKnownNameAt('lately. Tom Herbert(', known, 'end')?.name).toBe('Tom Herbert');
  });

  it('takes a one-word known name only when it is the whole text', () => {
    expect(findKnownNameAt('Eric Dumazet Dynamic TCP', ['Eric'], 'start')).toBeNull();
    expect(findKnownNameAt('DaveM', ['DaveM'], 'start')?.name).toBe('DaveM');
  });

  it('finds nothing when no known name is there', () => {
    expect(findKnownNameAt('Netfilter Workshop 2014 Report', known, 'end')).toBeNull();
    expect(findKnownNameAt('Open Discussion TBD', known, 'start')).toBeNull();
    expect(findKnownNameAt('anything', [], 'start')).toBeNull();
  });
});
