import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { foldedHeaderText } from './header-text.js';

/** The Subject mailparser reads from a message whose Subject field is `folded`. */
async function parsed(folded: string): Promise<string | undefined> {
  return (await simpleParser(Buffer.from(`Subject: ${folded}\r\nMessage-ID: <a@b>\r\n\r\nx\r\n`, 'latin1'))).subject;
}

/** The encoded words of a field, and its text outside them. */
function parts(folded: string): { encoded: string[]; plain: string } {
  const encoded = folded.match(/=\?UTF-8\?Q\?[^?]*\?=/g) ?? [];
  return { encoded, plain: folded.replace(/=\?UTF-8\?Q\?[^?]*\?=/g, ' ') };
}

/** A small deterministic generator (mulberry32), so that a failure can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('foldedHeaderText', () => {
  it('writes a subject of plain ASCII, a straight " included, as it reads', () => {
    for (const s of ['Invitation to Netconf 2026', 'Topic #3 for Netconf 2026 revised: XDP "multi-buffer"', 'a_b (c) <d> [e]: f; g, h? i=j']) {
      expect(foldedHeaderText('Subject', s)).toBe(s);
    }
  });

  it('encodes only the words outside ASCII, a run of them as one, and reads back as written', async () => {
    const cases: [string, string][] = [
      ['Toke Høiland-Jørgensen will not come', 'Toke =?UTF-8?Q?H=C3=B8iland-J=C3=B8rgensen?= will not come'],
      ['Jesús Sánchez left', '=?UTF-8?Q?Jes=C3=BAs_S=C3=A1nchez?= left'],
      ['“XDP” talk', '=?UTF-8?Q?=E2=80=9CXDP=E2=80=9D?= talk'],
      // A word that a decoder would read as an encoded word is encoded itself.
      ['about =?UTF-8?Q?x?= words', 'about =?UTF-8?Q?=3D=3FUTF-8=3FQ=3Fx=3F=3D?= words'],
    ];
    for (const [text, written] of cases) {
      expect(foldedHeaderText('Subject', text)).toBe(written);
      expect(await parsed(written)).toBe(text);
    }
  });

  it('folds at spaces to lines of at most 78 columns, with encoded words of at most 75', async () => {
    const title = 'Your topic for Netconf 2026 (accepted): A very long title about offloading metadata to the NIC driver queues with one naïve word in the middle';
    const cjk = 'Netconf 2026 schedule: 网络协议栈的未来 与 XDP 多缓冲区 的 设计 和 实现 以及 其他 很多 话题';
    for (const text of [title, cjk]) {
      const folded = foldedHeaderText('Subject', text);
      const lines = `Subject: ${folded}`.split('\r\n');
      expect(lines.length, text).toBeGreaterThan(1);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(78);
      for (const line of lines.slice(1)) expect(line, text).toMatch(/^ \S/);
      for (const word of parts(folded).encoded) expect(word.length).toBeLessThanOrEqual(75);
      expect(await parsed(folded)).toBe(text);
    }
    // The ASCII words of the long title stay plain; only "naïve" is encoded.
    expect(parts(foldedHeaderText('Subject', title)).encoded).toEqual(['=?UTF-8?Q?na=C3=AFve?=']);
  });

  it('encodes a word too long for any line, so that no line passes 998 octets', async () => {
    for (const text of ['x'.repeat(998), `Re: ${'y'.repeat(994)}`]) {
      const folded = foldedHeaderText('Subject', text);
      for (const line of `Subject: ${folded}`.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
      expect(await parsed(folded)).toBe(text);
    }
    // A long link stays plain, on a line of its own.
    const link = `https://netconf.example.org/${'a'.repeat(120)}`;
    expect(foldedHeaderText('Subject', `Slides: ${link}`)).toBe(`Slides:\r\n ${link}`);
  });

  it('reads back exactly for any mix of words, spaces and tabs', async () => {
    const words = ['XDP', '"multi-buffer"', 'Høiland-Jørgensen', '网络', '😀x', 'a_b', '=?', '?=', '=', '_', 'naïve,', 'a'.repeat(90), 'é'.repeat(40)];
    const spaces = [' ', ' ', ' ', ' ', '  ', '\t', ' \t ', ' \t'];
    const next = random(2047);
    const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
    for (let n = 0; n < 400; n++) {
      const count = 1 + Math.floor(next() * 14);
      let text = pick(words);
      for (let i = 1; i < count; i++) text += pick(spaces) + pick(words);
      const folded = foldedHeaderText('Subject', text);
      expect(await parsed(folded), JSON.stringify(folded)).toBe(text);
      // What is left outside encoded words is ASCII, and no plain word reads as an encoded one.
      expect(parts(folded).plain).toMatch(/^[\x20-\x7e\t\r\n]*$/);
      expect(parts(folded).plain).not.toContain('=?');
      for (const word of parts(folded).encoded) expect(word.length).toBeLessThanOrEqual(75);
    }
  });
});
