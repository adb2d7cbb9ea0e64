/**
 * Generates a synthetic kernel-like history with `git fast-import`, for the miner benchmark:
 *
 *   npx tsx bench/miner/generate.ts DIR [COMMITS=100000] [AUTHORS=500]
 *
 * Authors follow a Zipf-like law (a few write most); 20 maintainers sign off the patches of
 * their area; trailers as netdev writes them: Signed-off-by (author and maintainer),
 * Reviewed-by (~35 %), Acked-by (~15 %), Tested-by (~10 %), Reported-by (~6 %), Suggested-by
 * (~3 %), Co-developed-by with its sign-off (~2 %), Fixes/Link/Cc noise, and a few malformed
 * ones. Each commit changes 1–3 of ~1,500 files under net/, drivers/net/, include/ and tools/.
 * Dates advance from 2008 to 2026. A .mailmap folds a second address of 50 authors. Deterministic.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';

const [dir, nArg, aArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: generate.ts DIR [COMMITS] [AUTHORS]');
  process.exit(2);
}
const COMMITS = Number(nArg ?? 100000);
const AUTHORS = Number(aArg ?? 500);

let seed = 12345;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
const zipf = (n: number) => Math.min(n - 1, Math.floor(n * rnd() ** 3));

const first = ['Alice', 'Bob', 'Chen', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jakub', 'Kofi', 'Lena', 'Marek', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq'];
const last = ['Andersen', 'Brown', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ivanov', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Olsen', 'Petrov', 'Quist', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Vogel', 'Weber', 'Xu', 'Yilmaz', 'Zhang'];
const domains = ['kernel.org', 'redhat.com', 'nvidia.com', 'intel.com', 'google.com', 'suse.de', 'gmail.com', 'meta.com'];
const people = Array.from({ length: AUTHORS }, (_, i) => {
  const name = `${first[i % first.length]} ${last[Math.floor(i / first.length) % last.length]}${i >= first.length * last.length ? ` ${i}` : ''}`;
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@${domains[i % domains.length]}`;
  return { name, email, alt: i < 50 ? email.replace(/@.*/, '@old.example.com') : null };
});
const ident = (p: { name: string; email: string }) => `${p.name} <${p.email}>`;
const maintainers = people.slice(0, 20);

const areas = ['net/ipv4', 'net/ipv6', 'net/core', 'net/sched', 'net/bridge', 'net/netfilter', 'net/mptcp', 'include/net', 'include/linux', 'tools/testing/selftests/net'];
for (let v = 0; v < 20; v++) areas.push(`drivers/net/ethernet/vendor${v}`);
const files: string[] = [];
for (const a of areas) for (let f = 0; f < 50; f++) files.push(`${a}/file${f}.c`);
const contents = new Map<string, string[]>();

// A missing directory becomes a new bare repository (else spawn reports "spawn git ENOENT").
if (!fs.existsSync(dir)) execFileSync('git', ['init', '-q', '--bare', dir]);
const fi = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
let out: string[] = [];
let size = 0;
async function emit(s: string) {
  out.push(s);
  size += s.length;
  if (size > 1 << 20) await flushOut();
}
async function flushOut() {
  const s = out.join('');
  out = [];
  size = 0;
  if (!fi.stdin.write(s)) await new Promise((r) => fi.stdin.once('drain', r));
}
const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;

const start = Date.UTC(2008, 0, 1) / 1000;
const span = Date.UTC(2026, 0, 1) / 1000 - start;
for (let i = 0; i < COMMITS; i++) {
  const t = Math.floor(start + (span * i) / COMMITS);
  const author = people[zipf(AUTHORS)]!;
  const useAlt = author.alt && rnd() < 0.3;
  const aid = useAlt ? { name: author.name, email: author.alt! } : author;
  const area = Math.floor(rnd() * areas.length);
  const maint = maintainers[area % maintainers.length]!;
  const tr: string[] = [];
  const other = () => people[zipf(AUTHORS)]!;
  if (rnd() < 0.06) tr.push(`Reported-by: ${ident(other())}`);
  if (rnd() < 0.03) tr.push(`Suggested-by: ${ident(other())}`);
  if (rnd() < 0.3) tr.push(`Fixes: ${(i * 2654435761 >>> 0).toString(16).padStart(12, '0')} ("net: an older change")`);
  if (rnd() < 0.2) tr.push(`Link: https://lore.kernel.org/r/${i}@example.org`);
  tr.push(`Signed-off-by: ${ident(aid)}`);
  if (rnd() < 0.02) {
    const co = other();
    tr.push(`Co-developed-by: ${ident(co)}`, `Signed-off-by: ${ident(co)}`);
  }
  if (rnd() < 0.35) tr.push(`Reviewed-by: ${ident(other())}`);
  if (rnd() < 0.15) tr.push(`Acked-by: ${ident(other())}`);
  if (rnd() < 0.1) tr.push(`Tested-by: ${ident(other())}`);
  if (rnd() < 0.005) tr.push(`Reviewed-by: ${other().name}`);
  if (maint !== author) tr.push(`Signed-off-by: ${ident(maint)}`);
  const msg = `${areas[area]}: change number ${i}\n\nThis explains change ${i} in a few words,\nas a commit message would.\n\n${tr.join('\n')}\n`;
  let mods = '';
  const nFiles = 1 + Math.floor(rnd() * rnd() * 3);
  for (let k = 0; k < nFiles; k++) {
    const f = rnd() < 0.8 ? `${areas[area]}/file${Math.floor(rnd() * 50)}.c` : pick(files);
    const lines = contents.get(f) ?? Array.from({ length: 30 }, (_, j) => `/* ${f} line ${j} */`);
    const edits = 1 + Math.floor(rnd() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * lines.length);
      const r = rnd();
      if (r < 0.5) lines[at] = `\tdo_something(${i}, ${e}); /* changed */`;
      else if (r < 0.85 || lines.length < 10) lines.splice(at, 0, `\tnew_call(${i}, ${e});`);
      else lines.splice(at, 1);
    }
    if (lines.length > 60) lines.splice(0, lines.length - 40);
    contents.set(f, lines);
    mods += `M 100644 inline ${f}\n${data(lines.join('\n') + '\n')}`;
  }
  if (i === 0) {
    const mailmap = people.filter((p) => p.alt).map((p) => `${ident(p)} <${p.alt}>`).join('\n') + '\n';
    mods += `M 100644 inline .mailmap\n${data(mailmap)}`;
  }
  await emit(`commit refs/heads/main\nmark :${i + 1}\nauthor ${ident(aid)} ${t} +0000\ncommitter ${ident(maint)} ${t + 3600} +0000\n${data(msg)}${i ? `from :${i}\n` : ''}${mods}\n`);
}
await emit('done\n');
await flushOut();
fi.stdin.end();
const code = await new Promise((r) => fi.on('close', r));
if (code !== 0) process.exit(1);
fs.writeFileSync(`${dir}/HEAD`, 'ref: refs/heads/main\n');
console.error(`generated ${COMMITS} commits by ${AUTHORS} authors in ${dir}`);
