import { describe, expect, it } from 'vitest';
import { escapeText, foldLine } from './ical.js';
import { auditRevisions, editionRevision, slotRevisions, uriOf, type AuditRevisionRow } from './schedule.js';
import { escapeXml } from './schedule-xml.js';
import { clockChangeOn, elapsedMinutes, formatOffset, wallMinuteAfter, wallTimeGap, zonedDateTime, zonedInstant, zoneTransitions } from './time-zone.js';
import { uuid5 } from './uuid.js';

describe('uuid5', () => {
  it('matches RFC 9562’s name-based UUIDs', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuid5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});

describe('iCalendar text', () => {
  it('escapes backslash, semicolon, comma and line ends, and drops control characters', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf\x07')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without splitting a character', () => {
    const line = `SUMMARY:${'ä'.repeat(80)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });
});

describe('addresses as URIs', () => {
  it('percent-encodes what a URI may not hold, in a relative address too, and leaves encoded ones', () => {
    expect(uriOf('/files/ab12/my slides ü.pdf')).toBe('/files/ab12/my%20slides%20%C3%BC.pdf');
    expect(uriOf('/files/ab12/my%20slides.pdf')).toBe('/files/ab12/my%20slides.pdf');
    expect(uriOf('https://bücher.example/a b?x=1|2#top')).toBe('https://xn--bcher-kva.example/a%20b?x=1%7C2#top');
    expect(uriOf('slides "v2".pdf')).toBe('slides%20%22v2%22.pdf');
  });
});

describe('XML text', () => {
  it('escapes markup and drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">&'\x01</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('time zones', () => {
  it('gives a local time its offset on that day', () => {
    expect(zonedDateTime('America/Toronto', '2015-02-12', 9 * 60)).toBe('2015-02-12T09:00:00-05:00');
    expect(zonedDateTime('America/Toronto', '2015-06-12', 9 * 60)).toBe('2015-06-12T09:00:00-04:00');
    expect(zonedDateTime('Asia/Kolkata', '2020-01-01', 0)).toBe('2020-01-01T00:00:00+05:30');
    expect(zonedDateTime(null, '2020-01-01', 25 * 60)).toBe('2020-01-02T01:00:00');
  });

  it('reads a skipped hour with the offset before the change, a doubled one as its first time', () => {
    // Berlin skips 02:00–03:00 on 2027-03-28 and repeats 02:00–03:00 on 2027-10-31.
    expect(new Date(zonedInstant('Europe/Berlin', '2027-03-28', 150)).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(new Date(zonedInstant('Europe/Berlin', '2027-10-31', 150)).toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });

  it('tells a wall time the clocks skip or pass twice, with the change', () => {
    expect(wallTimeGap('Europe/Berlin', '2027-03-28', 150)).toEqual({ kind: 'skipped', from: '02:00', to: '03:00' });
    expect(wallTimeGap('Europe/Berlin', '2027-10-31', 150)).toEqual({ kind: 'repeated', from: '03:00', to: '02:00' });
    expect(wallTimeGap('Europe/Berlin', '2027-03-28', 90)).toBeNull();
    expect(wallTimeGap('Europe/Berlin', '2027-03-28', 180)).toBeNull();
    expect(wallTimeGap('Europe/Berlin', '2027-10-31', 180)).toBeNull();
    // Lord Howe changes by half an hour; Sydney's seasons are the other way round.
    expect(wallTimeGap('Australia/Lord_Howe', '2027-04-04', 105)).toEqual({ kind: 'repeated', from: '02:00', to: '01:30' });
    expect(wallTimeGap('Australia/Sydney', '2027-10-03', 150)).toEqual({ kind: 'skipped', from: '02:00', to: '03:00' });
  });

  it('tells the change of the clocks on a day, if any', () => {
    expect(clockChangeOn('Europe/Berlin', '2027-03-28')).toEqual({ from: '02:00', to: '03:00' });
    expect(clockChangeOn('Europe/Berlin', '2027-10-31')).toEqual({ from: '03:00', to: '02:00' });
    expect(clockChangeOn('Europe/Berlin', '2027-03-27')).toBeNull();
    expect(clockChangeOn('America/Chicago', '2014-03-09')).toEqual({ from: '02:00', to: '03:00' });
  });

  it('counts the minutes that pass across a change of the clocks, not the ones the clock shows', () => {
    expect(elapsedMinutes('Europe/Berlin', '2027-03-28', 90, 210)).toBe(60);
    expect(elapsedMinutes('Europe/Berlin', '2027-10-31', 105, 195)).toBe(150);
    expect(elapsedMinutes('Europe/Berlin', '2027-06-01', 600, 660)).toBe(60);
    expect(elapsedMinutes(null, '2027-03-28', 90, 210)).toBe(120);
    // And back: the wall time that many minutes later.
    expect(wallMinuteAfter('Europe/Berlin', '2027-03-28', 90, 60)).toBe(210);
    expect(wallMinuteAfter('Europe/Berlin', '2027-10-31', 105, 150)).toBe(195);
    expect(wallMinuteAfter('Europe/Berlin', '2027-06-01', 1380, 120)).toBe(1500);
  });

  it('finds the year’s offset changes to the minute', () => {
    const { initial, transitions } = zoneTransitions('America/Chicago', 2014, 2014);
    expect(initial).toBe(-360);
    expect(transitions.map((t) => [new Date(t.at).toISOString(), formatOffset(t.from, false), formatOffset(t.to, false)])).toEqual([
      ['2014-03-09T08:00:00.000Z', '-0600', '-0500'],
      ['2014-11-02T07:00:00.000Z', '-0500', '-0600'],
    ]);
    expect(zoneTransitions('Asia/Tokyo', 2020, 2020).transitions).toEqual([]);
  });
});

describe('revisions from the audit trail', () => {
  const move = (at: string): AuditRevisionRow => ({ action: 'schedule.slot.move', at, before: null, after: null });
  const publish = (at: string, before: object): AuditRevisionRow => ({ action: 'schedule.publish', at, before, after: null });
  const kinds = (rows: AuditRevisionRow[], publishedAt: string | null) => auditRevisions(rows, publishedAt).map((r) => `${r.kind} ${String(r.created_at)}`);

  it('counts the slot writes before the first publication from conclave, and every import after the first', () => {
    const imported = { action: 'edition.import', at: '2100-01-01T00:00:00Z', before: null, after: { created: true } };
    const again = { action: 'edition.import', at: '2100-01-05T00:00:00Z', before: null, after: JSON.stringify({ created: false }) };
    expect(kinds([imported, move('2100-01-02T00:00:00Z')], null)).toEqual(['unpublished 2100-01-02T00:00:00Z']);
    const published = [imported, move('2100-01-02T00:00:00Z'), publish('2100-01-03T00:00:00Z', { status: 'tentative', published: false }), move('2100-01-04T00:00:00Z'), again];
    expect(kinds(published, '2100-01-03T00:00:00Z')).toEqual(['unpublished 2100-01-02T00:00:00Z', 'import 2100-01-05T00:00:00Z']);
    // A later publication (as final) changes nothing of what came before it.
    expect(kinds([...published, publish('2100-01-06T00:00:00Z', { status: 'tentative', published: true })], '2100-01-03T00:00:00Z')).toEqual(kinds(published, '2100-01-03T00:00:00Z'));
  });

  it('reads an entry from before publications said whether they were the first by the status it left', () => {
    expect(kinds([move('2100-01-02T00:00:00Z'), publish('2100-01-03T00:00:00Z', { status: 'planned' })], '2100-01-03T00:00:00Z')).toHaveLength(1);
    expect(kinds([move('2100-01-02T00:00:00Z'), publish('2100-01-03T00:00:00Z', { status: 'tentative' })], '2100-01-03T00:00:00Z')).toEqual([]);
    // Published with no entry saying so: every entry is after it.
    expect(kinds([move('2100-01-02T00:00:00Z')], '2100-01-01T00:00:00Z')).toEqual([]);
  });

  it('makes a write that moved other slots a revision of those, by guid, once', () => {
    const day = (at: string): AuditRevisionRow => ({ action: 'schedule.day', at, before: null, after: { end_time: '18:00', alsoMoved: [{ id: 3, guid: 'g7' }] } });
    const moveNext = (at: string): AuditRevisionRow => ({ ...move(at), after: JSON.stringify({ alsoMoved: [{ id: 8, guid: null }] }) });
    // Before the first publication a move revises every slot already: not counted twice.
    expect(kinds([day('2100-01-02T00:00:00Z'), moveNext('2100-01-03T00:00:00Z')], null)).toEqual(['resolved 2100-01-02T00:00:00Z', 'unpublished 2100-01-03T00:00:00Z']);
    const rows = auditRevisions([day('2100-01-02T00:00:00Z'), moveNext('2100-01-03T00:00:00Z')], '2100-01-01T00:00:00Z');
    // Slot 7 was written anew (id 3 before) under the same guid; slot 8 has none, so is named by id.
    expect(Object.fromEntries(slotRevisions([{ id: 7, guid: 'g7' }, { id: 8, guid: null }, { id: 9, guid: 'g9' }], rows))).toEqual({
      7: { sequence: 1, modified: new Date('2100-01-02T00:00:00Z') },
      8: { sequence: 1, modified: new Date('2100-01-03T00:00:00Z') },
    });
  });

  it('makes a material added to or removed from a slot or its topic, or the topic’s abstract changed, a revision of that slot', () => {
    const material = (action: string, at: string, row: object): AuditRevisionRow =>
      action === 'material.add' ? { action, at, before: null, after: row } : { action, at, before: JSON.stringify(row), after: null };
    const rows = auditRevisions(
      [
        material('material.add', '2100-01-02T00:00:00Z', { id: 1, slot_id: 7, topic_id: null }),
        material('material.add', '2100-01-03T00:00:00Z', { id: 2, slot_id: null, topic_id: 4 }),
        material('material.remove', '2100-01-04T00:00:00Z', { id: 1, slot_id: 7, topic_id: null }),
        // The edition's own material is in no slot's event.
        material('material.add', '2100-01-05T00:00:00Z', { id: 3, slot_id: null, topic_id: null }),
        { action: 'topic.update', at: '2100-01-06T00:00:00Z', entity_id: '4', before: { title: 'a', abstract: 'x' }, after: { title: 'a', abstract: 'y' } },
        // A title alone is the changelog's: no revision here.
        { action: 'topic.update', at: '2100-01-07T00:00:00Z', entity_id: '4', before: { title: 'a', abstract: 'y' }, after: { title: 'b', abstract: 'y' } },
      ],
      '2100-01-01T00:00:00Z',
    );
    expect(rows.map((r) => `${r.kind} ${String(r.created_at)}`)).toEqual(['shown 2100-01-02T00:00:00Z', 'shown 2100-01-03T00:00:00Z', 'shown 2100-01-04T00:00:00Z', 'shown 2100-01-06T00:00:00Z']);
    expect(Object.fromEntries(slotRevisions([{ id: 7, guid: 'g7', topicId: null }, { id: 8, guid: 'g8', topicId: 4 }, { id: 9, guid: 'g9', topicId: 5 }], rows))).toEqual({
      7: { sequence: 2, modified: new Date('2100-01-04T00:00:00Z') },
      8: { sequence: 2, modified: new Date('2100-01-06T00:00:00Z') },
    });
  });

  it('makes an edit of the edition a revision of the events whose words it changed, once, its dates of every event once published', () => {
    const row = { title: 'Netconf 2100', subtitle: null, location_text: 'Ottawa', cap: 30, start_date: '2100-02-01', time_zone: 'UTC', schedule_published_at: null };
    const edit = (at: string, change: object, before: object = row): AuditRevisionRow => ({ action: 'edition.update', at, before, after: { ...before, ...change } });
    const published = { ...row, schedule_published_at: '2100-01-01T00:00:00Z' };
    const rows = auditRevisions(
      [
        edit('2100-01-02T00:00:00Z', { cap: 40 }),
        edit('2100-01-03T00:00:00Z', { title: 'Netconf 2100, retitled' }),
        edit('2100-01-04T00:00:00Z', { subtitle: 'A subtitle' }),
        edit('2100-01-05T00:00:00Z', { start_date: '2100-02-02' }),
        edit('2100-01-06T00:00:00Z', { time_zone: 'Europe/Berlin' }),
        // Published from conclave: dates, of every event (with a title, once).
        edit('2100-01-07T00:00:00Z', { start_date: '2100-02-03', title: 'Netconf 2100, again' }, published),
        edit('2100-01-08T00:00:00Z', { location_text: 'Prague' }, published),
        edit('2100-01-09T00:00:00Z', { end_date: '2100-02-05' }, published),
      ],
      null,
    );
    expect(rows.map((r) => `${r.kind} ${r.scope} ${String(r.created_at)}`)).toEqual([
      'edition all 2100-01-03T00:00:00Z',
      'edition edition 2100-01-04T00:00:00Z',
      'edition edition 2100-01-05T00:00:00Z',
      'edition all 2100-01-06T00:00:00Z',
      'edition all 2100-01-07T00:00:00Z',
      'edition all 2100-01-08T00:00:00Z',
      'edition all 2100-01-09T00:00:00Z',
    ]);
    // The changelog's entry of the same edit of the dates (written for a schedule with slots) adds nothing.
    const days = { slot_id: null, kind: 'days', created_at: '2100-01-07T00:00:01Z', after: { startDate: '2100-02-03' } };
    expect(editionRevision([...rows, days])).toEqual({ sequence: 7, modified: new Date('2100-01-09T00:00:00Z') });
    expect(Object.fromEntries(slotRevisions([{ id: 7, guid: 'g7' }], [...rows, days]))).toEqual({ 7: { sequence: 5, modified: new Date('2100-01-09T00:00:00Z') } });
  });

  it('makes each such write a revision of every slot, which an import does not take from them', () => {
    const rows = auditRevisions([move('2100-01-02T00:00:00Z')], null);
    expect(Object.fromEntries(slotRevisions([{ id: 7, guid: 'g7' }, { id: 8, guid: null }], rows))).toEqual({
      7: { sequence: 1, modified: new Date('2100-01-02T00:00:00Z') },
      8: { sequence: 1, modified: new Date('2100-01-02T00:00:00Z') },
    });
  });
});
