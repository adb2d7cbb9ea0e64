/**
 * `conclave template list` from a terminal: beside a key added later next to an older one
 * (schedule-removed beside schedule-change), a note while the older key has the committee's own
 * text and the added one is still conclave's, for an edition and site-wide.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './support/cli-in-process.js';
import { freshDataDir } from './support/db.js';

const conclave = runCommand;

describe('conclave template list', () => {
  it('notes schedule-removed still at its default while schedule-change is customised', async () => {
    const env = { CONCLAVE_DATA: freshDataDir('conclave-templates-'), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2027-07-14', '--end', '2027-07-15'], env)).code).toBe(0);
    const note = 'note: schedule-removed uses the default text; schedule-change is customised — check it reads alike\n';
    const before = await conclave(['template', 'list', '2027'], env);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).not.toContain('note:');

    const set = (year: string, key: string) => conclave(['template', 'set', year, key, '--subject', 'Programme of {{edition_title}}'], env);
    // Site-wide: every edition without its own text of either key has the note.
    expect((await set('site', 'schedule-change')).code).toBe(0);
    for (const year of ['site', '2027']) {
      const listed = await conclave(['template', 'list', year], env);
      expect(listed.stdout, year).toMatch(/^KEY +ORIGIN +SAVED \(UTC\) +SUBJECT\n/);
      expect(listed.stdout.endsWith(`\n${note}`), listed.stdout).toBe(true);
      expect(listed.stdout.match(/note:/g)?.length).toBe(1);
      const json = JSON.parse((await conclave(['template', 'list', year, '--json'], env)).stdout) as { key: string; origin: string; note: string | null }[];
      expect(json.filter((t) => t.note !== null).map((t) => [t.key, t.origin, t.note])).toEqual([['schedule-removed', 'default', 'uses the default text; schedule-change is customised — check it reads alike']]);
    }
    // The edition's own schedule-removed: nothing to note for it; site-wide the note stays.
    expect((await set('2027', 'schedule-removed')).code).toBe(0);
    expect((await conclave(['template', 'list', '2027'], env)).stdout).not.toContain('note:');
    expect((await conclave(['template', 'list', 'site'], env)).stdout).toContain(note);

    // What the list notes, said where `conclave template --help` lists the commands.
    const { program } = await import('../src/cli/main.js');
    const template = (await program()).commands.find((c) => c.name() === 'template')!;
    expect(template.helpInformation().replace(/\s+/g, ' ')).toContain('with a note on a key still at its default while the key it was added beside is customised (schedule-removed beside schedule-change, schedule-final beside schedule-published, answer-confirmed beside inbound-rsvp)');
  });

  it('names every fault of `template set` at once: the subject\'s and the body\'s', async () => {
    const dir = freshDataDir('conclave-templates-');
    const env = { CONCLAVE_DATA: dir, BASE_URL: 'https://netconf.example.org' };
    const file = path.join(dir, 'body.txt');
    fs.writeFileSync(file, 'Within {{minutes}} minutes: {{lnk}}\n');
    const both = await conclave(['template', 'set', 'site', 'signin', '--subject', 'Sign {{bogus}}', '--body-file', file], env);
    expect([both.code, both.stderr]).toEqual([
      1,
      'conclave: --subject: unknown placeholder {{bogus}}; known: {{link}}, {{minutes}}, {{site}}\n' +
        'conclave: --body-file: unknown placeholder {{lnk}}; known: {{link}}, {{minutes}}, {{site}}\n',
    ]);
    // Nothing saved.
    expect((JSON.parse((await conclave(['template', 'show', 'site', 'signin', '--json'], env)).stdout) as { origin: string }).origin).toBe('default');
  });

  it('refuses in `template set` a subject with a secret link, naming the placeholder', async () => {
    const env = { CONCLAVE_DATA: freshDataDir('conclave-templates-'), BASE_URL: 'https://netconf.example.org' };
    const signin = await conclave(['template', 'set', 'site', 'signin', '--subject', 'Sign in: {{link}}'], env);
    expect([signin.code, signin.stderr]).toEqual([
      1,
      "conclave: --subject: {{link}} may not be in the subject: it carries a one-time sign-in link, which signs in as its owner, and a subject is shown to the whole committee (/admin/mail, conclave mail list) and kept in mail servers' logs; put it in the body only\n",
    ]);
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2027-07-14', '--end', '2027-07-15'], env)).code).toBe(0);
    const invitation = await conclave(['template', 'set', '2027', 'invitation', '--subject', 'Invitation {{link}}'], env);
    expect(invitation.code).toBe(1);
    expect(invitation.stderr).toMatch(/^conclave: --subject: \{\{link\}\} may not be in the subject: it carries the invitee’s personal link, which answers as them, /);
    for (const [year, key] of [['site', 'signin'], ['2027', 'invitation']]) {
      expect((JSON.parse((await conclave(['template', 'show', year!, key!, '--json'], env)).stdout) as { origin: string }).origin, key).toBe('default');
    }
  });
});
