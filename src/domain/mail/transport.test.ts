import { describe, expect, it } from 'vitest';
import { unencodedTransfer } from './transport.js';

describe('unencodedTransfer', () => {
  it('sends ASCII as 7bit and anything else as 8bit, long lines included', () => {
    expect(unencodedTransfer('Hello,\n\nhttps://netconf.example.org/i/abc\n')).toBe('7bit');
    expect(unencodedTransfer(`${'a'.repeat(998)}\n`)).toBe('7bit');
    expect(unencodedTransfer('Hello 山田 花子, “yes”.\n')).toBe('8bit');
    // 332 characters of three octets each and two of ASCII: 998 octets.
    expect(unencodedTransfer(`${'花'.repeat(332)}ab\r\nnext`)).toBe('8bit');
  });

  it('leaves to quoted-printable a line over 998 octets, a NUL or a bare CR', () => {
    expect(unencodedTransfer(`ok\n${'a'.repeat(999)}\nok\n`)).toBeUndefined();
    expect(unencodedTransfer(`${'花'.repeat(332)}abc\n`)).toBeUndefined();
    expect(unencodedTransfer('a\0b\n')).toBeUndefined();
    expect(unencodedTransfer('a\rb\n')).toBeUndefined();
  });
});
