/**
 * A small cookie-keeping client over app.inject(), reading forms as a browser would: it picks up
 * the CSRF token from the page's form and sends it back.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DomUtils, parseDocument } from 'htmlparser2';

export class Client {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } }));
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      }),
    );
  }

  /** GETs `page`, takes the CSRF token of its first form, and POSTs `form` with it to `action`. */
  async submit(page: string, action: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    const res = await this.get(page);
    return this.post(action, { _csrf: csrfOf(res.body), ...form });
  }
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

/** The value of the field `name` as a browser reads it (entities decoded), as it would send it back. */
export function fieldValue(html: string, name: string): string | undefined {
  const el = DomUtils.findOne((e) => (e.name === 'input' || e.name === 'textarea') && e.attribs.name === name, parseDocument(html).children);
  if (!el) return undefined;
  return el.name === 'textarea' ? DomUtils.textContent(el) : (el.attribs.value ?? '');
}
