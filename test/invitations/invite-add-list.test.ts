/**
 * `conclave invite add YEAR --file FILE`: a list of candidates, one "Name <address>" a line, from
 * a file or standard input; blank lines and comments skipped; a bad line refuses the list, naming
 * its number, with nobody added; else each is added as `invite add` adds one, said one a line
 * and counted (--json: an array).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, withStandardInput } from '../support/cli-in-process.js';
import { freshDataDir } from '../support/db.js';

describe('conclave invite add --file', () => {
  const dataDir = freshDataDir('conclave-invite-list-');
  const env = { CONCLAVE_DATA: dataDir };
  const conclave = (...args: string[]) => runInProcess(args, env);
  const listFile = (name: string, text: string) => {
    const p = path.join(dataDir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const candidates = async () => ((JSON.parse((await conclave('invite', 'list', '2027', '--json')).out.join('\n')) as { rows: { name: string; email: string; state: string }[] }).rows ?? []).map((r) => `${r.name} <${r.email}>`);

  beforeAll(async () => {
    expect((await conclave('edition', 'create', '2027', '--series', 'Netconf')).code).toBe(0);
    expect((await conclave('invite', 'add', '2027', 'carol@example.org', '--name', 'Carol Stack')).code).toBe(0);
  });

  it('refuses a list with a bad line, naming each by number, and adds nobody', async () => {
    const shape = listFile('shape.txt', '# netdev people\nAlice Anders <alice@example.org>\n\nbob@example.org\n');
    const r = await conclave('invite', 'add', '2027', '--file', shape);
    expect([r.code, r.err.join('\n').split('\n')]).toEqual([1, [`conclave: ${shape}:4: "bob@example.org" is not "Name <address>" (one person a line; blank lines and "#" comments are skipped)`, `conclave: ${shape}: 1 line refused; nobody of the list was added`]]);
    const known = listFile('known.txt', 'Alice Anders <alice@example.org>\nCarol S. <CAROL@example.org>\nDan <not-an-address>\n');
    const k = await conclave('invite', 'add', '2027', '--file', known);
    expect(k.code).toBe(1);
    expect(k.err.join('\n').split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^conclave: ${known}:2: .*Carol Stack <carol@example.org> .*already`)),
      expect.stringMatching(new RegExp(`^conclave: ${known}:3: email: "not-an-address" is not an address`)),
      `conclave: ${known}: 2 lines refused; nobody of the list was added`,
    ]);
    expect(await candidates()).toEqual(['Carol Stack <carol@example.org>']);
  });

  it('adds everybody of a list from standard input, one line each and the total; --json an array', async () => {
    const r = await withStandardInput('# from MAINTAINERS\n"Anders, Alice" <alice@example.org>\n\n  Bob Builder <bob@example.org>  \n', () => conclave('invite', 'add', '2027', '--file', '-', '--note', 'netdev'));
    expect([r.code, r.err]).toEqual([0, []]);
    expect(r.out).toEqual([expect.stringMatching(/^added Anders, Alice <alice@example\.org> as a candidate \(#\d+\)$/), expect.stringMatching(/^added Bob Builder <bob@example\.org> as a candidate \(#\d+\)$/), '2 candidates added to Netconf 2027']);
    const j = await conclave('invite', 'add', '2027', '--file', listFile('one.txt', 'Dora Explorer <dora@example.org>\n'), '--json');
    expect(j.code, j.err.join('\n')).toBe(0);
    expect(JSON.parse(j.out.join('\n'))).toEqual([expect.objectContaining({ name: 'Dora Explorer', email: 'dora@example.org', source: 'cli' })]);
    expect(await candidates()).toEqual(['Carol Stack <carol@example.org>', 'Anders, Alice <alice@example.org>', 'Bob Builder <bob@example.org>', 'Dora Explorer <dora@example.org>']);
  });

  it('refuses EMAIL or --name with --file, and neither, as bad usage', async () => {
    expect(await conclave('invite', 'add', '2027', 'x@example.org', '--file', '-')).toMatchObject({ code: 2, err: ['conclave: --file: give EMAIL and --name for one person, or --file for a list, not both'] });
    expect((await conclave('invite', 'add', '2027', '--file', '-', '--new-person')).code).toBe(2);
    expect(await conclave('invite', 'add', '2027')).toMatchObject({ code: 2, err: ['conclave: email: give the address of the candidate (conclave invite add YEAR EMAIL --name NAME), or --file for a list'] });
    expect(await conclave('invite', 'add', '2027', 'x@example.org')).toMatchObject({ code: 2, err: ['conclave: --name: give the name of the candidate (conclave invite add YEAR EMAIL --name NAME)'] });
  });

  it('lists the pipeline without asking whether each has a public page, which the terminal links nobody to', async () => {
    const r = await conclave('invite', 'list', '2027', '--json');
    const rows = (JSON.parse(r.out.join('\n')) as { rows: Record<string, unknown>[] }).rows;
    expect(rows.map((row) => [row.name, 'hasPage' in row])).toContainEqual(['Carol Stack', false]);
  });
});
