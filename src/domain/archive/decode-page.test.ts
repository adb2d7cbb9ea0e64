/**
 * A page's bytes read in the encoding the page is in, or refused where it is not UTF-8.
 */
import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors.js';
import { decodePage, declaredCharset, firstInvalidUtf8 } from './decode-page.js';

function failure(bytes: Uint8Array, file = 'page.txt'): ImportError {
  try {
    decodePage(file, bytes);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('decodePage', () => {
  it('reads UTF-8, with or without a byte order mark', () => {
    expect(decodePage('p', Buffer.from('Netconf 2019\nToke Høiland-Jørgensen\n'))).toBe('Netconf 2019\nToke Høiland-Jørgensen\n');
    expect(decodePage('p', Buffer.from('\ufeffNetconf — 2019'))).toBe('Netconf — 2019');
  });

  it('refuses a page that is not UTF-8, naming line, column and byte', () => {
    const e = failure(latin1('Netconf 2019\n\n    Toke Høiland-Jørgensen\n'), 'old.txt');
    expect([e.file, e.line]).toEqual(['old.txt', 3]);
    expect(e.reason).toMatch(/^not valid UTF-8: byte 0xF8 at column 11; convert the page to UTF-8 \(for Latin-1 or Windows-1252: iconv -f windows-1252 -t utf-8 FILE\)/);
    expect(failure(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xe9])).reason).toMatch(/^not valid UTF-8: byte 0xE9 at column 5;/);
  });

  it('refuses a Windows-1252 page converted as Latin-1, whose bullets became control characters', () => {
    // "\x95 Location" in Windows-1252 is "• Location"; read as Latin-1, it is U+0095.
    const e = failure(Buffer.from('Netconf 2011\n\n  \u0095 Location : Toronto\n'), 'w.txt');
    expect([e.line, e.reason]).toEqual([3, 'character U+0095 at column 3 is a control character, not text: the page looks converted from Windows-1252 as if it were Latin-1; convert the original with iconv -f windows-1252 -t utf-8 FILE']);
    // Converted as the error says, the page reads.
    expect(decodePage('w.txt', Buffer.from('  • Location : “Toronto”'))).toBe('  • Location : “Toronto”');
  });

  it('refuses a terminal\'s control characters, naming them, and keeps tabs, line ends and form feeds', () => {
    const e = failure(Buffer.from('Netconf 2102\n\n  09:00 Evil \u001b]0;pwned\u0007 talk\n'), 'evil.txt');
    expect([e.file, e.line, e.reason]).toEqual(['evil.txt', 3, 'character U+001B (ESC) at column 14 is a control character, not text: take it out of the page']);
    expect(failure(Buffer.from('Netconf 2102, Toronto, Ontario\u0008')).reason).toBe('character U+0008 (backspace) at column 31 is a control character, not text: take it out of the page');
    expect(failure(Buffer.from('\ufeffa\u0000b')).reason).toBe('character U+0000 (NUL) at column 2 is a control character, not text: take it out of the page');
    const nul = failure(Buffer.from('Netconf 2102\n\n  09:00 a\u0000b\n'), 'nul.txt');
    expect([nul.file, nul.line, nul.reason]).toEqual(['nul.txt', 3, 'character U+0000 (NUL) at column 10 is a control character, not text: take it out of the page']);
    expect(decodePage('p', Buffer.from('Netconf 2019\r\n\tToronto\f\r\n'))).toBe('Netconf 2019\r\n\tToronto\f\r\n');
  });

  it('reads an HTML page in the charset it declares', () => {
    const page = latin1('<!DOCTYPE html>\n<html><head><meta charset="iso-8859-1"><title>Netconf 2040</title></head>\n<body><p>Toke Høiland, José Pérez: Über-offload</p></body></html>');
    expect(decodePage('p.html', page)).toContain('Toke Høiland, José Pérez: Über-offload');
    const httpEquiv = latin1('<html><head>\n<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-15">\n</head><body>J\u00f8rgensen \u00a4</body></html>');
    expect(decodePage('p.html', httpEquiv)).toContain('Jørgensen €');
    const koi8 = Buffer.concat([Buffer.from('<html><meta charset=koi8-r><body>'), Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), Buffer.from('</body></html>')]);
    expect(decodePage('p.html', koi8)).toContain('Привет');
  });

  it('reads a page declared ISO-8859-1 as Windows-1252, as browsers do: its dashes, quotes and bullets', () => {
    const page = Buffer.concat([
      Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>Dates : June 14'),
      Buffer.from([0x96]),
      Buffer.from('15, 2011</p><p>'),
      Buffer.from([0x93, 0x54, 0x65, 0x61, 0x6d, 0x94, 0x20, 0x95, 0x20, 0x80, 0x20, 0xe9, 0x81]),
      Buffer.from('</p></body></html>'),
    ]);
    const text = decodePage('p.html', page);
    expect(text).toContain('Dates : June 14–15, 2011');
    expect(text).toContain('“Team” • € é\u0081');
    expect(decodePage('p.html', Buffer.concat([Buffer.from('<html><meta charset=windows-1252>'), Buffer.from([0x97])]))).toBe('<html><meta charset=windows-1252>—');
  });

  it('refuses an HTML page whose bytes are not the UTF-8 it declares, or an unknown charset', () => {
    const e = failure(latin1('<html><head><meta charset="utf-8"></head>\n<body>\nJosé</body></html>'), 'p.html');
    expect([e.line, e.reason]).toEqual([3, 'not valid UTF-8 (the page declares charset "utf-8"): byte 0xE9 at column 4']);
    const u = failure(Buffer.from('<html>\n<head><meta charset="klingon-8"></head><body>x</body></html>'), 'p.html');
    expect([u.line, u.reason]).toEqual([2, 'the page declares charset "klingon-8", which is not an encoding this importer knows; convert the page to UTF-8 and declare that']);
  });

  it('reads UTF-16 with its byte order mark', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Netconf 2019 Høiland', 'utf16le')]);
    expect(decodePage('p', le)).toBe('Netconf 2019 Høiland');
  });

  it('leaves binary data to the parser, which says what it is', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(typeof decodePage('x.bin', bytes)).toBe('string');
  });
});

describe('firstInvalidUtf8', () => {
  it('finds the first byte that is not UTF-8', () => {
    expect(firstInvalidUtf8(Buffer.from('plain ascii, ø, €, 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x42, 0xed, 0xa0, 0x80]))).toBe(2); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xe2, 0x82]))).toBe(0); // cut short
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // past U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1); // a lone continuation byte
  });
});

describe('declaredCharset', () => {
  it('is read from the first 1,024 bytes only', () => {
    expect(declaredCharset(Buffer.from('<meta charset=windows-1252>'))).toEqual({ label: 'windows-1252', line: 1 });
    expect(declaredCharset(Buffer.from(`<html>${' '.repeat(1100)}<meta charset=latin1>`))).toBeNull();
  });
});
