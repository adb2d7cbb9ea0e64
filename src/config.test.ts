/** Configuration from the environment: each wrong value named, with what is wrong with it. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('makes the links of a server on an IPv6 address with it in brackets', () => {
    expect(loadConfig({ HOST: '::1', PORT: '3000' }).baseUrl).toBe('http://[::1]:3000');
    // Every interface: the links say localhost.
    expect(loadConfig({ HOST: '::', PORT: '3000' }).baseUrl).toBe('http://localhost:3000');
  });

  it('says a comment after a value is part of it, as systemd reads an EnvironmentFile', () => {
    // The same file sourced by a shell drops the comment; systemd keeps it in the value.
    const comment = 'ends in a comment, which systemd reads as part of the value: put comments on lines of their own';
    expect(() => loadConfig({ HOST: '127.0.0.1   # only nginx talks to it' })).toThrow(`HOST="127.0.0.1   # only nginx talks to it": ${comment}`);
    expect(() => loadConfig({ CONCLAVE_DATA: '/var/lib/conclave  # uploaded files' })).toThrow(`CONCLAVE_DATA="/var/lib/conclave  # uploaded files": ${comment}`);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://conclave@127.0.0.1/conclave # the database' })).toThrow(new RegExp(`DATABASE_URL=.*: ${comment}$`));
    // One reason a variable, not every check it fails.
    expect(() => loadConfig({ HOST: '127.0.0.1 # x' })).not.toThrow(/host name/);
  });

  it('refuses a HOST that is no host name or address', () => {
    expect(() => loadConfig({ HOST: 'local host' })).toThrow('HOST="local host": must be a host name or an address, such as localhost, 127.0.0.1 or 0.0.0.0');
    expect(() => loadConfig({ HOST: 'http://localhost' })).toThrow(/HOST="http:\/\/localhost": must be a host name/);
    for (const host of ['localhost', '127.0.0.1', '0.0.0.0', '::', '::1', 'conclave.example.org']) expect(loadConfig({ HOST: host }).host).toBe(host);
    // A path with a # in it that is no comment is a path.
    expect(loadConfig({ CONCLAVE_DATA: '/srv/conclave#2' }).dataDir).toBe('/srv/conclave#2');
  });

  it('refuses a BASE_URL that is not http(s), or not the site\'s root', () => {
    expect(() => loadConfig({ BASE_URL: 'ftp://x.org' })).toThrow('BASE_URL="ftp://x.org": must be an http:// or https:// URL such as https://netconf.example.org');
    expect(() => loadConfig({ BASE_URL: 'https://x.org/conclave/' })).toThrow(
      'BASE_URL="https://x.org/conclave/": must be the site\'s root, such as https://netconf.example.org: conclave is not served under a path (its pages link from /)',
    );
    for (const url of ['https://x.org', 'https://x.org/', 'http://127.0.0.1:3000']) expect(loadConfig({ BASE_URL: url }).baseUrl).toBe(url.replace(/\/$/, ''));
  });
});
