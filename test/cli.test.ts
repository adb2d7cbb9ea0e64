/**
 * The `conclave` executable as a person runs it: help on every command, import into a fresh
 * data directory, the bundled archive served by `serve --bootstrap`, and the lock that refuses a
 * second process on the same directory (naming the directory and the holder) without losing data.
 * The commands' other behaviour runs on PostgreSQL when the run has a server (commandData).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, conclaveBin, projectRoot, runConclave } from './support/cli.js';
import { openDb } from '../src/db/connect.js';
import { acceptInvitation } from '../src/domain/invitations/rsvp.js';
import { commandData, freshDataDir } from './support/db.js';
import { startSink } from './mail/smtp-sink.js';
import { runCommand } from './support/cli-in-process.js';

const root = projectRoot;
const bin = conclaveBin;
const seeds = path.join(root, 'archive/netconf');

const conclave = (args: string[], env: Record<string, string> = {}) => runConclave(args, env);

/**
 * A command of a test about what commands do and say (on commandData's database): run in this
 * process, as the executable would run it, without a Node process and the bundle's loading each
 * time (~80 commands in the invitation cycle alone). The executable itself is tested above and
 * below: help, usage errors, the embedded database, the lock, `serve`, a reader gone away.
 */
const command = (args: string[], env: Record<string, string>) => runCommand(args, env);

function tmpData(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-cli-'));
}

/** A data directory with its database made already, for tests that are not about making one. */
const madeData = () => freshDataDir('conclave-cli-');

// The tests about what commands do and say, not about the embedded database, run on commandData
// (test/support/db.ts): PostgreSQL when the run has it, ~120 commands. The embedded database stays
// tested here by the tests about it: a new data directory that `db migrate` makes (what import
// then says runs in process on it), the lock, `serve --bootstrap`, and an exit code kept while it
// closes (a page it cannot read).

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts `conclave serve` and resolves with the address it prints. */
function serve(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    cwd: root,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', ...env }),
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ?? /open (https?:\/\/\S+?)\/?\n/.exec(out);
      if (m && /conclave: open/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!.replace(/\/$/, ''), output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

describe('conclave CLI', () => {
  it('has --help on every command', async () => {
    // The executable answers --help; every command below it is walked in-process, so that a new
    // command cannot come without its help.
    const top = conclave(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: conclave/m);
    expect((await command(['schedule', 'move', '--help'], {})).stdout).toMatch(/^Usage: conclave schedule move/m);
    // The log names a member by their address (no "web:" prefix), a command as cli:USER.
    expect((await command(['audit', '--help'], {})).stdout.replace(/\s+/g, ' ')).toContain('whose: part of a member\'s address ("alice@"), "cli:" for commands, "invitee:" for invitees');
    const { program } = await import('../src/cli/main.js');
    const seen: string[] = [];
    const walk = (cmd: import('commander').Command, path: string[]) => {
      for (const sub of cmd.commands) {
        const name = [...path, sub.name()];
        seen.push(name.join(' '));
        expect(sub.description(), name.join(' ')).not.toBe('');
        expect(sub.description(), name.join(' ')).not.toMatch(/not ready/);
        expect(sub.helpInformation(), name.join(' ')).toMatch(new RegExp(`^Usage: conclave ${name.join(' ')}`, 'm'));
        walk(sub, name);
      }
    };
    walk(await program(), []);
    for (const c of ['serve', 'import', 'db migrate', 'edition create', 'invite send', 'mail send', 'template set', 'topics accept', 'schedule publish', 'materials add', 'candidates', 'search']) {
      expect(seen).toContain(c);
    }
  });

  it('refuses an unknown command with usage and exit code 2', () => {
    const r = conclave(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^conclave: unknown command 'frobnicate'.* \(conclave --help for usage\)\n$/);
  });

  it("names the command in commander's own usage errors, as in every other error", () => {
    const option = conclave(['edition', 'create', '2101', '--frob']);
    expect([option.code, option.stderr]).toEqual([2, "conclave: edition create: unknown option '--frob' (conclave edition create --help for usage)\n"]);
    const missing = conclave(['edition', 'create']);
    expect([missing.code, missing.stderr]).toEqual([2, "conclave: edition create: missing required argument 'year' (conclave edition create --help for usage)\n"]);
    const option2 = conclave(['topics', 'decline', '2101', '3']);
    expect([option2.code, option2.stderr]).toEqual([2, "conclave: topics decline: required option '--comment <text>' not specified (conclave topics decline --help for usage)\n"]);
  });

  it('migrates and imports into a fresh data directory, then re-imports in place', async () => {
    // The executable makes the data directory; what import then says is the command's, in process.
    const dir = tmpData();
    expect(conclave(['db', 'migrate'], { CONCLAVE_DATA: dir }).stdout).toMatch(/applied 001-archive/);
    const files = fs.readdirSync(seeds).map((f) => path.join(seeds, f));
    const first = await command(['import', ...files], { CONCLAVE_DATA: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.match(/: created /g)).toHaveLength(5);
    const again = await command(['import', '--json', ...files], { CONCLAVE_DATA: dir });
    expect(again.code).toBe(0);
    const parsed = JSON.parse(again.stdout) as { year: number; created: boolean }[];
    expect(parsed.map((p) => [p.year, p.created])).toEqual([
      [2004, false],
      [2011, false],
      [2014, false],
      [2015, false],
      [2019, false],
    ]);
    // A logo the imported page showed, which has no stored file, is said as such.
    expect((await command(['edition', 'parts', '2015'], { CONCLAVE_DATA: dir })).stdout).toMatch(/Mojatatu Networks +listed, not in the archive\n/);
  });

  it('imports a page into the series its title names, or the one --series names, and says which', async () => {
    const env = await commandData();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-cli-series-'));
    const page = (title: string) =>
      [
        `<html><body><h1>${title}</h1>`,
        '<ul><li>Location : Prague, Czechia</li><li>Date : June 20, 2025</li>',
        '<li>Agenda :<table><tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>',
        '<tr><td>9:00am</td><td>Ada Lovelace</td><td>Opening</td></tr></table></li>',
        '</ul></body></html>',
      ].join('\n');
    const bpf = path.join(dir, 'bpf-2025.html');
    fs.writeFileSync(bpf, page('BPF &amp; Storage Plumbers 2025'));
    const own = await command(['import', bpf], env);
    expect([own.code, own.stderr, own.stdout.split('\n')[0]]).toEqual([0, '', `${bpf}: created BPF & Storage Plumbers 2025 (1 agenda row, 1 person) in series “BPF & Storage Plumbers” (--series bpf-and-storage-plumbers)`]);
    // A page titled otherwise, told its series by slug: the series as stored, not a new one.
    const short = path.join(dir, 'plumbers-2025.html');
    fs.writeFileSync(short, page('Plumbers 2025').replace('June 20', 'June 21'));
    const told = await command(['import', '--json', '--series', 'bpf-and-storage-plumbers', short], env);
    expect(told.code, told.stderr).toBe(0);
    expect((JSON.parse(told.stdout) as { title: string; created: boolean; series: unknown }[]).map((r) => [r.title, r.created, r.series])).toEqual([
      ['Plumbers 2025', false, { slug: 'bpf-and-storage-plumbers', name: 'BPF & Storage Plumbers' }],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to re-import over a schedule changed in conclave, and lets the page win when told', async () => {
    // What import says and keeps, not the embedded database: in process, on commandData. A
    // refused import's exit code on the embedded database, kept while it closes, is the
    // executable's below (a page it cannot read).
    const env = await commandData();
    const page = path.join(seeds, 'netconf-2015.txt');
    expect((await command(['import', page], env)).code).toBe(0);
    const added = await command(['schedule', 'add', '2015', '--date', '2015-02-13', '--start', '19:00', '--end', '21:00', '--kind', 'meal', '--title', 'Committee dinner'], env);
    const slot = /added slot #(\d+)/i.exec(added.stdout)![1]!;
    expect((await command(['materials', 'add', '2015', '--slot', slot, '--url', 'https://example.org/d.pdf', '--label', 'dinner slides'], env)).code).toBe(0);
    const refused = await command(['import', page], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('and 1 material was added to its slots or topics (“dinner slides”): importing the page again would replace its schedule and lose that. Nothing was imported.');
    const won = await command(['import', '--overwrite-schedule', page], env);
    expect(won.code, won.stderr).toBe(0);
    expect(won.stdout).toContain("  1 material added in conclave to what the page replaced, now among the edition's materials: “dinner slides”");
    // An archive's schedule, never published here: no public changelog of its corrections.
    expect((await command(['schedule', 'changes', '2015'], env)).stdout).toBe('no changes\n');
  });

  it('stops quietly when the reader of its output goes away (conclave … | head)', async () => {
    const child = spawn(process.execPath, [bin, '--version'], { cwd: projectRoot, env: cleanEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as head does once it has read its lines: the next write fails (EPIPE)
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([code, stderr]).toEqual([0, '']);
  });

  it('names file and line for a page it cannot read, with exit code 1', () => {
    const dir = madeData();
    const bad = path.join(dir, 'bad.txt');
    fs.writeFileSync(bad, '');
    const r = conclave(['import', bad], { CONCLAVE_DATA: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:1: `);
    const missing = conclave(['import', path.join(dir, 'nope.txt')], { CONCLAVE_DATA: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`conclave: ${path.join(dir, 'nope.txt')}: cannot read it: no such file\n`);
  });

  it('serves the bundled archive on first start, and locks the data directory while it runs', async () => {
    const dir = tmpData();
    const s = await serve({ CONCLAVE_DATA: dir }, ['--bootstrap']);
    expect(s.output()).toMatch(/imported the bundled archive: 2004, 2011, 2014, 2015, 2019/);
    const home = await fetch(`${s.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('/netconf/2015/');

    const second = conclave(['import', path.join(seeds, 'netconf-2014.txt')], { CONCLAVE_DATA: dir });
    expect(second.code).toBe(75);
    expect(second.stderr).toContain(dir);
    expect(second.stderr).toContain(`process ${s.child.pid} (conclave serve --bootstrap) since `);

    // The first process is unharmed and still serves everything.
    expect((await fetch(`${s.url}/netconf/2014/`)).status).toBe(200);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    expect(fs.existsSync(path.join(dir, 'conclave.lock'))).toBe(false);

    // A later start reuses the data: nothing is imported twice, nothing lost.
    const again = await serve({ CONCLAVE_DATA: dir }, ['--bootstrap']);
    expect(again.output()).not.toMatch(/imported the bundled archive/);
    const json = (await (await fetch(`${again.url}/editions.json`)).json()) as { editions: unknown[] };
    expect(json.editions).toHaveLength(5);
  });

  it('runs the invitation cycle from the terminal, mail landing in the local mailbox', async () => {
    const data = await commandData();
    const dir = data.CONCLAVE_DATA;
    const env = { ...data, BASE_URL: 'https://netconf.example.org', MAIL_RSVP_ADDRESS: 'rsvp@netconf.example.org' };
    const created = await command(['edition', 'create', '2027', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2027-07-14', '--end', '2027-07-15', '--answer-by', '2027-06-01', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const edition = JSON.parse(created.stdout) as { series_id: number };
    expect(edition).toMatchObject({ year: 2027, status: 'planned', cap: 15, title: 'Netconf 2027' });
    // The series by its slug, as every other command names it: the same series, titled by its name.
    const next = await command(['edition', 'create', '2028', '--series', 'netconf', '--json'], env);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ year: 2028, title: 'Netconf 2028', series_id: edition.series_id });
    const other = await command(['edition', 'create', '2027', '--series', 'Linux Plumbers', '--json'], env);
    expect(JSON.parse(other.stdout)).toMatchObject({ year: 2027, title: 'Linux Plumbers 2027' });
    expect((JSON.parse(other.stdout) as { series_id: number }).series_id).not.toBe(edition.series_id);
    // Made again: the command to change the one there is, not only that it exists.
    const made = await command(['edition', 'create', '2027', '--series', 'Linux Plumbers'], env);
    expect([made.code, made.stderr]).toEqual([1, 'conclave: <year>: Linux Plumbers 2027 exists already: change it with `conclave edition update 2027 --series linux-plumbers --FIELD VALUE`\n']);
    const bad = await command(['edition', 'update', '2027', '--series', 'netconf', '--end', '2027-07-01'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--end: is before the start date, 2027-07-14');
    for (const [email, name] of [['alice@example.org', 'Alice Kernel'], ['bob@example.org', 'Bob Net']]) {
      expect((await command(['invite', 'add', '2027', '--series', 'netconf', email!, '--name', name!], env)).code).toBe(0);
    }
    // A wrong value is named by the option that gave it, in words (not the domain's field name).
    const past = await command(['invite', 'send', '2027', '--series', 'netconf', '--answer-by', '2020-01-01'], env);
    expect([past.code, past.stderr]).toEqual([1, 'conclave: --answer-by: January 1, 2020 has passed already\n']);
    // A mistyped year is bad usage, said as such, before any query.
    for (const args of [['invite', 'list', '20x7'], ['edition', 'create', 'abc'], ['materials', 'list', '207'], ['topics', 'list', '2027a'], ['edition', 'show', 'x'], ['edition', 'update', 'abc'], ['audit', '--year', '20x7']]) {
      const r = await command(args, env);
      const typed = args.at(-1)!;
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, `conclave: ${args[1] === '--year' ? '--year' : 'year'}: "${typed}" is not a year such as 2027\n`]);
    }
    // So is a count that is not a whole number in its bounds: said with the value, and no NaN
    // reaches a query (`mail list --limit abc` was once "unexpected error" and a stack).
    for (const [args, bounds] of [
      [['mail', 'list', '--limit', 'abc'], 'from 1 to 5000'],
      [['mail', 'inbound', '--limit', '1.5'], 'from 1 to 5000'],
      [['audit', '--limit', '0'], 'from 1 to 1000'],
      [['edition', 'update', '2027', '--series', 'netconf', '--reminder-days', 'abc'], 'from 0 to 365'],
      [['edition', 'create', '2029', '--cap', '1.5'], 'from 1 to 1000'],
      [['candidates', '--repo', root, '--top', 'abc'], 'from 1 to 100000'],
      [['export', '--out', path.join(os.tmpdir(), 'never-written'), '--threads', '-1'], 'from 0 to 64'],
    ] as const) {
      const r = await command([...args], env);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, `conclave: ${args.at(-2)}: must be a whole number ${bounds}, not "${args.at(-1)}"\n`]);
    }
    const since = await command(['schedule', 'changes', '2027', '--since', 'abc'], env);
    expect([since.code, since.stderr]).toEqual([2, 'conclave: --since: "abc" is not a change number such as 3 (see conclave schedule changes)\n']);
    // The same person again, by the address in other letters: the refusal names the one listed.
    const twice = await command(['invite', 'add', '2027', '--series', 'netconf', 'ALICE@Example.org', '--name', 'Alice Kernel-Hacker'], env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe('conclave: Alice Kernel <alice@example.org> is already on the list of Netconf 2027 (candidate)\n');
    // Her name at an address nobody has, she being on the list already: only somebody else may be added.
    const namesake = await command(['invite', 'add', '2027', '--series', 'netconf', 'alice@acme.example', '--name', 'Alice Kernel'], env);
    expect([namesake.code, namesake.stderr]).toEqual([
      1,
      'conclave: Alice Kernel is known by alice@example.org, not alice@acme.example, and is on the list of Netconf 2027 already (candidate): if that is a new address of theirs, there is nothing to add; if it is somebody else of that name, add them as a new person (--new-person)\n',
    ]);
    // Not on the list of another series' edition: asked, with the options that answer it.
    expect((await command(['invite', 'add', '2027', 'alice@acme.example', '--name', 'Alice Kernel', '--series', 'linux-plumbers'], env)).stderr).toBe(
      'conclave: Alice Kernel is known by alice@example.org, not alice@acme.example: say whether that is a new address of theirs (the same person) or somebody else of that name (a new person); add again with --same-as ADDRESS (one they are known by) or --new-person\n',
    );
    expect((await command(['invite', 'add', '2027', '--series', 'netconf', 'alice@acme.example', '--name', 'Alice Kernel', '--same-as', 'alice@example.org', '--new-person'], env)).stderr).toContain(
      "option '--same-as <address>' cannot be used with option '--new-person'",
    );
    const plumbers = await command(['invite', 'add', '2027', 'alice@acme.example', '--name', 'Alice Kernel', '--new-person', '--series', 'linux-plumbers', '--json'], env);
    expect(plumbers.code, plumbers.stderr).toBe(0);
    expect(JSON.parse(plumbers.stdout)).toMatchObject({ name: 'Alice Kernel', email: 'alice@acme.example', personSlug: 'alice-kernel-2' });
    const sent = await command(['invite', 'send', '2027', '--series', 'netconf', '--json'], env);
    expect(sent.code, sent.stderr).toBe(0);
    const links = (JSON.parse(sent.stdout) as { invitations: { link: string }[] }).invitations.map((i) => i.link);
    expect(links).toHaveLength(2);
    for (const l of links) expect(l).toMatch(/^https:\/\/netconf\.example\.org\/invitation\/[A-Za-z0-9_-]{43}$/);
    const list = JSON.parse((await command(['invite', 'list', '2027', '--series', 'netconf', '--json'], env)).stdout) as { counts: Record<string, number> };
    expect(list.counts.invited).toBe(2);
    // Waiting mail says when it goes.
    expect((await command(['mail', 'list'], env)).stdout).toMatch(/\n\d+ +queued +due \d{4}-\d\d-\d\d \d\d:\d\d +alice@example\.org/);
    const mailed = await command(['mail', 'send'], env);
    expect(mailed.stdout).toContain('sent 2,');
    const eml = fs.readdirSync(path.join(dir, 'mailbox')).filter((f) => f.endsWith('.eml'));
    expect(eml).toHaveLength(2);
    const first = fs.readFileSync(path.join(dir, 'mailbox', eml[0]!), 'utf8');
    expect(first).toMatch(/^Subject: Invitation to Netconf 2027$/m);
    expect(first).toMatch(/^Message-ID: <.+@netconf\.example\.org>$/m);
    // Sent from the terminal too, a reply goes to the invitation's own answer address.
    expect(first).toMatch(/^Reply-To:\s+rsvp\+[a-z2-7]+@netconf\.example\.org$/m);
    const outbox = JSON.parse((await command(['mail', 'list', '--json'], env)).stdout) as { id: number; state: string }[];
    expect(outbox.map((m) => m.state)).toEqual(['sent', 'sent']);
    expect(outbox[0]!.id).toBeGreaterThan(outbox[1]!.id); // newest first, as its help says

    // What the admin's invitation page does, the terminal does: re-send (a new link, the old one
    // dead), override a state with a reason, and throw away a held batch.
    const ids = (JSON.parse((await command(['invite', 'list', '2027', '--series', 'netconf', '--json'], env)).stdout) as { rows: { id: number; email: string }[] }).rows;
    const alice = ids.find((r) => r.email === 'alice@example.org')!.id;
    const resent = await command(['invite', 'resend', String(alice), '--hold', '--json'], env);
    expect(resent.code, resent.stderr).toBe(0);
    const again = JSON.parse(resent.stdout) as { batch: string; invitations: { link: string }[] };
    expect(again.invitations[0]!.link).not.toBe(links[0]);
    expect(again.invitations[0]!.link).not.toBe(links[1]);
    // The held draft can be read from the terminal before it is sent or thrown away.
    const draftId = (JSON.parse((await command(['mail', 'list', '--batch', again.batch, '--json'], env)).stdout) as { id: number }[])[0]!.id;
    const shown = await command(['mail', 'show', String(draftId)], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('To: ');
    expect(shown.stdout).toContain('alice@example.org');
    expect(shown.stdout).toContain(`State: draft in batch ${again.batch}\n`);
    // The invitation list says that its mail is held, not sent.
    expect((await command(['invite', 'list', '2027', '--series', 'netconf'], env)).stdout).toMatch(new RegExp(`invited \\(held: ${again.batch}\\) +\\S+ +Alice Kernel`));
    expect(shown.stdout).toContain(again.invitations[0]!.link);
    // Sending what is due says that a held batch waits, and how to send it.
    expect((await command(['mail', 'send'], env)).stdout).toContain('1 draft held, not sent: read them with conclave mail list --state draft, send with --batch BATCH\n');
    // An id that is not one is bad usage, said one way, with where to find the ids.
    for (const [args, what] of [
      [['mail', 'show', 'x1'], 'a message id such as 12 (see conclave mail list)'],
      [['invite', 'resend', 'abc'], 'an invitation id such as 12 (see conclave invite list)'],
      [['invite', 'revoke', '1.5', '--reason', 'x'], 'an invitation id such as 12 (see conclave invite list)'],
      [['materials', 'remove', '2027', 'abc'], 'a material id such as 12 (see conclave materials list)'],
      [['edition', 'remove-part', '2027', 'sponsor', '-1'], 'an id such as 3 (see conclave edition parts YEAR)'],
    ] as const) {
      const r = await command([...args], env);
      const typed = args[0] === 'invite' ? args[2] : args.at(-1);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, `conclave: id: "${typed}" is not ${what}\n`]);
    }
    // A template's preview names this edition, where it is and when; samples fill the rest.
    const preview = await command(['template', 'preview', '2027', '--series', 'netconf', 'invitation'], env);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('Subject: Invitation to Netconf 2027');
    expect(preview.stdout).toContain('July 14–15, 2027');
    expect(preview.stdout).toContain('Ottawa');
    expect(preview.stdout).toContain('Hello Ada Lovelace,');
    expect((await command(['template', 'list', '2027', '--series', 'netconf'], env)).stdout).toMatch(/^KEY +ORIGIN +SAVED \(UTC\) +SUBJECT\n/);
    // Its sample link is under this site's address, as a real one will be.
    expect((await command(['template', 'preview', '2027', '--series', 'netconf', 'schedule-published'], { ...env, BASE_URL: 'https://nc.example.net' })).stdout).toContain('https://nc.example.net/netconf/2027/#agenda');
    // A held re-send ended alice's earlier links when it was made: thrown away, it would leave her none.
    const kept = await command(['mail', 'discard', again.batch], env);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toContain(`batch ${again.batch} re-sends the invitation of Alice Kernel <alice@example.org>`);
    // A held first invitation is thrown away as if it had not been sent: a candidate again.
    expect((await command(['invite', 'add', '2027', '--series', 'netconf', 'carol@example.org', '--name', 'Carol Stack'], env)).code).toBe(0);
    const heldCarol = JSON.parse((await command(['invite', 'send', '2027', '--series', 'netconf', '--hold', '--json'], env)).stdout) as { batch: string };
    const discarded = await command(['mail', 'discard', heldCarol.batch], env);
    expect([discarded.code, discarded.stdout]).toEqual([0, `${heldCarol.batch}: 1 draft discarded; candidates again: Carol Stack.\n`]);
    expect((await command(['mail', 'discard', heldCarol.batch], env)).stderr).toBe(`conclave: batch "${heldCarol.batch}" holds no drafts\n`);
    // Said as the invitations page says it, as a revoke is below.
    const over = await command(['invite', 'override', String(alice), 'accepted', '--reason', 'told us at LPC'], env);
    expect([over.code, over.stdout]).toEqual([0, `Invitation #${alice} (alice@example.org) is now accepted.\n`]);
    const wrong = await command(['invite', 'override', String(alice), 'maybe', '--reason', 'x'], env);
    expect(wrong.stderr).toBe('conclave: state: must be one of “candidate”, “invited”, “accepted”, “waitlisted”, “declined”, “expired”, “withdrawn”, “revoked”\n');
    const after = JSON.parse((await command(['invite', 'list', '2027', '--series', 'netconf', '--json'], env)).stdout) as { counts: Record<string, number> };
    expect(after.counts).toMatchObject({ accepted: 1, invited: 1, candidate: 1 });
    // Accepted by the committee from a candidate, nobody was asked a thing: a re-send gives no date.
    const carol = (JSON.parse((await command(['invite', 'list', '2027', '--series', 'netconf', '--json'], env)).stdout) as { rows: { id: number; email: string }[] }).rows.find((r) => r.email === 'carol@example.org')!.id;
    expect((await command(['invite', 'override', String(carol), 'accepted', '--reason', 'chair'], env)).code).toBe(0);
    const carolAgain = await command(['invite', 'resend', String(carol)], env);
    // Said as the invitations page says it.
    expect(carolAgain.stdout).toMatch(new RegExp(`^Invitation #${carol} \\(carol@example\\.org\\) re-sent with a new link, queued for sending\\.\n`));
    expect((await command(['invite', 'resend', '999999'], env))).toMatchObject({ code: 1, stderr: 'conclave: invitation 999999 not found\n' });
    expect(carolAgain.stdout).toMatch(/^ {2}Carol Stack <carol@example\.org>: https:\/\/netconf\.example\.org\/invitation\/\S+$/m);
    // Revoked before it went, that mail is taken back, and the command says so; Bob's went, and
    // nothing of his waits: nothing more is said.
    const revokedCarol = await command(['invite', 'revoke', String(carol), '--reason', 'not this year'], env);
    expect([revokedCarol.code, revokedCarol.stdout]).toEqual([0, `Invitation #${carol} (carol@example.org) revoked; 1 unsent mail to them withdrawn.\n`]);
    const bob = ids.find((r) => r.email === 'bob@example.org')!.id;
    const revokedBob = await command(['invite', 'revoke', String(bob), '--reason', 'not this year'], env);
    expect([revokedBob.code, revokedBob.stdout]).toEqual([0, `Invitation #${bob} (bob@example.org) revoked.\n`]);
    // Some sixty commands, each a process: the longest test here, each command half as dear on
    // PostgreSQL as on the embedded database (commandData).
  }, 180_000);

  it("adds and removes an edition's sponsors, committee roles and references, and reads the audit log", async () => {
    const env = await commandData();
    const dir = env.CONCLAVE_DATA;
    const made = await command(['edition', 'create', '2098', '--series', 'Netconf', '--start', '2098-07-14', '--end', '2098-07-15'], env);
    expect(made.code).toBe(0);
    expect(made.stdout).toBe('created Netconf 2098 (planned)\n! No time zone: the schedule\'s times will be given as floating times (no zone) in schedule.ics, schedule.xml and schedule.json, and publishing it asks you to confirm that (set one with `conclave edition update 2098 --time-zone ZONE`, such as Europe/Berlin).\n');
    const hand = await command(['edition', 'update', '2098', '--status', 'tentative'], env);
    expect([hand.code, hand.stderr]).toEqual([1, 'conclave: --status: is set by publishing the schedule (Schedule → “Publish as tentative”, or `conclave schedule publish 2098`), which checks it for conflicts and tells the speakers\n']);
    const passed = await command(['edition', 'update', '2098', '--answer-by', '2020-01-02'], env);
    expect([passed.code, passed.stdout]).toEqual([0, 'updated Netconf 2098\n! The answer-by date, January 2, 2020, has passed already: invitations will need a later one. Set one with `conclave edition update 2098 --answer-by DATE`, or give `--answer-by` to `invite send`.\n']);
    // A committee member's sign-in address in the intro is shown at once: saved, with a warning
    // (in data of its own, so as not to add to the audit read below).
    const apart = await commandData();
    expect((await command(['committee', 'add', 'hidden@example.org', '--name', 'Hidden Member'], apart)).code).toBe(0);
    const leak = await command(['edition', 'create', '2098', '--series', 'Netconf', '--start', '2098-07-14', '--time-zone', 'UTC', '--intro', 'Write to hidden@example.org.'], apart);
    expect([leak.code, leak.stdout.split('\n')[1]]).toEqual([0, "! The edition's page now shows hidden@example.org, an address not public (a committee member's, an invitee's, or one its owner hides): take it out unless meant; the static export refuses the page while it is there."]);
    expect((await command(['edition', 'update', '2098', '--intro', 'Write to netdev@vger.kernel.org.'], apart)).stdout).toBe('updated Netconf 2098\n');
    // An edition made by mistake: what would go is said first, and deleted with --yes.
    expect((await command(['edition', 'create', '2099', '--series', 'Netconf', '--start', '2099-07-14', '--time-zone', 'UTC'], apart)).code).toBe(0);
    expect((await command(['invite', 'add', '2099', 'oops@example.org', '--name', 'Oops Candidate'], apart)).code).toBe(0);
    const ask = await command(['edition', 'delete', '2099'], apart);
    expect([ask.code, ask.stderr]).toEqual([1, 'conclave: this would delete Netconf 2099 with 1 candidate: add --yes to do it\n']);
    expect((await command(['edition', 'delete', '2099', '--yes'], apart)).stdout).toBe('deleted Netconf 2099 with 1 candidate\n');
    expect((await command(['edition', 'show', '2099'], apart)).code).toBe(1);
    // Off the committee and back, from the terminal too; the last member stays.
    expect((await command(['committee', 'disable', 'hidden@example.org'], apart)).stderr).toBe(
      'conclave: hidden@example.org is the last committee member: nobody could sign in after; add another member first\n',
    );
    expect((await command(['committee', 'add', 'other@example.org', '--name', 'Other Member'], apart)).code).toBe(0);
    const off = await command(['committee', 'disable', 'Hidden@example.org'], apart);
    expect([off.code, off.stdout]).toEqual([0, 'Hidden Member <hidden@example.org> is off the committee (conclave committee add hidden@example.org brings them back)\n']);
    expect((await command(['committee', 'list'], apart)).stdout).toMatch(/Hidden Member +hidden@example\.org +\d{4}-\d\d-\d\d +disabled\n.*Other Member +other@example\.org +\d{4}-\d\d-\d\d +active/s);
    expect((await command(['committee', 'signin-link', 'hidden@example.org'], apart)).code).toBe(1);
    expect((await command(['committee', 'add', 'hidden@example.org'], apart)).stdout).toBe('Hidden Member <hidden@example.org> is back on the committee\n');
    const printed = JSON.parse((await command(['committee', 'signin-link', 'hidden@example.org', '--json'], apart)).stdout) as { email: string; link: string };
    expect(printed).toEqual({ email: 'hidden@example.org', link: expect.stringMatching(/^http:\/\/localhost:3000\/signin\/[\w-]{20,}$/) });
    const logo = path.join(dir, 'logo.png');
    await sharp({ create: { width: 40, height: 20, channels: 3, background: '#336699' } }).png().toFile(logo);
    const sponsor = await command(['edition', 'sponsor', '2098', '--name', 'Mojatatu Networks', '--url', 'https://mojatatu.com/', '--logo', logo, '--json'], env);
    expect(sponsor.code, sponsor.stderr).toBe(0);
    expect(JSON.parse(sponsor.stdout)).toMatchObject({ name: 'Mojatatu Networks', kind: 'company', url: 'https://mojatatu.com/', logo_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await command(['edition', 'sponsor', '2098', '--name', 'X', '--url', 'nowhere'], env)).stderr).toBe('conclave: --url: must be an http:// or https:// address such as https://example.org/\n');
    // zod's url() takes any scheme; a javascript: link would run on a static copy, which has no CSP.
    expect((await command(['edition', 'sponsor', '2098', '--name', 'X', '--url', 'javascript:alert(1)'], env)).stderr).toBe('conclave: --url: must be an http:// or https:// address such as https://example.org/\n');
    expect((await command(['edition', 'reference', '2098', '--title', 'X', '--url', 'data:text/html,<b>x</b>'], env)).stderr).toBe('conclave: --url: must be an http:// or https:// address such as https://example.org/\n');
    expect((await command(['edition', 'role', '2098', '--name', 'Jamal Hadi Salim', '--role', 'chair', '--new-person'], env)).code).toBe(0);
    expect((await command(['edition', 'reference', '2098', '--title', 'LWN coverage', '--url', 'https://lwn.example/'], env)).code).toBe(0);
    const parts = JSON.parse((await command(['edition', 'parts', '2098', '--json'], env)).stdout) as { sponsors: { id: number }[]; committee: { name: string; role: string }[]; references: { id: number; title: string }[] };
    expect(parts.committee).toMatchObject([{ name: 'Jamal Hadi Salim', role: 'chair' }]);
    expect(parts.references).toMatchObject([{ title: 'LWN coverage' }]);
    const removed = await command(['edition', 'remove-part', '2098', 'reference', String(parts.references[0]!.id)], env);
    expect([removed.code, removed.stdout]).toEqual([0, `removed reference #${parts.references[0]!.id}: the reference “LWN coverage”\n`]);
    const view = JSON.parse((await command(['edition', 'show', '2098', '--json'], env)).stdout) as { references: unknown[]; sponsors: { name: string }[] };
    expect(view.references).toEqual([]);
    expect(view.sponsors.map((x) => x.name)).toEqual(['Mojatatu Networks']);
    const audit = JSON.parse((await command(['audit', '--year', '2098', '--json'], env)).stdout) as { action: string; actor: string }[];
    expect(audit.map((a) => a.action)).toEqual(['reference.remove', 'reference.add', 'committee-role.add', 'sponsor.add', 'edition.update', 'edition.create']);
    expect(new Set(audit.map((a) => a.actor)).size).toBe(1);
    // Changed in place (ids from `edition parts`): "" empties an address, --no-logo takes the logo away.
    const sid = parts.sponsors[0]!.id;
    const renamed = await command(['edition', 'update-part', '2098', 'sponsor', String(sid), '--name', 'Mojatatu', '--url', '', '--no-logo'], env);
    expect([renamed.code, renamed.stdout, renamed.stderr]).toEqual([0, `updated sponsor #${sid}: the sponsor Mojatatu\n`, '']);
    const now = JSON.parse((await command(['edition', 'parts', '2098', '--json'], env)).stdout) as { sponsors: { id: number; name: string; url: string | null; logo_sha256: string | null }[]; committee: { id: number; role: string }[] };
    expect(now.sponsors).toMatchObject([{ id: sid, name: 'Mojatatu', url: null, logo_sha256: null }]);
    const cid = String(now.committee[0]!.id);
    const role = await command(['edition', 'update-part', '2098', 'committee-role', cid, '--role', 'program chair'], env);
    expect([role.code, role.stdout]).toEqual([0, `updated committee-role #${cid}: Jamal Hadi Salim’s committee role (program chair)\n`]);
    expect((await command(['edition', 'update-part', '2098', 'committee-role', cid, '--role', 'program chair'], env)).stdout).toBe(`nothing changed in committee-role #${cid}: Jamal Hadi Salim’s committee role (program chair)\n`);
    // Nothing to change at all is bad usage, naming what would change something.
    expect(await command(['edition', 'update-part', '2098', 'committee-role', cid], env)).toMatchObject({ code: 2, stderr: 'conclave: --role: give --role: what to change\n' });
    expect((await command(['edition', 'update-part', '2098', 'sponsor', String(sid), '--role', 'x'], env))).toMatchObject({ code: 2, stderr: 'conclave: --role: a sponsor has no role\n' });
    expect((await command(['edition', 'update-part', '2098', 'sponsor', String(sid), '--url', 'nowhere'], env))).toMatchObject({ code: 2, stderr: 'conclave: --url: must be an http:// or https:// address such as https://example.org/\n' });
    const newest = JSON.parse((await command(['audit', '--year', '2098', '--json', '--limit', '2'], env)).stdout) as { id: number; action: string }[];
    expect(newest.map((a) => a.action)).toEqual(['committee-role.update', 'sponsor.update']);
    // The next page: older than the last entry shown.
    const next = JSON.parse((await command(['audit', '--year', '2098', '--json', '--limit', '1', '--before', String(newest[1]!.id)], env)).stdout) as { action: string }[];
    expect(next.map((a) => a.action)).toEqual(['reference.remove']);
    expect((await command(['audit', '--before', 'x'], env))).toMatchObject({ code: 2, stderr: 'conclave: --before: "x" is not an entry ID such as 120 (the ID column)\n' });
  }, 180_000);

  it('writes a command\'s mail with the settings the server last ran with, unless its own environment gives them', async () => {
    const env = await commandData();
    const server = { BASE_URL: 'https://netconf.example.org', MAIL_FROM: 'Netconf PC <pc@netconf.example.org>', MAIL_RSVP_ADDRESS: 'rsvp@netconf.example.org' };
    const s = await serve({ ...env, ...server });
    s.child.kill('SIGTERM');
    await new Promise((resolve) => s.child.once('exit', resolve));
    // The committee, at a terminal, without the server's environment: `env` alone.
    expect((await command(['edition', 'create', '2096', '--series', 'Netconf', '--start', '2096-07-14', '--end', '2096-07-15', '--answer-by', '2096-06-01'], env)).code).toBe(0);
    expect((await command(['invite', 'add', '2096', 'alice@example.org', '--name', 'Alice Kernel'], env)).code).toBe(0);
    const sent = await command(['invite', 'send', '2096', '--json'], env);
    expect(sent.code, sent.stderr).toBe(0);
    const [invitation] = (JSON.parse(sent.stdout) as { invitations: { link: string }[] }).invitations;
    expect(invitation!.link).toMatch(/^https:\/\/netconf\.example\.org\/invitation\/[\w-]{40,}$/);
    const mail = (await command(['mail', 'show', '1'], env)).stdout;
    expect(mail).toContain('From: Netconf PC <pc@netconf.example.org>');
    expect(mail).toMatch(/Reply-To: rsvp\+[\w-]+@netconf\.example\.org/);
    expect(mail).toContain(invitation!.link);
    expect(mail).not.toContain('localhost');
    // What the command's own environment gives wins.
    const own = await command(['committee', 'signin-link', 'nobody@example.org'], { ...env, BASE_URL: 'https://staging.example.org' });
    expect(own.stderr).toContain('nobody@example.org is not a committee member');
    expect((await command(['invite', 'add', '2096', 'bob@example.org', '--name', 'Bob Net'], env)).code).toBe(0);
    const second = await command(['invite', 'send', '2096', '--json'], { ...env, BASE_URL: 'https://staging.example.org', MAIL_RSVP_ADDRESS: 'answers@staging.example.org' });
    expect((JSON.parse(second.stdout) as { invitations: { link: string }[] }).invitations[0]!.link).toMatch(/^https:\/\/staging\.example\.org\/invitation\//);
    const mail2 = (await command(['mail', 'show', '2'], env)).stdout;
    expect(mail2).toMatch(/Reply-To: answers\+[\w-]+@staging\.example\.org/);
    expect(mail2).toContain('From: Netconf PC <pc@netconf.example.org>');
  });

  it('leaves `mail send` to a server that sends over SMTP when the command has no SMTP_URL, rather than fill a mailbox nobody reads', async () => {
    const sink = await startSink();
    try {
      const env = await commandData();
      const dir = env.CONCLAVE_DATA;
      const s = await serve({ ...env, SMTP_URL: `smtp://pc:s3cret@127.0.0.1:${sink.port}` });
      s.child.kill('SIGTERM');
      await new Promise((resolve) => s.child.once('exit', resolve));
      expect(s.output()).toContain(`mail goes over SMTP_URL (smtp://127.0.0.1:${sink.port})`);
      expect(s.output()).not.toContain('s3cret');
      // A committee member's shell: no SMTP_URL (`env` alone).
      expect((await command(['edition', 'create', '2095', '--series', 'Netconf', '--start', '2095-07-14', '--end', '2095-07-15', '--answer-by', '2095-06-01'], env)).code).toBe(0);
      expect((await command(['invite', 'add', '2095', 'alice@example.org', '--name', 'Alice Kernel'], env)).code).toBe(0);
      const { batch } = JSON.parse((await command(['invite', 'send', '2095', '--hold', '--json'], env)).stdout) as { batch: string };
      const r = await command(['mail', 'send', '--batch', batch], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(
        `released 1 draft of ${batch}\nnot sent from here: the server on this database sends mail over SMTP (smtp://127.0.0.1:${sink.port}), and this command has no SMTP_URL. 1 message queued, which the server sends within seconds while it runs (conclave mail list --state queued); to send from here, set SMTP_URL as the server has it\n`,
      );
      const mailbox = path.join(dir, 'mailbox');
      expect(fs.existsSync(mailbox) ? fs.readdirSync(mailbox) : []).toEqual([]);
      expect((await command(['mail', 'list', '--state', 'queued'], env)).stdout).toContain('alice@example.org');
      // With SMTP_URL of its own, it sends (run beside the sink, which answers in this process).
      const sent = await promisify(execFile)(process.execPath, [bin, 'mail', 'send', '--json'], { cwd: root, env: cleanEnv({ ...env, SMTP_URL: sink.url }) });
      expect(JSON.parse(sent.stdout)).toMatchObject({ sent: 1, failed: 0, queued: 0 });
      expect(sink.accepted.map((a) => a.rcptTo)).toEqual([['alice@example.org']]);
    } finally {
      await sink.close();
    }
  });

  it('moves the waiting list up when `edition update --cap` raises the cap, and refuses one below the places taken', async () => {
    const data = await commandData();
    const env = { ...data, BASE_URL: 'https://netconf.example.org' };
    const created = await command(['edition', 'create', '2099', '--series', 'Netconf', '--start', '2099-07-14', '--end', '2099-07-15', '--answer-by', '2099-06-01', '--cap', '1'], env);
    expect(created.code, created.stderr).toBe(0);
    for (const [email, name] of [['alice@example.org', 'Alice Kernel'], ['bob@example.org', 'Bob Net']]) {
      expect((await command(['invite', 'add', '2099', email!, '--name', name!], env)).code).toBe(0);
    }
    const sent = await command(['invite', 'send', '2099', '--json'], env);
    expect(sent.code, sent.stderr).toBe(0);
    // The invitees answer through their links, as the server would take them.
    const handle = await openDb({ databaseUrl: data['DATABASE_URL'], dataDir: data.CONCLAVE_DATA });
    try {
      const deps = { db: handle.db, clock: () => new Date(), mail: { baseUrl: env.BASE_URL, from: 'committee@example.org' } };
      for (const i of (JSON.parse(sent.stdout) as { invitations: { link: string }[] }).invitations) {
        await acceptInvitation(deps, { token: i.link.slice(i.link.lastIndexOf('/') + 1) });
      }
    } finally {
      await handle.close();
    }
    const raised = await command(['edition', 'update', '2099', '--cap', '2'], env);
    expect(raised.code, raised.stderr).toBe(0);
    expect(raised.stdout).toBe('updated Netconf 2099\nThe raised cap moved 1 person up from the waiting list, each mailed: Bob Net <bob@example.org>.\n');
    const lowered = await command(['edition', 'update', '2099', '--cap', '1'], env);
    expect(lowered.code).toBe(1);
    expect(lowered.stderr).toBe('conclave: --cap: cannot be 1: 2 people have accepted already (keep it at 2 or more, or revoke invitations first)\n');
    expect((await command(['invite', 'list', '2099'], env)).stdout).toContain('2 of 2 places taken');
  });

  it('names --body-file for a template body it refuses, as the editor names the body', async () => {
    const env = await commandData();
    const file = path.join(env.CONCLAVE_DATA, 'body.txt');
    fs.writeFileSync(file, 'Within {{minutes}} minutes: {{lnk}}\n');
    const typo = await command(['template', 'set', 'site', 'signin', '--body-file', file], env);
    expect([typo.code, typo.stderr]).toEqual([1, 'conclave: --body-file: unknown placeholder {{lnk}}; known: {{link}}, {{minutes}}, {{site}}\n']);
    expect((await command(['template', 'set', 'site', 'signin', '--subject', 'Sign {{in}}'], env)).stderr).toBe('conclave: --subject: unknown placeholder {{in}}; known: {{link}}, {{minutes}}, {{site}}\n');
  });

  it('ends a member\'s sessions from the terminal, as their "Sign out everywhere" does', async () => {
    const env = await commandData();
    expect((await command(['committee', 'add', 'pat@example.org', '--name', 'Pat Chair'], env)).code).toBe(0);
    const done = await command(['committee', 'signout', 'Pat@example.org'], env);
    expect([done.code, done.stdout]).toEqual([0, 'ended 0 sessions of Pat Chair <pat@example.org>\n']);
    const nobody = await command(['committee', 'signout', 'nobody@example.org'], env);
    expect([nobody.code, nobody.stderr]).toEqual([1, 'conclave: nobody@example.org is not a committee member\n']);
    expect(JSON.parse((await command(['audit', '--action', 'session.signout-everywhere', '--json'], env)).stdout)).toMatchObject([{ actor: expect.stringMatching(/^cli:/) }]);
  });

  it('takes over a lock left by a process that died', () => {
    const dir = madeData();
    fs.writeFileSync(path.join(dir, 'conclave.lock'), JSON.stringify({ pid: 2 ** 22 + 17, command: 'gone', since: 'then' }));
    const r = conclave(['db', 'migrate'], { CONCLAVE_DATA: dir });
    expect(r.code, r.stderr).toBe(0);
  });
});
