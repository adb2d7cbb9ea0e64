/**
 * docs/deploy.md shows the systemd unit and says it is "also in" bench/http/deploy/conclave.service,
 * the file the HTTP benchmark's deployment uses: the two are one text. An operator's trial found
 * the file with lines the page lacked (Documentation=, the journal, four hardening settings and
 * the comments saying why).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './support/cli.js';

describe('the systemd unit in docs/deploy.md', () => {
  it('is the unit file, line for line', () => {
    const doc = fs.readFileSync(path.join(projectRoot, 'docs/deploy.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## 5. The systemd unit'));
    const block = /```ini\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(fs.readFileSync(path.join(projectRoot, 'bench/http/deploy/conclave.service'), 'utf8'));
  });
});
