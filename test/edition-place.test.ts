/**
 * The place an edition shows ("Lisbon, Portugal") after an edit of its city, region or country:
 * from the CLI (only the changed option given) and from the web form (every field sent back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { createEdition, updateEdition } from '../src/domain/editions/edit-edition.js';
import { testDatabases } from './support/db.js';
import { makeDeps } from './invitations/fixtures.js';

const actor = { accountId: null, label: 'test' };

describe.each(testDatabases())('the place of an edition on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  const place = async (year: number) =>
    (await handle.db.selectFrom('editions').select('location_text').where('year', '=', year).executeTakeFirstOrThrow()).location_text;

  it('follows the city, region and country when it was made of them', async () => {
    const deps = makeDeps(handle.db);
    await createEdition(deps, actor, { series: 'Netconf', year: 2091, fields: { city: 'Lisbon', country: 'Portugal' } as never });
    expect(await place(2091)).toBe('Lisbon, Portugal');
    const edit = (fields: Record<string, unknown>) => updateEdition(deps, actor, { series: 'netconf', year: 2091, fields });
    // The CLI: `edition update 2091 --city Porto`.
    expect((await edit({ city: 'Porto' })).placeKept).toBeNull();
    expect(await place(2091)).toBe('Porto, Portugal');
    await edit({ region: 'Norte' });
    expect(await place(2091)).toBe('Porto, Norte, Portugal');
    await edit({ region: '' });
    expect(await place(2091)).toBe('Porto, Portugal');
    // The web form: every field sent back, the place as it was shown.
    await edit({ city: 'Braga', region: '', country: 'Portugal', locationText: 'Porto, Portugal' });
    expect(await place(2091)).toBe('Braga, Portugal');
  });

  it('keeps a place typed by hand until it is changed, and makes it of the parts again when emptied', async () => {
    const deps = makeDeps(handle.db);
    await createEdition(deps, actor, { series: 'Netconf', year: 2092, fields: { city: 'Montreal', country: 'Canada', locationText: 'Palais des congrès, Montreal' } as never });
    const edit = (fields: Record<string, unknown>) => updateEdition(deps, actor, { series: 'netconf', year: 2092, fields });
    const kept = await edit({ city: 'Montréal', country: 'Canada', locationText: 'Palais des congrès, Montreal' });
    expect(await place(2092)).toBe('Palais des congrès, Montreal');
    // Said, since the city moved and the place did not.
    expect(kept.placeKept).toBe(
      'The place shown stays “Palais des congrès, Montreal”, as it was typed (or as the archive\'s page gave it), not “Montréal, Canada”: change it too, or empty it to show the city, region and country.',
    );
    expect((await edit({ locationText: 'Palais des congrès, Montréal' })).placeKept).toBeNull();
    expect(await place(2092)).toBe('Palais des congrès, Montréal');
    await edit({ locationText: '' });
    expect(await place(2092)).toBe('Montréal, Canada');
    await edit({ country: 'CA' });
    expect(await place(2092)).toBe('Montréal, CA');
  });
});
