/** Real Chromium through playwright-core: Debian's binary, never a downloaded one. */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function hasChromium(): boolean {
  return fs.existsSync(chromiumPath());
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The names a screen reader gives the links, buttons or groups (fieldsets) of `html` (a page or
 * a part of one), in order, as Chromium computes them (aria-labelledby included): what its list
 * of links or buttons reads. JavaScript off; nothing is fetched (the page is given, at about:blank).
 */
export async function accessibleNames(browser: Browser, html: string, role: 'link' | 'button' | 'group'): Promise<string[]> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html);
    const names: string[] = [];
    for (const el of await page.getByRole(role).all()) {
      // The name as the accessibility tree has it: ariaSnapshot of the one element, `- button "…"`,
      // in YAML's single quotes when the name has a colon (`- 'link "Edit: 2027"':`).
      let line = (await el.ariaSnapshot()).split('\n')[0]!.replace(/^- /, '').replace(/:$/, '');
      if (line.startsWith("'")) line = line.slice(1, -1).replace(/''/g, "'");
      const m = /^\w+ "((?:[^"\\]|\\.)*)"/.exec(line);
      names.push(m ? (JSON.parse(`"${m[1]}"`) as string) : '');
    }
    return names;
  } finally {
    await context.close();
  }
}
