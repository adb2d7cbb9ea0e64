import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseIdent } from './ident.js';
import { parseTrailers, readRecords, SKIPPED_LINE_MAX } from './log-parser.js';

describe('trailers', () => {
  it('credits the kinds it knows, and lists unusable values as skipped, saying why', () => {
    const t = parseTrailers(
      [
        'Signed-off-by: A Person <a@example.org>',
        'reviewed-by: "Quoted, Name" <q@example.org> # v2',
        'Acked-by: bare@example.org',
        'Tested-by: No Address',
        'Reported-by: Broken <broken@example.org',
        'Suggested-by: Some One <someone at example.org>',
        'Acked-by: who@',
        'Reviewed-by:',
        'Fixes: 1234567890ab ("x")',
        'Cc: c@example.org',
        'Co-developed-by: Co Dev <co@example.org>',
        '',
      ].join('\n'),
    );
    expect(t.credits).toEqual([
      ['signedOff', { name: 'A Person', email: 'a@example.org' }],
      ['reviewed', { name: 'Quoted, Name', email: 'q@example.org' }],
      ['acked', { name: '', email: 'bare@example.org' }],
      ['coDeveloped', { name: 'Co Dev', email: 'co@example.org' }],
    ]);
    expect(t.skipped).toEqual([
      { line: 'Tested-by: No Address', why: 'no address' },
      { line: 'Reported-by: Broken <broken@example.org', why: 'no ">" closing the address' },
      { line: 'Suggested-by: Some One <someone at example.org>', why: 'not an address between < and >' },
      { line: 'Acked-by: who@', why: 'not an address' },
      { line: 'Reviewed-by:', why: 'no value' },
    ]);
  });

  it('shows a skipped line with control characters as U+FFFD, cut when very long', () => {
    const t = parseTrailers(`Reviewed-by: Mal \x1b[2J Icious\nTested-by: ${'x'.repeat(500)}\n`);
    expect(t.skipped.map((s) => s.line)).toEqual(['Reviewed-by: Mal \uFFFD[2J Icious', `Tested-by: ${'x'.repeat(SKIPPED_LINE_MAX - 12)}…`]);
    expect(t.skipped[1]!.line).toHaveLength(SKIPPED_LINE_MAX);
  });

  it('takes the address between < and >, and nothing else', () => {
    expect(parseIdent(' Name <n@example.org> [net]')).toEqual({ name: 'Name', email: 'n@example.org' });
    expect(parseIdent('<only@example.org>')).toEqual({ name: '', email: 'only@example.org' });
    expect(parseIdent('bare@example.org')).toEqual({ name: '', email: 'bare@example.org' });
    expect(parseIdent('Name <not an address>')).toBeNull();
  });
});

describe('readRecords', () => {
  it('splits records across chunk boundaries and reads non-UTF-8 fields as Latin-1', async () => {
    const rec = (sha: string, name: Buffer, trailers: string) =>
      Buffer.concat([Buffer.from(`\0${sha}\x1f`), name, Buffer.from(`\x1fa@example.org\x1f1700000000\x1f1700000100\x1f${trailers}\n`)]);
    const all = Buffer.concat([
      rec('a'.repeat(40), Buffer.from('Zoë', 'utf8'), 'Acked-by: B <b@example.org>\n'),
      rec('b'.repeat(40), Buffer.from('Jos\xe9', 'latin1'), ''),
      rec('c'.repeat(40), Buffer.from('Plain', 'utf8'), 'Reviewed-by: nobody\n'),
    ]);
    const chunks = [all.subarray(0, 7), all.subarray(7, 50), all.subarray(50, 51), all.subarray(51)];
    const out = [];
    for await (const b of readRecords(Readable.from(chunks))) out.push(...b);
    expect(out.map((r) => [r.sha[0], r.name, r.time, r.ctime, r.credits.length, r.skipped])).toEqual([
      ['a', 'Zoë', 1700000000, 1700000100, 1, []],
      ['b', 'José', 1700000000, 1700000100, 0, []],
      ['c', 'Plain', 1700000000, 1700000100, 0, [{ line: 'Reviewed-by: nobody', why: 'no address' }]],
    ]);
  });
});
