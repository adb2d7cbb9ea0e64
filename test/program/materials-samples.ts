/**
 * Samples for the materials tests: tiny stored (uncompressed) zip archives (ODF, OpenOffice 1.x,
 * Keynote), a minimal PDF, and an edition with speakers who accepted their invitations.
 */
import zlib from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';

function crc32(b: Buffer): number {
  if (typeof (zlib as { crc32?: (b: Buffer) => number }).crc32 === 'function') return (zlib as unknown as { crc32: (b: Buffer) => number }).crc32(b);
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A zip whose entries are stored in the given order (ODF wants `mimetype` first). */
export function makeZip(entries: [string, string | Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

export const odp = () =>
  makeZip([
    ['mimetype', 'application/vnd.oasis.opendocument.presentation'],
    ['content.xml', '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'],
    ['META-INF/manifest.xml', '<?xml version="1.0"?><manifest/>'],
  ]);
export const sxi = () =>
  makeZip([
    ['mimetype', 'application/vnd.sun.xml.impress'],
    ['content.xml', '<?xml version="1.0"?><office:document-content/>'],
    ['META-INF/manifest.xml', '<?xml version="1.0"?><manifest/>'],
  ]);
export const keynote = () =>
  makeZip([
    ['Index/Document.iwa', Buffer.from([0, 1, 2, 3])],
    ['Metadata/Properties.plist', 'bplist00'],
  ]);

// --- an edition with a speaker, for the materials tests ------------------------------------------


export interface SpeakerEdition {
  editionId: number;
  series: string;
  year: number;
  /** Ana speaks in `slotId` and presents `topicId`; Bo speaks in `otherSlotId`. */
  ana: { personId: number; token: string; email: string };
  bo: { personId: number; token: string; email: string };
  slotId: number;
  otherSlotId: number;
  topicId: number;
  deps: ReturnType<typeof makeDeps>;
}

/** A tentative edition with an agenda day, two talks and a topic; two invitees who accepted. */
export async function speakerEdition(db: Kysely<Database>, baseUrl?: string): Promise<SpeakerEdition> {
  const editionId = await makeEdition(db, { status: 'tentative', title: 'Netconf Materials', start_date: '2027-07-14', end_date: '2027-07-15', answer_by: '2027-06-01' });
  const deps = makeDeps(db);
  if (baseUrl) deps.mail.baseUrl = baseUrl;
  const e = await db.selectFrom('editions').innerJoin('series', 'series.id', 'editions.series_id').select(['editions.year', 'series.slug']).where('editions.id', '=', editionId).executeTakeFirstOrThrow();
  const [a, b] = await inviteGuests(deps, editionId, 2, 1000 + editionId * 10);
  await acceptInvitation(deps, { token: a!.token });
  await acceptInvitation(deps, { token: b!.token });
  const inv = async (sent: { id: number }) => db.selectFrom('invitations').select(['person_id', 'email']).where('id', '=', sent.id).executeTakeFirstOrThrow();
  const ia = await inv(a!);
  const ib = await inv(b!);
  const day = await db.insertInto('agenda_days').values({ edition_id: editionId, date: '2027-07-14', label: 'Wednesday', position: 0 }).returning('id').executeTakeFirstOrThrow();
  const topic = await db
    .insertInto('topics')
    .values({ edition_id: editionId, number: 1, title: 'XDP offloads', origin: 'proposal', state: 'accepted', proposer_id: ia.person_id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('topic_presenters').values({ topic_id: topic.id, person_id: ia.person_id, position: 0 }).execute();
  const slot = await db.insertInto('slots').values({ day_id: day.id, start_time: '10:00', end_time: '11:00', kind: 'talk', title: 'Traffic control', talk_title: 'Traffic control', position: 0 }).returning('id').executeTakeFirstOrThrow();
  const other = await db.insertInto('slots').values({ day_id: day.id, start_time: '11:00', end_time: '12:00', kind: 'talk', title: 'Netfilter', talk_title: 'Netfilter', position: 1 }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: ia.person_id, name_as_listed: 'Ana', position: 0 }).execute();
  await db.insertInto('slot_speakers').values({ slot_id: other.id, person_id: ib.person_id, name_as_listed: 'Bo', position: 0 }).execute();
  return {
    editionId,
    series: e.slug,
    year: e.year,
    ana: { personId: ia.person_id, token: a!.token, email: ia.email },
    bo: { personId: ib.person_id, token: b!.token, email: ib.email },
    slotId: slot.id,
    otherSlotId: other.id,
    topicId: topic.id,
    deps,
  };
}

export { COMMITTEE };
