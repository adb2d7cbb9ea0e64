/** Configuration from the environment: each wrong value named, with what is wrong with it. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('makes the links of a server on an IPv6 address with it in brackets', () => {
    expect(loadConfig({ HOST: '::1', PORT: '3000' }).baseUrl).toBe('http://[::1]:3000');
    // Every interface: the links say localhost.
    expect(loadConfig({ HOST: '::', PORT: '3000' }).baseUrl).toBe('http://localhost:3000');
  });
});
