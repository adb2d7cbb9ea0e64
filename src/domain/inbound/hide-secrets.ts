/**
 * What of an inbound message is kept: the message with its secrets hidden. A reply to an
 * invitation carries the invitee's token twice over, in the `rsvp+<token>@` address it was sent
 * to and in the personal link of the invitation it quotes; and a token is never stored, only its
 * hash (migration 004). The message is matched and acted on as it arrived, in memory; its record
 * (raw bytes, text, reason) keeps each secret hidden the way sent mail keeps it
 * (outbox withoutSecrets): `/invitation/[hidden: …]`, `rsvp+[hidden]@`.
 *
 * The raw bytes are rewritten part by part (mailsplit, mailparser's own splitter): a header line
 * that holds a secret is rewritten; a text part is decoded from its transfer encoding (a link
 * may be cut by a quoted-printable soft break, or be base64), hidden, and encoded again, and left
 * byte for byte as it was when it holds none. Whatever is still literal (a part that is not text,
 * a message the splitter cannot read) is hidden in one last pass over the bytes.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter, type MimeNode } from '@zone-eu/mailsplit';
import { withoutSecrets } from '../mail/outbox.js';

/** The bytes with their secrets hidden, read as Latin-1 so that every other byte stays; null when they hold none. */
function hideBytes(bytes: Buffer): Buffer | null {
  const text = bytes.toString('latin1');
  const hidden = withoutSecrets(text);
  return hidden === text ? null : Buffer.from(hidden, 'latin1');
}

async function through(stream: Transform, bytes: Buffer): Promise<Buffer> {
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.end(bytes);
  await done;
  return Buffer.concat(out);
}

type Chunk = MimeNode | { type: 'data' | 'body'; value: Buffer };

class HideParts extends Transform {
  private node: MimeNode | null = null;
  private body: Buffer[] = [];

  constructor() {
    super({ readableObjectMode: true, writableObjectMode: true });
  }

  override _transform(chunk: Chunk, _enc: BufferEncoding, done: TransformCallback): void {
    if (chunk.type === 'body' && this.node) {
      this.body.push(chunk.value);
      done();
      return;
    }
    this.flushBody().then(() => {
      if (chunk.type === 'node') {
        this.hideHeaders(chunk);
        const type = chunk.contentType || 'text/plain';
        if (!chunk.multipart && type.startsWith('text/')) this.node = chunk;
      } else if (chunk.type === 'data') {
        chunk = { ...chunk, value: hideBytes(chunk.value) ?? chunk.value };
      }
      this.push(chunk);
      done();
    }, done);
  }

  override _flush(done: TransformCallback): void {
    this.flushBody().then(() => done(), done);
  }

  private hideHeaders(node: MimeNode): void {
    if (!node.headers) return;
    for (const line of node.headers.getList()) {
      const hidden = withoutSecrets(line.line);
      if (hidden === line.line) continue;
      line.line = hidden;
      node.headers.changed = true;
    }
  }

  /** The text part read so far, passed on as it was or with its secrets hidden. */
  private async flushBody(): Promise<void> {
    const node = this.node;
    if (!node) return;
    const body = Buffer.concat(this.body);
    this.node = null;
    this.body = [];
    const hidden = hideBytes(await through(node.getDecoder() as Transform, body));
    this.push({ type: 'body', value: hidden ? await through(node.getEncoder() as Transform, hidden) : body });
  }
}

/** The raw message with every personal link, sign-in link and reply-address token hidden. */
export async function hideSecrets(raw: Buffer): Promise<Buffer> {
  let kept = raw;
  try {
    const out: Buffer[] = [];
    const joiner = new Joiner();
    joiner.on('data', (b: Buffer) => out.push(b));
    await pipeline(
      async function* () {
        yield raw;
      },
      new Splitter(),
      new HideParts(),
      joiner,
    );
    kept = Buffer.concat(out);
  } catch {
    // Not readable as MIME: the last pass alone.
  }
  return hideBytes(kept) ?? kept;
}

