/**
 * Several real `conclave serve` processes on one PostgreSQL database (bin/conclave.js runs dist/:
 * `npm test` builds it first; alone, run `npx tsc` before):
 *
 * - the page cache stays exact across processes: an edit made through one server (the admin
 *   form) or by anyone else (SQL) shows on the other server's very next request, while its
 *   other cached pages stay cached;
 * - `serve --workers 2` stops gracefully under load: requests under way when SIGTERM arrives get
 *   their whole answer, no answer is cut, queued mail is kept, and the exit code is 0;
 * - the workers of `serve --workers 2` keep one server's rate limits, through a rolling restart.
 *
 * PostgreSQL only (PGlite is one process); each test gets a database of its own, dropped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { serveUntilOpen, type Served } from '../support/cli.js';
import { runCommand } from '../support/cli-in-process.js';
import { freshPostgresDatabase } from '../support/db.js';
import { adminQuery, databaseUrl } from '../support/pg-admin.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/conclave.js');
const adminUrl = process.env.TEST_DATABASE_URL;

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f();
});

/**
 * A migrated database of its own, dropped after the test (made as any test's, test/support/db.ts):
 * what the servers do once started is the point, and migrating a new one is seconds of the first
 * worker's start. `empty`: not even migrated, for the one test of a first start (the first worker
 * migrates and bootstraps before the others start).
 */
async function freshDatabase(opts: { empty?: boolean } = {}): Promise<string> {
  if (!opts.empty) {
    const made = await freshPostgresDatabase(adminUrl!);
    cleanups.push(made.drop);
    return made.url;
  }
  const name = `conclave_ops_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl!, `create database ${name}`);
  cleanups.push(() => adminQuery(adminUrl!, `drop database if exists ${name} with (force)`));
  return databaseUrl(adminUrl!, name);
}

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const e = { ...process.env };
  for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'DATABASE_URL', 'CONCLAVE_DATA']) delete e[k];
  return { ...e, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...extra };
}

/** `opts.detached`: in a process group of its own, for a signal to the whole group. */
function serve(extra: Record<string, string>, args: string[] = [], opts: { detached?: boolean } = {}): Promise<Served> {
  return serveUntilOpen(extra, args, { ...opts, started: (c) => children.push(c) });
}

/**
 * A sign-in link for the demo committee member, from `conclave committee signin-link` run in this
 * process (runCommand): the servers are the processes under test, not the command.
 */
async function signinToken(extra: Record<string, string>): Promise<string> {
  const r = await runCommand(['committee', 'signin-link', 'committee@example.org'], extra);
  expect(r.code, r.stderr).toBe(0);
  return /\/signin\/([A-Za-z0-9_-]+)/.exec(r.stdout)![1]!;
}

/** A browser's cookies, enough for sign-in and CSRF. */
class Jar {
  private readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Response): Response {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  }
  async get(url: string): Promise<Response> {
    return this.keep(await fetch(url, { headers: { cookie: this.header() }, redirect: 'manual' }));
  }
  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.keep(
      await fetch(url, {
        method: 'POST',
        headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      }),
    );
  }
}

function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

// Without TEST_DATABASE_URL the global setup says so in one loud line, and these are skipped.
describe.skipIf(!adminUrl)('processes on postgres', () => {
  it('shows an edit made through one server on the other server’s next request (strict)', async () => {
    // Two servers that know nothing of each other: strict looks at the log before every hit.
    const url = await freshDatabase();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-'));
    const a = await serve({ DATABASE_URL: url, CONCLAVE_DATA: data, CONCLAVE_CACHE: 'strict' }, ['--bootstrap']);
    const b = await serve({ DATABASE_URL: url, CONCLAVE_DATA: data, CONCLAVE_CACHE: 'strict' });

    const first = await fetch(`${b.url}/netconf/2015/`);
    expect(first.status).toBe(200);
    const before = await first.text();
    expect(before).not.toContain('Netconf 2015, as edited on A');
    await fetch(`${b.url}/netconf/2014/`);
    expect((await fetch(`${b.url}/netconf/2015/`)).headers.get('x-cache')).toBe('hit');
    expect((await fetch(`${b.url}/netconf/2014/`)).headers.get('x-cache')).toBe('hit');

    // Sign in on A as the demo committee member, and retitle 2015 with the admin form.
    const token = await signinToken({ DATABASE_URL: url, CONCLAVE_DATA: data });
    const jar = new Jar();
    const confirm = await jar.get(`${a.url}/signin/${token}`);
    const signedIn = await jar.post(`${a.url}/signin/${token}`, { _csrf: csrfOf(await confirm.text()) });
    expect(signedIn.status).toBe(303);
    const form = await jar.get(`${a.url}/admin/editions/netconf/2015`);
    expect(form.status).toBe(200);
    const saved = await jar.post(`${a.url}/admin/editions/netconf/2015`, { _csrf: csrfOf(await form.text()), title: 'Netconf 2015, as edited on A' });
    expect(saved.status).toBe(303);

    const after = await fetch(`${b.url}/netconf/2015/`);
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(await after.text()).toContain('Netconf 2015, as edited on A');

    // A change to one edition's rows by anyone (here plain SQL) drops only that edition on B.
    await fetch(`${b.url}/netconf/2015/`);
    await fetch(`${b.url}/netconf/2014/`);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`update sponsors set name = 'Sponsor renamed elsewhere' where id = (select min(s.id) from sponsors s join editions e on e.id = s.edition_id where e.year = 2014)`);
    await c.end();
    const e2014 = await fetch(`${b.url}/netconf/2014/`);
    expect(e2014.headers.get('x-cache')).toBe('miss');
    expect(await e2014.text()).toContain('Sponsor renamed elsewhere');
    expect((await fetch(`${b.url}/netconf/2015/`)).headers.get('x-cache')).toBe('hit');
  });

  it('shows an edit made through one worker on every worker’s next request (notify, the default)', async () => {
    const url = await freshDatabase({ empty: true });
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-'));
    const s = await serve({ DATABASE_URL: url, CONCLAVE_DATA: data }, ['--workers', '2', '--bootstrap']);
    const { port } = new URL(s.url);
    // A new connection each time: the primary deals connections to the workers in turn.
    const page = (p: string) =>
      new Promise<{ cache: string; body: string; pid: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ cache: String(res.headers['x-cache']), body, pid: String(res.headers['x-request-id']) }));
          })
          .on('error', reject);
      });
    // Both workers keep 2015 (two misses, then hits).
    const warm = [];
    for (let i = 0; i < 6; i++) warm.push((await page('/netconf/2015/')).cache);
    expect(warm.filter((c) => c === 'hit').length).toBeGreaterThanOrEqual(4);

    const token = await signinToken({ DATABASE_URL: url, CONCLAVE_DATA: data });
    const jar = new Jar();
    const confirm = await jar.get(`${s.url}/signin/${token}`);
    expect((await jar.post(`${s.url}/signin/${token}`, { _csrf: csrfOf(await confirm.text()) })).status).toBe(303);
    const form = await jar.get(`${s.url}/admin/editions/netconf/2015`);
    const saved = await jar.post(`${s.url}/admin/editions/netconf/2015`, { _csrf: csrfOf(await form.text()), title: 'Netconf 2015, edited on one worker' });
    expect(saved.status).toBe(303);
    // At once, whichever worker answers: none serves the old page.
    const after = await Promise.all(Array.from({ length: 6 }, () => page('/netconf/2015/')));
    for (const a of after) expect(a.body).toContain('Netconf 2015, edited on one worker');
  });

  it('stops --workers 2 under load on SIGTERM without cutting a request, exit code 0', async () => {
    const url = await freshDatabase();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-'));
    const s = await serve({ DATABASE_URL: url, CONCLAVE_DATA: data }, ['--workers', '2', '--bootstrap']);
    const { port } = new URL(s.url);

    // Requests surely under way at SIGTERM: their headers are in (the server said 100 Continue),
    // their bodies come only after the signal.
    const jar = new Jar();
    const signin = await jar.get(`${s.url}/signin`);
    const csrf = csrfOf(await signin.text());
    const slow = Array.from({ length: 3 }, () => {
      const body = new URLSearchParams({ _csrf: csrf, email: 'committee@example.org' }).toString();
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/signin',
        agent: false,
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      });
      const continued = new Promise<void>((resolve) => req.on('continue', () => resolve()));
      const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          res.on('error', reject);
        });
        req.on('error', reject);
      });
      req.flushHeaders();
      return { req, body, continued, answered };
    });
    await Promise.all(slow.map((r) => r.continued));

    // Load: new connections all along; each answer must be whole (its length as announced).
    let signalled = false;
    const outcomes = { whole: 0, cut: 0, refusedAfterSignal: 0, failedBeforeSignal: 0 };
    const one = () =>
      new Promise<void>((resolve) => {
        const paths = ['/netconf/2015/', '/netconf/2014/edition.json', '/search/?q=netfilter', '/people/'];
        const req = http.get({ host: '127.0.0.1', port, path: paths[Math.floor(Math.random() * paths.length)], agent: false }, (res) => {
          let n = 0;
          res.on('data', (d: Buffer) => (n += d.length));
          res.on('end', () => {
            const announced = Number(res.headers['content-length'] ?? n);
            if (n === announced && (res.statusCode === 200 || res.statusCode === 503)) outcomes.whole++;
            else outcomes.cut++;
            resolve();
          });
          res.on('error', () => {
            outcomes.cut++;
            resolve();
          });
        });
        req.on('error', () => {
          // No answer at all: after the signal, the port is closed (refused) — nothing was taken.
          if (signalled) outcomes.refusedAfterSignal++;
          else outcomes.failedBeforeSignal++;
          resolve();
        });
      });
    let running = true;
    const loops = Array.from({ length: 6 }, async () => {
      while (running) await one();
    });
    while (outcomes.whole < 60) await new Promise((r) => setTimeout(r, 20));

    signalled = true;
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    for (const r of slow) r.req.end(r.body);
    const answers = await Promise.all(slow.map((r) => r.answered));
    const code = await s.exited;
    running = false;
    await Promise.all(loops);

    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toMatch(/<\/html>\s*$/);
    }
    expect(outcomes.cut).toBe(0);
    expect(outcomes.failedBeforeSignal).toBe(0);
    expect(outcomes.whole).toBeGreaterThanOrEqual(60);
    expect(code, s.output()).toBe(0);
    expect(s.output()).toMatch(/all workers stopped/);

    // The sign-in mail those requests queued is kept: sent, or still queued for the next start.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const states = (await c.query<{ state: string }>(`select state from outbox where kind = 'signin'`)).rows.map((r) => r.state);
    await c.end();
    expect(states.length).toBeGreaterThan(0);
    for (const st of states) expect(['queued', 'sent']).toContain(st);
  });

  it('does not report a clean stop when a worker could not stop gracefully', async () => {
    const url = await freshDatabase();
    const s = await serve({ DATABASE_URL: url, CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2']);
    const pids = /from 2 workers \((\d+), (\d+)\)/.exec(s.output())!.slice(1).map(Number);
    // One worker hangs (stopped): it cannot finish gracefully, and is killed as a supervisor would.
    process.kill(pids[0]!, 'SIGSTOP');
    s.child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const look = setInterval(() => {
        if (/stopping 2 worker\(s\)/.test(s.output())) {
          clearInterval(look);
          resolve();
        }
      }, 50);
    });
    process.kill(pids[0]!, 'SIGKILL');
    const code = await s.exited;
    expect(s.output()).toContain(`conclave: worker(s) ${pids[0]} (SIGKILL) did not stop cleanly`);
    expect(s.output()).not.toMatch(/all workers stopped/);
    expect(code).toBe(1);
  });
});

describe.skipIf(!adminUrl)('serve --workers restarted by SIGHUP', () => {
  /** Resolves once `test` holds of what the server printed (polled; the test's own timeout bounds it). */
  const until = (test: () => boolean) =>
    new Promise<void>((resolve) => {
      const look = setInterval(() => {
        if (test()) {
          clearInterval(look);
          resolve();
        }
      }, 20);
    });

  it('restarts the workers one at a time, and a stop in the middle of it is a clean stop', async () => {
    const url = await freshDatabase();
    const s = await serve({ DATABASE_URL: url, CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2', '--bootstrap']);
    const pids = /from 2 workers \((\d+), (\d+)\)/.exec(s.output())!.slice(1).map(Number);
    s.child.kill('SIGHUP');
    await until(() => /restart done/.test(s.output()));
    for (const pid of pids) expect(s.output()).toMatch(new RegExp(`listens; retiring ${pid}\\b`));
    expect((await fetch(`${s.url}/netconf/2015/`)).status).toBe(200);
    // Stopped while the restart's first new worker is still starting: that worker served
    // nothing, and the stop is as clean as any other.
    s.child.kill('SIGHUP');
    await until(() => s.output().split('restarting the workers').length === 3);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.output()).not.toMatch(/restart failed|did not stop cleanly/);
    expect(s.output()).toContain('conclave: all workers stopped');
  });
});

describe.skipIf(!adminUrl)('serve --workers: rate limits', () => {
  it('counts a client’s sign-in requests once across the workers, and through a rolling restart', async () => {
    const s = await serve({ DATABASE_URL: await freshDatabase(), CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2']);
    const { port } = new URL(s.url);
    // A new connection each time: the primary deals connections to the workers in turn, so
    // counted in each worker alone the 11th request would be the 6th of one of them.
    const status = (p: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    const link = `/signin/${'x'.repeat(43)}`;
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push(await status(link));
    expect(answers.slice(0, 10).every((c) => c !== 429), answers.join(' ')).toBe(true);
    expect(answers.slice(10), answers.join(' ')).toEqual([429, 429]);
    // Another route keeps its own count.
    expect(await status('/signin')).toBe(200);
    // The count is the primary's: new workers keep it.
    s.child.kill('SIGHUP');
    await new Promise<void>((resolve) => {
      const look = setInterval(() => /restart done/.test(s.output()) && (clearInterval(look), resolve()), 20);
    });
    expect([await status(link), await status(link)]).toEqual([429, 429]);
  });
});

/** Runs `conclave serve ARGS` that is expected to stop by itself: its exit code and all it printed. */
async function serveToExit(extra: Record<string, string>, args: string[] = []): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: root, env: env(extra) });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, out };
}

describe.skipIf(!adminUrl)('serve --workers stopped as a process group', () => {
  it('stops each worker gracefully when it gets SIGTERM from the group and from its primary', async () => {
    // `kill -TERM -PGID`, systemd's default KillMode=control-group, a `timeout` wrapper: every
    // process gets the signal, and each worker gets the primary's SIGTERM besides.
    const url = await freshDatabase();
    const s = await serve({ DATABASE_URL: url, CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2'], { detached: true });
    process.kill(-s.child.pid!, 'SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain('conclave: all workers stopped');
    expect(s.output()).not.toMatch(/did not stop cleanly/);
  });
});

describe.skipIf(!adminUrl)('serve on a port already in use', () => {
  it('exits 1 with the one line naming the port, closing the database after its jobs', async () => {
    const url = await freshDatabase();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-'));
    const first = await serve({ DATABASE_URL: url, CONCLAVE_DATA: data });
    const port = new URL(first.url).port;
    // The second server starts its hourly jobs and its page cache's listener, then fails to listen.
    const { code, out } = await serveToExit({ DATABASE_URL: url, CONCLAVE_DATA: data, PORT: port });
    expect(code).toBe(1);
    expect(out.trim()).toBe(`conclave: PORT=${port}: the port is in use on 127.0.0.1 (another conclave, or another program)`);
  });
});

describe('serve when the database server does not answer', () => {
  it('exits 75, so that systemd starts it again once PostgreSQL is up', async () => {
    const { code, out } = await serveToExit({ DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) });
    expect(code).toBe(75);
    expect(out.trim()).toBe('conclave: DATABASE_URL: cannot connect to postgres://nobody@127.0.0.1:9/none: connect ECONNREFUSED 127.0.0.1:9');
  });
});

describe.skipIf(!adminUrl)('mail ingest when the server goes away under it', () => {
  it('exits 75 and records nothing, so that the MTA keeps the mail and tries again', async () => {
    const url = await freshDatabase();
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-'));
    cleanups.push(async () => fs.rmSync(data, { recursive: true, force: true }));
    // A relay in front of the server, whose connections the test cuts as the server would go down.
    const target = new URL(url);
    const sockets: net.Socket[] = [];
    let lastTraffic = 0;
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.push(client, upstream);
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        a.on('data', (d: Buffer) => ((lastTraffic = Date.now()), b.write(d)));
        a.on('error', () => b.destroy());
        a.on('close', () => b.destroy());
      }
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(url);
    relayed.port = String((relay.address() as net.AddressInfo).port);
    // ingest opens (and migrates) the database, then reads the message from its standard input.
    const child = spawn(process.execPath, [bin, 'mail', 'ingest'], { cwd: root, env: env({ DATABASE_URL: relayed.toString(), CONCLAVE_DATA: data }) });
    children.push(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // Opened and migrated: traffic went through, then a second with none (it waits for its input).
    while (lastTraffic === 0 || Date.now() - lastTraffic < 1000) await new Promise((r) => setTimeout(r, 100));
    relay.close();
    for (const sock of sockets) sock.destroy();
    child.stdin.end('From: someone@example.org\nSubject: Re: Invitation\n\nyes\n');
    expect(await exited).toBe(75);
    // (The pool says first that its idle connection was cut.)
    expect(err).toMatch(/^conclave: PostgreSQL connection lost: .+\nconclave: the database server stopped answering \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); the write under way was not kept; try again\n$/);
    const direct = new pg.Client({ connectionString: url });
    await direct.connect();
    try {
      expect((await direct.query('select count(*)::int as n from inbound_messages')).rows[0].n).toBe(0);
    } finally {
      await direct.end();
    }
  });
});

describe('serve --workers that cannot start', () => {
  it('exits 75 with the worker’s reason when the database server does not answer, starting no others', async () => {
    // A port nothing listens on: no PostgreSQL is needed to see the failure. 75 (EX_TEMPFAIL),
    // not 1, which the unit's RestartPreventExitStatus keeps systemd from retrying.
    const { code, out } = await serveToExit({ DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2']);
    expect(code).toBe(75);
    expect(out).toMatch(/conclave: DATABASE_URL: cannot connect to postgres:\/\/nobody@127\.0\.0\.1:9\/none/);
    expect(out).toMatch(/worker \d+ stopped \(exit 75\) before it listened/);
    expect(out).not.toMatch(/starting another|unexpected error/);
  });
});

describe.skipIf(!adminUrl)('serve --workers whose workers keep dying', () => {
  /** The pids of the workers as the primary names them once they all listen. */
  const workerPids = (out: string) => /from \d+ workers \(([\d, ]+)\)/.exec(out)![1]!.split(', ').map(Number);

  it('exits 75 when no worker can start because the database server does not answer', async () => {
    const url = await freshDatabase();
    const target = new URL(url);
    // A relay in front of the server, stopped as a network would go away.
    const sockets: net.Socket[] = [];
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.push(client, upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => void relay.close());
    const relayed = new URL(url);
    relayed.port = String((relay.address() as net.AddressInfo).port);
    const s = await serve({ DATABASE_URL: relayed.toString(), CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2']);
    relay.close();
    for (const sock of sockets) sock.destroy();
    // One worker dies; each one started in its place finds the server gone and exits 75.
    process.kill(workerPids(s.output())[0]!, 'SIGKILL');
    expect(await s.exited).toBe(75);
    expect(s.output()).toMatch(/worker \d+ stopped \(exit 75\) before it listened/);
    expect(s.output()).toContain('conclave: workers keep dying (more than 5 in a minute), the last for a passing failure (exit 75); stopping, to be started again later');
  });

  it('exits 1 when they die for a reason that waiting does not mend', async () => {
    const url = await freshDatabase();
    const s = await serve({ DATABASE_URL: url, CONCLAVE_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-ops-')) }, ['--workers', '2']);
    // The database is gone for good: a worker started now is told it does not exist (exit 1).
    await adminQuery(adminUrl!, `drop database ${new URL(url).pathname.slice(1)} with (force)`);
    process.kill(workerPids(s.output())[0]!, 'SIGKILL');
    expect(await s.exited).toBe(1);
    expect(s.output()).toMatch(/worker \d+ stopped \(exit 1\) before it listened/);
    expect(s.output()).toContain('conclave: workers keep dying (more than 5 in a minute); stopping');
  });
});
