/**
 * What each kind of mail may say: its placeholders (with a sample value for previews) and the
 * text built into conclave, used until the committee saves its own. Placeholders are written
 * `{{name}}`; values are plain text, put in as given (mail is text/plain, nothing to escape).
 */
import { invitationLink } from '../invitations/tokens.js';

export interface PlaceholderSpec {
  /** What the value is, for the template editor. */
  about: string;
  /** What a preview shows in its place. */
  sample: string;
  /**
   * In a subject, a value longer than this is cut at a word, with "..." (wrap.ts cutAtWord): a
   * topic's title can run to 200 characters, which a subject must not. The body has it whole.
   */
  subjectMax?: number;
  /**
   * The value carries a secret (a token: whoever has it acts as its person), named here for the
   * refusal: it may go in the body only, which the committee's views hide once sent. A subject is
   * shown to the whole committee (/admin/mail, `conclave mail list`) and kept in mail logs.
   */
  secret?: string;
}

/** How much of a talk's or topic's title a subject keeps (schedule-change's headline too). */
export const SUBJECT_TITLE_MAX = 36;

export interface TemplateKeySpec {
  about: string;
  placeholders: Record<string, PlaceholderSpec>;
  /**
   * Placeholders the body must keep: the personal or sign-in link a mail is the only way to
   * deliver (the database keeps only its hash), so that a text without it cannot be saved.
   */
  required?: readonly string[];
  subject: string;
  body: string;
}

/** Where the samples' links point (and the edition their paths name), for previews to replace. */
const SAMPLE_SITE = 'https://netconf.example.org';
const SAMPLE_EDITION = '/netconf/2026/';

/**
 * A personal token as conclave issues them (43 characters), so that a preview's sample link has
 * the real link's form and length, and the preview the real mail's layout.
 */
export const SAMPLE_TOKEN = 'Qm9k8Zr1xW7vN2cT5pL0sJ4hF6gD3bY9aE8uK1oI7tR';

const edition = {
  name: { about: 'the invitee’s name', sample: 'Ada Lovelace' },
  edition_title: { about: 'the edition’s title', sample: 'Netconf 2026' },
  edition_dates: { about: 'the edition’s dates, as written', sample: 'May 11-13, 2026' },
  edition_place: { about: 'where it takes place', sample: 'Lisbon, Portugal' },
  link: { about: 'the personal answer page (under BASE_URL)', sample: invitationLink(SAMPLE_SITE, SAMPLE_TOKEN), secret: 'the invitee’s personal link, which answers as them' },
  answer_by: { about: 'the date to answer by', sample: 'April 10, 2026' },
  committee: { about: 'the program committee’s names', sample: 'The Netconf program committee' },
  edition_colocated: { about: 'the event it is held with, as one line (its name, dates and place), or empty when none', sample: 'Netdev 0x1a, May 7-9, 2026, Lisbon' },
  edition_time_zone: { about: 'the time zone of its schedule (an IANA name), or empty when none is set', sample: 'Europe/Lisbon' },
  edition_held_with: {
    about: 'the sentence naming the event it is held with ("It is held with " and {{edition_colocated}}), ending in a line break; empty when none: put at the start of a line, that line is gone when there is none',
    sample: 'It is held with Netdev 0x1a, May 7-9, 2026, Lisbon.\n',
  },
} satisfies Record<string, PlaceholderSpec>;

/** The sample edition's title, which a preview of an edition's text replaces with its own. */
export const SAMPLE_EDITION_TITLE = edition.edition_title.sample;

/** Every kind of mail conclave writes: placeholders with samples, and the built-in text. */
export const TEMPLATE_KEYS = {
  invitation: {
    about: 'the personal invitation to an edition',
    placeholders: edition,
    required: ['link'],
    subject: 'Invitation to {{edition_title}}',
    body: `Hello {{name}},

we would like to invite you to {{edition_title}}, {{edition_dates}},
in {{edition_place}}.
{{edition_held_with}}
{{edition_title}} is a small, invitation-only workshop: the people
who write and maintain the code, together in one room, talking
through what is broken and what should come next.

Please let us know by {{answer_by}} whether you can come, on your
personal page:

  {{link}}

or just by replying "yes" or "no" to this mail. The link is yours
alone, please do not forward it. Questions? Reply as well: your mail
reaches the committee.

Thanks,
{{committee}}
`,
  },
  reminder: {
    about: 'a reminder to someone who has not answered, sent in the invitation’s thread',
    placeholders: {
      ...edition,
      days_left: { about: 'days left until the answer date, a number (0 on the day itself)', sample: '5' },
      time_left: { about: 'when the answer date is, in words: "in 5 days", "tomorrow" or "today"', sample: 'in 5 days' },
    },
    subject: 'Re: Invitation to {{edition_title}}',
    body: `Hello {{name}},

a gentle reminder: we have not heard from you yet about
{{edition_title}} ({{edition_dates}}, {{edition_place}}).
Please answer by {{answer_by}}, {{time_left}}:

  {{link}}

If you cannot make it this time, a "no" helps us as well: it lets
us offer the seat to someone on the waiting list.

Thanks,
{{committee}}
`,
  },
  'waitlist-promoted': {
    about: 'the mail telling someone on the waiting list that a freed seat is theirs: they are in',
    placeholders: edition,
    subject: 'You are in: a seat at {{edition_title}} is yours',
    // The paragraph the edition's values fill is one line: however long they are, it is longer
    // than 72 columns, and so filled as a whole (wrap.ts), never broken where the sample broke.
    body: `Hello {{name}},

good news: a seat at {{edition_title}} ({{edition_dates}}, {{edition_place}}) has opened up, and as the first on the waiting list it is now yours. You are on the list of attendees; there is nothing more you need to do.

If your plans have changed and you cannot come after all, please
tell us on your page, so that we can offer the seat to the next
person:

  {{link}}

Thanks,
{{committee}}
`,
  },
  'answer-confirmed': {
    about: 'the confirmation to an invitee who answered on their personal page (yes, no, a change of mind or a withdrawal), in the invitation’s thread; an answer by mail is confirmed by inbound-rsvp instead',
    placeholders: {
      name: edition.name,
      edition_title: edition.edition_title,
      status: { about: 'where the invitation now stands, in a sentence or two', sample: `You are on the list of attendees of ${SAMPLE_EDITION_TITLE}.` },
      next_step: {
        about: 'what to do if the answer is not what they meant: change it on their page until the answer-by date, or (after a withdrawal, which is final) write to the committee',
        sample: `If that is not what you meant, you can change your answer on your personal page (the link in your invitation mail) until ${edition.answer_by.sample}.`,
      },
      committee: edition.committee,
    },
    subject: 'Re: Invitation to {{edition_title}}',
    body: `Hello {{name}},

thank you for your answer about {{edition_title}}, given on your
personal page:

  {{status}}

{{next_step}}

Thanks,
{{committee}}
`,
  },
  'topic-decision': {
    about: 'the mail to each presenter of a proposed topic, when the committee accepts, declines or asks for changes',
    placeholders: {
      name: { about: 'the presenter’s name', sample: 'Ada Lovelace' },
      edition_title: edition.edition_title,
      topic_title: { about: 'the topic’s title (in the subject, its first words when long)', sample: 'XDP offloads, three years on', subjectMax: SUBJECT_TITLE_MAX },
      decision: { about: 'the decision: accepted, declined, or changes requested', sample: 'accepted' },
      comment: { about: 'the committee’s comment (may be empty when accepting)', sample: 'Thirty minutes, on the second day.' },
      whose: {
        about: 'whose topic it is, to this presenter: "you proposed", or "Ada Lovelace proposed with you" to a co-presenter',
        sample: 'you proposed',
      },
      next_step: {
        about: 'what happens next, for this decision and this presenter (who can edit the proposal)',
        sample: 'It will be on the schedule; you will hear from us when the schedule is published.',
      },
      committee: edition.committee,
    },
    subject: 'Your topic for {{edition_title}} ({{decision}}): {{topic_title}}',
    body: `Hello {{name}},

the committee has read the topic {{whose}} for {{edition_title}},

  "{{topic_title}}"

and its decision is: {{decision}}.

{{comment}}

{{next_step}} Questions? Just reply to this mail.

Thanks,
{{committee}}
`,
  },
  'topic-revised': {
    about: 'the mail to each committee member, when a proposer saves a topic the committee asked changes to: it is proposed again',
    placeholders: {
      name: { about: 'the proposer’s name', sample: 'Ada Lovelace' },
      edition_title: edition.edition_title,
      topic_number: { about: 'the topic’s number in the edition', sample: '3' },
      topic_title: { about: 'the topic’s title, as revised (in the subject, its first words when long)', sample: 'XDP offloads, three years on', subjectMax: SUBJECT_TITLE_MAX },
      changes: {
        about: 'what the proposer changed, a line or two each, indented: the title and length before and now, the abstract’s length before and now, the co-presenters; or that nothing changed',
        sample: '  Title, before: XDP offloads\n  Title, now: XDP offloads, three years on\n  Abstract: rewritten (412 characters before, 530 now)',
      },
      comment: { about: 'the committee’s comment that asked for the changes, indented', sample: '  Please say what changed since last year’s talk.' },
      link: { about: 'the topic on the committee’s topics page (under BASE_URL)', sample: 'https://netconf.example.org/admin/editions/netconf/2026/topics#topic-3' },
    },
    subject: 'Topic #{{topic_number}} for {{edition_title}} revised: {{topic_title}}',
    body: `{{name}} revised topic #{{topic_number}} for {{edition_title}},
which the committee had asked changes to:

  "{{topic_title}}"

What changed:

{{changes}}

The committee had asked:

{{comment}}

The topic is proposed again and waits for your decision:

  {{link}}

This mail is sent by conclave to every member of the committee.
`,
  },
  signin: {
    about: 'a committee member’s sign-in link',
    placeholders: {
      link: { about: 'the one-time sign-in link (under BASE_URL)', sample: `${SAMPLE_SITE}/signin/${SAMPLE_TOKEN}`, secret: 'a one-time sign-in link, which signs in as its owner' },
      minutes: { about: 'minutes the link stays valid', sample: '15' },
      site: { about: 'the site’s name (SITE_NAME)', sample: 'Netconf' },
    },
    required: ['link'],
    subject: 'Your sign-in link to {{site}}',
    body: `Hello,

here is the link you asked for. It signs you in once, within the
next {{minutes}} minutes:

  {{link}}

If you did not ask for it, ignore this mail: nothing happens until
the link is used.
`,
  },
  'schedule-published': {
    about: 'the mail to each speaker, when the schedule is first published: where they are on it',
    placeholders: {
      name: { about: 'the speaker’s name', sample: 'Ada Lovelace' },
      edition_title: edition.edition_title,
      status: { about: 'how it is published: tentative or final', sample: 'tentative' },
      slot: { about: 'every slot of the speaker: day, time and title on a line, the other speakers and the room on the next; last, the time zone the times are in, when the edition has one', sample: 'Wednesday, May 12, 2026, 14:00–14:30: XDP offloads\n    with Bob Builder; room B\n  (Times are local to the venue: Europe/Lisbon.)' },
      link: { about: 'the edition’s public page, at its agenda (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/#agenda' },
      changes: { about: 'the public changelog of the schedule (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/changes/' },
      calendar: { about: 'the schedule as an iCalendar file, for a calendar program to subscribe to (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/schedule.ics' },
      committee: edition.committee,
    },
    subject: 'The schedule of {{edition_title}} is published',
    body: `Hello {{name}},

the schedule of {{edition_title}} is published ({{status}}).
You are on it:

  {{slot}}

The whole schedule is at

  {{link}}

and, for a calendar program to subscribe to, at

  {{calendar}}

From now on, every change to it is listed at

  {{changes}}

and a change that touches your slot is mailed to you.

If this does not work for you, just reply to this mail.

Thanks,
{{committee}}
`,
  },
  'schedule-final': {
    about: 'the mail to each speaker, when the published (tentative) schedule is marked final: where they are on it',
    placeholders: {
      name: { about: 'the speaker’s name', sample: 'Ada Lovelace' },
      edition_title: edition.edition_title,
      slot: { about: 'every slot of the speaker: day, time and title on a line, the other speakers and the room on the next; last, the time zone the times are in, when the edition has one', sample: 'Wednesday, May 12, 2026, 14:00–14:30: XDP offloads\n    with Bob Builder; room B\n  (Times are local to the venue: Europe/Lisbon.)' },
      link: { about: 'the edition’s public page, at its agenda (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/#agenda' },
      changes: { about: 'the public changelog of the schedule (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/changes/' },
      calendar: { about: 'the schedule as an iCalendar file, for a calendar program to subscribe to (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/schedule.ics' },
      committee: edition.committee,
    },
    subject: 'The schedule of {{edition_title}} is final',
    body: `Hello {{name}},

the schedule of {{edition_title}} is now final. You are on it:

  {{slot}}

The whole schedule is at

  {{link}}

and, for a calendar program to subscribe to, at

  {{calendar}}

Should anything still change, it is listed at

  {{changes}}

and a change that touches your slot is mailed to you.

If this does not work for you, just reply to this mail.

Thanks,
{{committee}}
`,
  },
  'schedule-change': {
    about: 'the mail to a speaker, when a change to the published schedule touches their slot (one it takes off the schedule altogether is sent schedule-removed instead)',
    placeholders: {
      name: { about: 'the speaker’s name', sample: 'Ada Lovelace' },
      edition_title: edition.edition_title,
      headline: { about: 'the change in a few words, for the subject: the talk and what changed of it (the whole change is {{change}}), or how many changes there were', sample: 'XDP offloads (moved)' },
      change: { about: 'what changed: one line per change since the last notice', sample: '“XDP offloads” moved from Tuesday 10:00 to Wednesday 14:00' },
      slot: { about: 'every slot of the speaker as it now stands: day, time and title on a line, the other speakers and the room on the next, and the time zone, when the edition has one', sample: 'Wednesday, May 12, 2026, 14:00–14:30: XDP offloads\n    with Bob Builder; room B\n  (Times are local to the venue: Europe/Lisbon.)' },
      link: { about: 'the public changelog of the schedule (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/changes/' },
      committee: edition.committee,
    },
    subject: '{{edition_title}} schedule: {{headline}}',
    body: `Hello {{name}},

the schedule of {{edition_title}} has changed where you speak:

  {{change}}

Where you are on the schedule now:

  {{slot}}

Every change since the schedule was published is listed at

  {{link}}

If this does not work for you, just reply to this mail.

Thanks,
{{committee}}
`,
  },
  'schedule-removed': {
    about: 'the mail to a speaker, when a change to the published schedule takes them off it: they speak in no slot any more',
    placeholders: {
      name: { about: 'the speaker’s name', sample: 'Ada Lovelace' },
      edition_title: edition.edition_title,
      headline: { about: 'the change in a few words, for the subject: the talk and what changed of it (the whole change is {{change}}), or how many changes there were', sample: 'XDP offloads (removed)' },
      change: { about: 'what changed: one line per slot since the last notice, each from the slot as it was to the slot as it is', sample: 'Removed “XDP offloads” (was Wednesday 14:00–14:30)' },
      link: { about: 'the public changelog of the schedule (under BASE_URL)', sample: 'https://netconf.example.org/netconf/2026/changes/' },
      committee: edition.committee,
    },
    subject: 'You are no longer on the schedule of {{edition_title}}',
    body: `Hello {{name}},

you are no longer on the schedule of {{edition_title}}:

  {{change}}

Every change since the schedule was published is listed at

  {{link}}

If this is not what you expected, just reply to this mail.

Thanks,
{{committee}}
`,
  },
  'speaker-left': {
    about: 'the mail to each committee member, when an accepted speaker on the schedule declines or withdraws',
    placeholders: {
      name: { about: 'the speaker’s name', sample: 'Ada Lovelace' },
      address: { about: 'the speaker’s invitation address', sample: 'ada@example.org' },
      edition_title: edition.edition_title,
      answered: { about: 'what they did: “declined” (before the answer-by date) or “withdrew” (after it)', sample: 'withdrew' },
      slot: { about: 'every slot they are on: day, time and title on a line, all its speakers and the room on the next', sample: 'Wednesday, May 12, 2026, 14:00–14:30: XDP offloads\n    with Ada Lovelace; room B' },
      link: { about: 'the schedule builder (under BASE_URL)', sample: 'https://netconf.example.org/admin/editions/netconf/2026/schedule' },
    },
    subject: '{{name}} will not come to {{edition_title}}, and is on its schedule',
    body: `{{name}} <{{address}}> {{answered}} and will not come to
{{edition_title}}, but is still on its schedule:

  {{slot}}

Each such slot is now flagged in the schedule builder: take
{{name}} off it there, or find someone else:

  {{link}}

This mail is sent by conclave to every member of the committee.
`,
  },
  'inbound-review': {
    about: 'the mail to each committee member, when an invitee’s mail (to the answer address or the committee’s) waits for the committee to read (a question, an unclear answer, a refused one)',
    placeholders: {
      name: { about: 'the sender’s name (the mail’s, else the invitation’s when from the invited address), or their address', sample: 'Ada Lovelace' },
      address: { about: 'the sender’s address', sample: 'ada@example.org' },
      from: { about: 'the sender as “name <address>”, or their address alone when neither the mail nor the invitation gave a name', sample: 'Ada Lovelace <ada@example.org>' },
      subject: { about: 'the mail’s subject', sample: `Re: Invitation to ${SAMPLE_EDITION_TITLE}` },
      reason: { about: 'why conclave did not act on it', sample: 'the first line, "Is there a group rate?", says neither yes nor no clearly' },
      text: { about: 'the sender’s own lines (quotes and signature left out), each after "> "; at most 30', sample: '> Is there a group rate at the hotel?' },
      link: { about: 'the mail in the admin (under BASE_URL)', sample: 'https://netconf.example.org/admin/inbound/42' },
    },
    subject: 'Mail to read from {{from}}: {{subject}}',
    body: `{{from}} wrote to the committee, and
conclave did not act on it: {{reason}}.

Subject: {{subject}}

{{text}}

Answer it by replying to this mail (the reply goes to
{{address}}), then mark it done in the admin, or answer for
them there:

  {{link}}

This mail is sent by conclave to every member of the committee.
`,
  },
  'inbound-rsvp': {
    about: 'the answer to an invitee who replied to their invitation by mail (yes, no, or a change of mind), in their thread',
    placeholders: {
      name: edition.name,
      edition_title: edition.edition_title,
      subject: { about: 'the subject of the invitee’s mail, without "Re:"', sample: `Invitation to ${SAMPLE_EDITION_TITLE}` },
      answer: { about: 'how their first line was read: yes or no', sample: 'yes' },
      status: { about: 'where the invitation now stands, in a sentence or two', sample: 'You are on the list of attendees.' },
      next_step: {
        about: 'what to do if the mail was misread: answer again, or (after a withdrawal, which a yes cannot undo) write to the committee; for an answer the rules refused, that writing again would not help',
        sample: 'If that is not what you meant, reply to this mail with "yes" or "no" on its first line, or use the link in your invitation mail.',
      },
      committee: edition.committee,
    },
    subject: 'Re: {{subject}}',
    body: `Hello {{name}},

thank you for your answer about {{edition_title}}.
We read your mail as "{{answer}}":

  {{status}}

{{next_step}}

Thanks,
{{committee}}
`,
  },
  'inbound-unclear': {
    about: 'the answer to an invitee whose reply to their invitation could not be read as a clear yes or no, in their thread: the committee will read it (at most one a day to an invitation)',
    placeholders: {
      name: edition.name,
      edition_title: edition.edition_title,
      subject: { about: 'the subject of the invitee’s mail, without "Re:"', sample: `Invitation to ${SAMPLE_EDITION_TITLE}` },
      committee: edition.committee,
    },
    subject: 'Re: {{subject}}',
    body: `Hello {{name}},

your mail about {{edition_title}} has reached the committee. We
could not read it as a clear "yes" or "no" to the invitation, so a
person on the committee will read it.

To answer at once, use the link in your invitation mail, or reply
to this mail with just "yes" or "no" on its first line.

Thanks,
{{committee}}
`,
  },
  'inbound-topic': {
    about: 'the answer to an attendee who proposed a topic by mail ("[TOPIC]" in the subject), in their thread',
    placeholders: {
      name: edition.name,
      edition_title: edition.edition_title,
      subject: { about: 'the subject of the attendee’s mail, without "Re:"', sample: '[TOPIC] XDP offloads, three years on' },
      topic_title: { about: 'the proposed topic’s title', sample: 'XDP offloads, three years on' },
      topic_details: {
        about: 'a line under the title with the wished length and the co-presenters, as read from the mail ("Length:", "Co-presenter:"), ending in a line break; empty when the mail gave neither',
        sample: '  45 minutes, with Jesper Brouer\n',
      },
      committee: edition.committee,
    },
    subject: 'Re: {{subject}}',
    body: `Hello {{name}},

thank you: your topic for {{edition_title}},

  "{{topic_title}}"
{{topic_details}}
is now proposed to the committee, with the text of your mail as its
abstract. You can edit or withdraw it from your personal page (the
link in your invitation mail) until the committee decides; you will
hear from us then.

Thanks,
{{committee}}
`,
  },
  'inbound-topic-refused': {
    about: 'the answer to an attendee whose topic by mail ("[TOPIC]" in the subject) could not be proposed as it stands, in their thread: why; the mail waits for the committee',
    placeholders: {
      name: edition.name,
      edition_title: edition.edition_title,
      subject: { about: 'the subject of the attendee’s mail, without "Re:"', sample: '[TOPIC] XDP offloads, three years on' },
      topic_title: { about: 'the title the mail gave', sample: 'XDP offloads, three years on' },
      reason: { about: 'why it could not be proposed, naming the line of the mail at fault', sample: 'Length: “half an hour” is not a length such as “30 minutes” or “1 hour”' },
      next_step: {
        about: 'what they can do: send the mail again put right; or, when the refusal is not the mail’s fault (their invitation is not accepted), that sending it again will not help',
        sample: 'To propose the topic yourself, send it again with that put right, or use your personal page (the link in your invitation mail).',
      },
      committee: edition.committee,
    },
    subject: 'Re: {{subject}}',
    body: `Hello {{name}},

thank you for your topic for {{edition_title}},

  "{{topic_title}}"

It could not be proposed as it stands:

  {{reason}}

The committee has your mail. {{next_step}}

Thanks,
{{committee}}
`,
  },
} satisfies Record<string, TemplateKeySpec>;

export type TemplateKey = keyof typeof TEMPLATE_KEYS;

/** The keys as a list, in a stable order, for forms and zod enums. */
export const templateKeys = Object.keys(TEMPLATE_KEYS) as [TemplateKey, ...TemplateKey[]];

/**
 * Keys of the notices conclave writes to the committee on its own (mailCommittee), not a mail to
 * or an answer to a person: `Auto-Submitted: auto-generated` (outbox.ts autoSubmitted), so that
 * no member's auto-responder answers them and filters can tell them apart.
 */
export const COMMITTEE_NOTICE_KEYS = ['topic-revised', 'speaker-left', 'inbound-review'] as const satisfies readonly TemplateKey[];
export type CommitteeNoticeKey = (typeof COMMITTEE_NOTICE_KEYS)[number];

/**
 * Keys whose mail belongs to no edition: the sign-in link goes to a committee member, whatever
 * edition they work on. Their text is site-wide only; an edition's own would never be used.
 */
export const SITE_WIDE_KEYS: readonly TemplateKey[] = ['signin'];

/** Whether a key's text is site-wide only (SITE_WIDE_KEYS). */
export function isSiteWide(key: TemplateKey): boolean {
  return SITE_WIDE_KEYS.includes(key);
}

/**
 * Keys added beside an older key, to write part of its mail, as [added, beside]: a committee that
 * customised the older one has the added one in conclave's words until it saves its own, so the
 * two mails read unalike (templates.ts defaultBesideNote says so where templates are listed).
 */
export const ADDED_BESIDE: readonly (readonly [TemplateKey, TemplateKey])[] = [
  ['schedule-removed', 'schedule-change'],
  ['schedule-final', 'schedule-published'],
  ['answer-confirmed', 'inbound-rsvp'],
];

/** Tells whether a string names a template key; narrows it. */
export function isTemplateKey(key: string): key is TemplateKey {
  return Object.hasOwn(TEMPLATE_KEYS, key);
}

/** The placeholders a key's body must keep (TemplateKeySpec.required). */
export function requiredPlaceholders(key: TemplateKey): readonly string[] {
  const spec: TemplateKeySpec = TEMPLATE_KEYS[key];
  return spec.required ?? [];
}

/** The placeholder names a key allows, in their listed order. */
export function placeholderNames(key: TemplateKey): string[] {
  return Object.keys(TEMPLATE_KEYS[key].placeholders);
}

/**
 * Where a preview's links point: the site's public address (BASE_URL, or where the server last
 * ran) and, for an edition's text, that edition, so that a sample link reads as mail will.
 */
export interface PreviewSite {
  baseUrl: string;
  edition?: { series: string; year: number };
}

/**
 * The sample values of a key, for previews and tests; with `site`, the sample links point at that
 * site (and edition) instead of the sample's.
 */
export function sampleValues(key: TemplateKey, site?: PreviewSite): Record<string, string> {
  const spec: Record<string, PlaceholderSpec> = TEMPLATE_KEYS[key].placeholders;
  const local = (sample: string) => {
    if (!site || !sample.startsWith(`${SAMPLE_SITE}/`)) return sample;
    const path = sample.slice(SAMPLE_SITE.length);
    const own = site.edition ? path.replace(SAMPLE_EDITION, `/${site.edition.series}/${site.edition.year}/`) : path;
    return site.baseUrl.replace(/\/+$/, '') + own;
  };
  return Object.fromEntries(Object.entries(spec).map(([name, p]) => [name, local(p.sample)]));
}
