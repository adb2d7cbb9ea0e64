/**
 * An edition's mail templates list as lynx reads it: lynx has no style sheet and runs a table
 * row's cells together, far below the column heads, so that the list read as one paragraph
 * ("invitation the personal invitation to an edition built-in default Subject of …"), each row
 * running into the next. Each cell now starts a line of its own there, named as its column.
 */
import { describe, expect, it } from 'vitest';
import { TEMPLATE_KEYS, templateKeys } from '../src/domain/mail/template-keys.js';
import type { TemplateView } from '../src/domain/mail/templates.js';
import { TemplatesPage } from '../src/web/views/admin/templates.js';
import { hasLynx, lynxDump } from './support/lynx.js';

// Only what the view reads: rendering is the subject, not the database.
const rows = templateKeys.map((key) => ({
  key,
  about: TEMPLATE_KEYS[key].about,
  note: key === 'schedule-removed' ? 'is the built-in default beside your own schedule-change' : null,
  view: {
    key,
    editionId: key === 'signin' ? null : 1,
    origin: key === 'reminder' ? 'edition' : 'default',
    updatedAt: key === 'reminder' ? new Date('2027-01-02T03:04:00Z') : null,
    subject: `About <${key}>: {{edition_title}}`,
    body: '',
  } as TemplateView,
}));

const html = () =>
  TemplatesPage({ account: { accountId: 1, email: 'chair@example.org', name: 'Pat Chair' }, csrf: 'token', title: 'Netconf 2027', base: '/admin/editions/netconf/2027/templates', rows });

describe('the mail templates list in lynx', () => {
  it('names each cell for a text browser, out of sight where the table shows its column heads', async () => {
    const page = await html();
    expect(page).toContain('<td><span class="text-only"><br /><span>Used for: </span></span><span>the personal invitation to an edition</span></td>');
    expect(page).toContain('<td><span class="text-only"><br /><span>Subject: </span></span><span>About &lt;invitation>: {{edition_title}}</span></td>');
  });

  it.runIf(hasLynx)('reads each template as its own item, each part on a line named as its column', async () => {
    for (const width of [80, 200]) {
      const text = lynxDump(await html(), { width, list: false });
      // Each item's lines, joined where lynx wrapped a long "Used for".
      const items = text
        .slice(text.indexOf('Template: '), text.indexOf('Served by conclave'))
        .split(/\n(?= *Template: )/)
        .map((item) => item.replace(/\n +(?! *(Used for|Text in force|Note|Subject): )/g, ' ').split('\n').map((l) => l.trim()).filter(Boolean));
      expect(items, `${width}`).toHaveLength(templateKeys.length);
      expect(items[0], `${width}`).toEqual(['Template: invitation', `Used for: ${TEMPLATE_KEYS.invitation.about}`, 'Text in force: built-in default', 'Subject: About <invitation>: {{edition_title}}']);
      expect(items[1], `${width}`).toEqual(['Template: reminder', `Used for: ${TEMPLATE_KEYS.reminder.about}`, 'Text in force: this edition’s own, saved 2027-01-02 03:04', 'Subject: About <reminder>: {{edition_title}}']);
      const removed = items.find((i) => i[0] === 'Template: schedule-removed');
      expect(removed, `${width}`).toEqual([
        'Template: schedule-removed',
        `Used for: ${TEMPLATE_KEYS['schedule-removed'].about}`,
        'Text in force: built-in default',
        'Note: schedule-removed is the built-in default beside your own schedule-change.',
        'Subject: About <schedule-removed>: {{edition_title}}',
      ]);
      for (const item of items) expect(item.map((l) => l.split(':')[0]), `${width} ${item[0]}`).toEqual(expect.arrayContaining(['Template', 'Used for', 'Text in force', 'Subject']));
    }
  });
});
