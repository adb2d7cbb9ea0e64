/**
 * The name an uploaded file came with. The multipart plugin (attachFieldsToBody 'keyValues')
 * keeps only the bytes of a file field; the routes that register this hook also learn its name,
 * as sent (busboy's basename cut is turned off), which materials check and serve the file under.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const names = new WeakMap<FastifyRequest, Map<string, string>>();

type Parts = FastifyRequest['parts'];

/** Adds an onRequest hook to the routes of `app` that records each file field's name. */
export function rememberUploadNames(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    // isMultipart() is known only once the body is parsed: look at the header.
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return;
    const seen = new Map<string, string>();
    names.set(req, seen);
    const parts = req.parts.bind(req);
    const wrapped = ((opts?: Parameters<Parts>[0]) => {
      // Busboy would cut "../../etc/passwd" down to "passwd" without a word: keep the name as
      // sent, so that such a name is refused with a reason instead of silently rewritten.
      const it = parts({ ...opts, preservePath: true } as Parameters<Parts>[0]);
      return (async function* () {
        for await (const part of it) {
          if (part.type === 'file') seen.set(part.fieldname, sentName(part.filename));
          yield part;
        }
      })();
    }) as Parts;
    Object.defineProperty(req, 'parts', { value: wrapped, configurable: true, writable: true });
  });
}

/**
 * A file name as a browser writes it in a multipart form: the HTML standard has it send `"` as
 * %22 and a line break (CR, LF) as %0D and %0A, and nothing else escaped. Those three are decoded,
 * so that `"co".pdf` is kept as typed; a line break, a control character no one-line name takes,
 * becomes a space.
 */
export function sentName(name: string): string {
  return name.replace(/%(?:22|0D|0A)/g, (e) => (e === '%22' ? '"' : ' '));
}

/** The name the browser gave the file sent in `field`, or undefined. */
export function uploadName(req: FastifyRequest, field: string): string | undefined {
  return names.get(req)?.get(field);
}
