/**
 * The five seed pages, each against a structure written by hand from reading the page.
 * Every field is compared on its own (so a failure names the field), then the key sets.
 * The pages are parsed with no archive names: every name not on the page itself is a guess.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedMaterial, ParsedPage, ParsedSlot, SlotKind } from './page-model.js';
import { parseSource } from './parse-page.js';

function seedText(year: number): string {
  return readFileSync(new URL(`../../../archive/netconf/netconf-${year}.txt`, import.meta.url), 'utf8');
}

function seed(year: number, knownNames: string[] = []): ParsedPage {
  return parseSource(seedText(year), { file: `netconf-${year}.txt`, knownNames });
}

/**
 * The page as expected. A listed person's line (for the import's report) is checked apart: each
 * has one, in the order of the list, so that the people themselves read as written.
 */
function expectPage(page: ParsedPage, expected: ParsedPage): void {
  for (const key of Object.keys(expected) as (keyof ParsedPage)[]) {
    if (key === 'committee' || key === 'attendees') {
      const listed = page[key] ?? [];
      const lines = listed.map((p) => p.line ?? 0);
      expect(lines.every((l, i) => l > 0 && (i === 0 || l > lines[i - 1]!)), `${key} lines ${lines.join(',')}`).toBe(true);
      expect(page[key] === null ? null : listed.map(({ line: _line, ...p }) => p), key).toEqual(expected[key]);
      continue;
    }
    expect(page[key], key).toEqual(expected[key]);
  }
  expect(Object.keys(page).sort()).toEqual(Object.keys(expected).sort());
}

function slot(
  line: number,
  timeText: string,
  start: string,
  kind: SlotKind,
  speakers: string[],
  title: string,
  extra: Partial<ParsedSlot> = {},
): ParsedSlot {
  return { line, start, timeText, kind, title, speakers, materials: [], ...extra };
}
const slides = (about: string): ParsedMaterial => ({ kind: 'slides', label: 'slides', about });
const pdf = (about: string): ParsedMaterial => ({ kind: 'slides', format: 'pdf', label: 'PDF', about });
const guessed = (line: number, name: string, role = 'speaker') => ({
  line,
  message: `guessed ${role} '${name}' (not known from the page or the archive)`,
});
const redacted = (name: string) => ({ name, emailRedacted: true });

const INTRO_LATER = [
  'Due to the distributed nature of the Network subsystem development, contributors to the stack are located in different corners of the globe and coordinate security and bug fixes as well as maintenance and new features via email.',
  'Netconf is intended to be a face to face working meetup to compliment those email exchanges. Problematic unresolved issues are hashed out and bold new ideas are discussed.',
];
const INTRO_FIRST_2014 =
  'Netconf is a Linux community conference, by-invitation-only. The agenda has a clear focus on kernel level networking. Attendees are the main maintainers and developers of the Linux networking subsystem. Invitation is issued only 10-15 people who have provided significant contributions.';
const INTRO_FIRST_YEARLY =
  'Netconf is a yearly, by-invitation-only, Linux community conference. The agenda has a clear focus on kernel level networking. Attendees are the main maintainers and developers of the Linux networking subsystem. Invitation is issued only 10-15 people who have provided significant contributions.';

const BASE = {
  seriesName: 'Netconf',
  sponsors: [],
  committee: [],
  attendees: null,
  meetingNotes: [],
  days: [],
  proposedTopics: [],
  inviteeTopics: [],
  materials: [],
  references: [],
  skipped: [],
  notes: [],
} satisfies Partial<ParsedPage>;

describe('netconf-2004.txt', () => {
  const expected: ParsedPage = {
    ...BASE,
    title: "Linux Kernel Developers' Netconf 2004",
    year: 2004,
    intro: [
      INTRO_FIRST_YEARLY,
      'Due to the distributed nature of the Network subsystem development, contributors to the stack are located in different corners of the globe and coordinate security and bug fixes as well maintanance and new features via email.',
      'Netconf is intended to be a face to face working meet to compliment those email exchanges. Problematic unresolved issues are trashed and bold new ideas are discussed.',
    ],
    locationText: 'Portland, OR',
    city: 'Portland',
    region: 'OR',
    country: 'US',
    timeZone: 'America/Los_Angeles',
    datesText: 'July 14-15, 2004',
    startDate: '2004-07-14',
    endDate: '2004-07-15',
    tentative: true,
    sponsors: [
      { name: 'Intel', kind: 'company' },
      { name: 'OSDL', kind: 'company' },
      { name: 'RedHat,Inc.', kind: 'company' },
    ],
    attendees: [
      { name: 'David S. Miller', email: 'davem@redhat.com' },
      { name: 'James Morris', email: 'jmorris@redhat.com' },
      { name: 'Arnaldo Carvalho de Melo', email: 'acme@conective.com.br' },
      { name: 'Rusty Russell', email: 'rusty@rustcorp.com.au' },
      { name: 'Stephen Hemminger', email: 'shemminger@osdl.org' },
      { name: 'Harald Welte', email: 'laforge@gnumonks.org' },
      { name: 'Yoshfuji Hideaki', email: 'yoshfuji@linux-ipv6.org' },
      { name: 'Soyoung Park', email: 'sparks_330@yahoo.com' },
    ],
    attendeesLabel: 'Attendees (by invitation only)',
    days: [
      {
        line: 14,
        date: '2004-07-14',
        label: 'July 14th:',
        columns: '',
        slots: [
          slot(15, '10:00am', '10:00', 'talk', ['Arnaldo Carvalho de Melo'], 'TCPfying the Poor Cousins', {
            talkTitle: 'TCPfying the Poor Cousins',
          }),
          slot(17, '11:00am', '11:00', 'talk', ['Harald Welte'], 'Netfilter Project plans for 2.7.x\nPacket filtering integration into routing cache.'),
          slot(20, '12:00am', '12:00', 'meal', [], 'Lunch!'),
          slot(21, '1:00pm', '13:00', 'talk', ['Rusty Russell'], 'TOE Offloading'),
          slot(23, '2:00pm', '14:00', 'talk', ['James Morris'], '(topic undecided as of yet)'),
          slot(25, '3:00pm+', '15:00', 'discussion', [], 'Open discussion on days talks, especially for topics for which the given hour was not sufficient.', {
            openEnded: true,
          }),
          slot(26, '5:00pm', '17:00', 'meal', [], 'Dinner!'),
        ],
      },
      {
        line: 27,
        date: '2004-07-15',
        label: 'July 15th:',
        columns: '',
        slots: [
          slot(28, '10:00am', '10:00', 'talk', ['Stephen Hemminger'], 'Flavors of TCP'),
          slot(30, '11:00am', '11:00', 'talk', ['David S. Miller'], 'Recent TCP developments.\nThings to do in 2.7.x'),
          slot(33, '12:00', '12:00', 'meal', [], 'Lunch!'),
          slot(34, '1:00pm', '13:00', 'talk', ['Yoshifuji Hideaki'], 'Design of Mobile-IPV6\nStatus and future plans of USAGI project'),
          slot(37, '2:00pm+', '14:00', 'discussion', [], 'Open discussion, just like previous day', { openEnded: true }),
        ],
      },
    ],
    proposedTopics: [
      {
        line: 52,
        number: 1,
        title: 'Remote DMA and Receive buffering strategies',
        description:
          'As networks are getting faster, and used for different usages like clustering and remote storage, the existing socket model is inadequate. What should the 2.7 strategy be?',
        presenters: [],
      },
      {
        line: 53,
        number: 2,
        title: 'Early Traffic Control',
        description:
          "I don't know much about the background on this, but would like to see some discussion on improving the infrastructure for network filtering.",
        presenters: [],
      },
      {
        line: 54,
        number: 3,
        title: 'Netlink extensions',
        description:
          "Various stuff has been kicking around to extend netlink. MPLS which is a way to control network links over netlink. Also, remote netlink for manageability. Also, netlink isn't used by most tools now, how to fix?",
        presenters: [],
      },
      {
        line: 55,
        number: 4,
        title: 'Linux-NIC',
        description:
          "Total offload is a mistake in Linux environment, but how to make NIC's smarter in a Linux friendly way. Several ideas have been tossed around, but no resolution.",
        presenters: [],
      },
      { line: 56, number: 5, title: 'Async I/O for networking', description: 'Does anyone care? is it useful?', presenters: [] },
      { line: 57, number: 6, title: 'WiFi 802.11 network stacks', presenters: [] },
      { line: 58, number: 7, title: 'Potential issues for next-gen networking hardware.', presenters: [] },
      { line: 59, number: 8, title: 'Futures', presenters: [] },
    ],
    materials: [
      { kind: 'slides', label: 'TCP_OSDL', credit: 'DaveM' },
      { kind: 'slides', label: 'Net 2.7', credit: 'DaveM' },
    ],
    materialsLabel: 'Slides and Photos from Netconf 2004',
    sections: ['intro', 'location', 'dates', 'agenda', 'sponsors', 'attendees', 'proposed-topics', 'materials', 'references'],
    notes: [{ line: 20, message: "read '12:00am' as noon (12:00): it follows a morning slot" }],
  };

  it('reads every field as written by hand', () => {
    expectPage(seed(2004), expected);
    // Each listed person with the line that lists them.
    const lines = seedText(2004).split('\n');
    for (const p of seed(2004).attendees!) expect(lines[p.line! - 1], p.name).toContain(p.name);
  });
});

describe('netconf-2011.txt', () => {
  const expected: ParsedPage = {
    ...BASE,
    title: "Linux Kernel Developers' Netconf 2011",
    year: 2011,
    intro: [INTRO_FIRST_YEARLY, ...INTRO_LATER],
    locationText: 'Toronto, Ontario, CA',
    city: 'Toronto',
    region: 'Ontario',
    country: 'CA',
    timeZone: 'America/Toronto',
    datesText: 'June 14-15, 2011',
    startDate: '2011-06-14',
    endDate: '2011-06-15',
    tentative: true,
    committee: [{ ...redacted('David S. Miller'), role: 'netdev maintainer' }, redacted('Soyoung Park')],
    attendees: [
      'David S. Miller', 'Jamal Hadi Salim', 'Stephen Hemminger', 'Herbert Xu', 'Thomas Graf', 'Jiri Pirko',
      'Soyoung Park', 'Eric Dumazet', 'Ben Hutchings', 'Jeffrey T. Kirsher', 'Jesse Brandeburg', 'PJ Waskiewicz',
      'Tom Herbert', 'Prasad Boddupalli',
    ].map(redacted),
    attendeesLabel: 'Attendees (by invitation only)',
    meetingNotes: [{ kind: 'notes', label: 'Meeting notes', author: 'Ben Hutchings' }],
    days: [
      {
        line: 34,
        date: '2011-06-14',
        label: 'Tuesday, June 14, 2011',
        columns: 'Time Speaker Topics',
        slots: [
          slot(36, '8:30am', '08:30', 'meal', [], 'BREAKFAST'),
          slot(37, '10:00am', '10:00', 'talk', ['David S. Miller', 'Jamal Hadi Salim'], 'Welcome/Introduction'),
          slot(38, '10:15am', '10:15', 'talk', ['Stephen Hemminger'], 'Bridging/STP', { materials: [slides('Bridging/STP')] }),
          slot(39, '11:00am', '11:00', 'break', [], 'Morning Break'),
          slot(40, '11:15am', '11:15', 'talk', ['Jesse Brandeburg'], 'Reducing Stack Latency', {
            materials: [slides('Reducing Stack Latency')],
          }),
          slot(41, '11:45am', '11:45', 'talk', ['Jiri Pirko'], 'LNST and "team" (a bonding alternative)', {
            materials: [slides('LNST'), slides('"team"')],
          }),
          slot(42, '12:30pm', '12:30', 'meal', [], 'LUNCH'),
          slot(43, '1:30pm', '13:30', 'talk', ['Herbert Xu'], 'Scalability, hardware LRO', {
            materials: [slides('Scalability, hardware LRO')],
          }),
          slot(44, '2:15pm', '14:15', 'talk', ['Stephen Hemminger'], 'IRQ name/balancing, openvswitch, virtio multiq/perf', {
            materials: [slides('IRQ name/balancing'), slides('virtio multiq/perf')],
          }),
          slot(45, '3:00pm', '15:00', 'break', [], 'Afternoon Break'),
          slot(46, '3:15pm', '15:15', 'talk', ['Thomas Graf'], 'Config/monitoring from userspace, world ipv6 day', {
            materials: [slides('Config/monitoring from userspace, world ipv6 day')],
          }),
          slot(47, '4:00pm', '16:00', 'talk', ['Tom Herbert'], '5usec RTT over TCP', { materials: [slides('5usec RTT over TCP')] }),
          slot(48, '4:45pm', '16:45', 'talk', ['David S. Miller'], 'Routing cache removal', {
            materials: [slides('Routing cache removal')],
          }),
          slot(49, '5:30pm', '17:30', 'discussion', [], 'Open Forum/Discussions'),
        ],
      },
      {
        line: 50,
        date: '2011-06-15',
        label: 'Wednesday, June 15, 2011',
        columns: 'Time Speaker Topics',
        slots: [
          slot(52, '8:30am', '08:30', 'meal', [], 'BREAKFAST'),
          slot(53, '10:00am', '10:00', 'talk', ['Ben Hutchings'], 'Queue/IRQ affinity, massive multiq', {
            materials: [slides('Queue/IRQ affinity, massive multiq')],
          }),
          slot(54, '11:00am', '11:00', 'break', [], 'Morning Break'),
          slot(55, '11:00am', '11:00', 'talk', ['PJ Waskiewicz'], 'iWarp portspace, standard netdev module parms, advanced stats', {
            materials: [slides('iWarp portspace'), slides('standard netdev module parms'), slides('advanced stats')],
          }),
          slot(56, '11:45am', '11:45', 'talk', ['Eric Dumazet'], 'JIT, UDP, Packet Schedulers', {
            materials: [slides('JIT, UDP, Packet Schedulers')],
          }),
          slot(57, '12:30pm', '12:30', 'meal', [], 'LUNCH'),
          slot(58, '1:30pm', '13:30', 'talk', ['Jeffrey T. Kirsher'], 'drivers/net rearrangement', {
            materials: [slides('drivers/net rearrangement')],
          }),
          slot(59, '2:15pm', '14:15', 'talk', ['Jamal Hadi Salim'], 'Catching up with Herbert', {
            materials: [slides('Catching up with Herbert'), { kind: 'animation', label: 'animations', about: 'Catching up with Herbert' }],
          }),
          slot(60, '3:00pm', '15:00', 'break', [], 'Afternoon Break'),
          slot(61, '3:15pm', '15:15', 'discussion', [], 'Open Discussion TBD'),
          slot(62, '4:00pm', '16:00', 'talk', ['David S. Miller', 'Jamal Hadi Salim'], 'Closing statements, future netconf planning'),
        ],
      },
    ],
    sections: ['intro', 'location', 'dates', 'sponsors', 'committee', 'attendees', 'notes', 'agenda'],
  };

  it('reads every field as written by hand', () => {
    expectPage(seed(2011), expected);
  });
});

describe('netconf-2014.txt', () => {
  const expected: ParsedPage = {
    ...BASE,
    title: "Linux Kernel Developers' Netconf 2014",
    year: 2014,
    subtitle: 'Kernel Summit Networking Workshop',
    intro: [INTRO_FIRST_2014, 'This year, the Netconf joins the Linux Kernel Summit in a workshop format in Chicago, IL.', ...INTRO_LATER],
    colocated: {
      name: 'Linux Kernel Summit',
      sentence: 'This year, the Netconf joins the Linux Kernel Summit in a workshop format in Chicago, IL.',
      place: 'Chicago, IL',
    },
    groupPhoto: { caption: "LKS NetConf '14 Group Photo" },
    locationText: 'Chicago, IL',
    city: 'Chicago',
    region: 'IL',
    country: 'US',
    timeZone: 'America/Chicago',
    datesText: 'August 19, 2014',
    startDate: '2014-08-19',
    endDate: '2014-08-19',
    tentative: true,
    sponsors: [{ name: 'Linux Kernel Summit', kind: 'event' }],
    committee: [redacted('Stephen Hemminger'), { ...redacted('David S. Miller'), role: 'netdev maintainer' }, redacted('Soyoung Park')],
    attendees: [
      'David S. Miller', 'Eric Dumazet', 'Eric W. Biederman', 'Florian Fainelli', 'Hannes Frederic Sowa', 'Herbert Xu',
      'Jeff Kirsher', 'Johannes Berg', 'John W. Linville', 'Pablo Neira Ayuso', 'Stephen Hemminger', 'Jamal Hadi Salim',
      'Chris Wright', 'Scott Feldman', 'John Fastabend', 'Tom Herbert',
    ].map((name) => ({ name })),
    attendeesLabel: 'Attendees (by invitation only)',
    days: [
      {
        line: 44,
        date: '2014-08-19',
        label: 'Tuesday, August 19, 2014',
        columns: 'Time Topic Presentation',
        slots: [
          slot(46, '9:00am', '09:00', 'talk', [], 'Introduction'),
          slot(47, '9:15am', '09:15', 'talk', [], 'SCTP, potential increase in alignment with other protocols(TCP) for code sharing, baring barries to this caused by associations et al.'),
          slot(48, '9:40am', '09:40', 'talk', [], 'eBPF, where can it be used more, are there security issues?'),
          slot(49, '10:00am', '10:00', 'talk', ['Pablo Neira Ayuso'], 'Netfilter Workshop 2014 Report'),
          slot(50, '10:30am', '10:30', 'break', [], 'Morning Break'),
          slot(51, '11:00am', '11:00', 'talk', ['Tom Herbert'], 'INET checksum/encapsulation (GRE etc.) offloads, especially wrt. the checksumming work Tom Herbert has been doing lately.', {
            talkTitle: 'Encapsulation & Offload Support',
          }),
          slot(52, '12:00pm', '12:00', 'meal', [], 'Lunch'),
          slot(53, '1:00pm', '13:00', 'talk', ['John Linville', 'Johannes Berg'], 'Wireless'),
          slot(54, '2:00pm', '14:00', 'talk', ['Jamal Hadi Salim'], 'Putting bridging in the ethernet chipsets, largely for virtualization purposes, and what are the implications of those design tradeoffs for us?', {
            talkTitle: 'Network Function Offload',
          }),
          slot(55, '3:00pm', '15:00', 'break', [], 'Afternoon Break'),
          slot(56, '3:30pm', '15:30', 'talk', [], 'Encapsulations, and fixed limits, such as the bonding VLAN limit.'),
          slot(57, '4:00pm', '16:00', 'talk', [], "Bonding and its interation with encapsulations and offloading. Also what may the future hold wrt. using 'team' as a replacement for the most common bonding use cases."),
          slot(58, '4:15pm', '16:15', 'discussion', [], 'Open Discussions & Closing plus Group Photos'),
        ],
      },
    ],
    sections: ['intro', 'location', 'dates', 'sponsors', 'committee', 'attendees', 'agenda', 'references'],
  };

  it('reads every field as written by hand', () => {
    expectPage(seed(2014), expected);
  });
});

describe('netconf-2015.txt', () => {
  const expected: ParsedPage = {
    ...BASE,
    title: "Linux Kernel Developers' Netconf 2015",
    year: 2015,
    subtitle: 'Kernel Summit Networking Workshop',
    intro: [INTRO_FIRST_2014, 'This winter, the Netconf joins the Netdev 0.1 held February 14-17, 2015 in Ottawa, Canada.', ...INTRO_LATER],
    colocated: {
      name: 'Netdev 0.1',
      sentence: 'This winter, the Netconf joins the Netdev 0.1 held February 14-17, 2015 in Ottawa, Canada.',
      datesText: 'February 14-17, 2015',
      startDate: '2015-02-14',
      endDate: '2015-02-17',
      place: 'Ottawa, Canada',
    },
    groupPhoto: { caption: 'NetConf 2015 Ottawa Group Photo' },
    locationText: 'Ottawa, Canada',
    city: 'Ottawa',
    region: 'ON',
    country: 'CA',
    timeZone: 'America/Toronto',
    datesText: 'February 12-13, 2015',
    startDate: '2015-02-12',
    endDate: '2015-02-13',
    tentative: true,
    sponsors: [
      { name: 'Mojatatu Networks', kind: 'company', logoAlt: 'Mojatatu Networks Logo' },
      { name: 'Cumulus Networks', kind: 'company', logoAlt: 'Cumulus Networks Logo' },
      { name: 'Verizon', kind: 'company', logoAlt: 'Verizon Logo' },
      { name: 'Noiro Networks, a Cisco Project', kind: 'company', logoAlt: 'Noiro Networks, a Cisco Project' },
    ],
    committee: [{ ...redacted('David S. Miller'), role: 'netdev maintainer' }, redacted('Soyoung Park')],
    attendees: null,
    days: [
      {
        line: 28,
        date: '2015-02-12',
        label: 'Thursday, February 12, 2015',
        columns: 'Time Name Topic',
        slots: [
          slot(30, '9:00:00', '09:00', 'talk', ['Jamal Hadi Salim', 'David Miller'], 'Introduction'),
          slot(31, '9:30:00', '09:30', 'talk', ['Thomas Graf'], 'rhashtable - Concurrent, lockless hash table with deferred resizing', {
            materials: [pdf('rhashtable - Concurrent, lockless hash table with deferred resizing')],
          }),
          slot(32, '10:00:00', '10:00', 'talk', ['Hannes Frederic Sowa'], 'batching of network stacks - progress report'),
          slot(33, '10:30:00', '10:30', 'break', [], 'Morning Break'),
          slot(34, '11:00:00', '11:00', 'talk', ['Pablo Neira Ayuso'], 'Netfilter/nftables development updates'),
          slot(35, '11:30:00', '11:30', 'talk', ['Alexei Starovoitov'], 'bpf updates and next steps', {
            materials: [pdf('bpf updates and next steps'), pdf('bpf updates and next steps')],
          }),
          slot(36, '12:00:00', '12:00', 'meal', [], 'Lunch'),
          slot(37, '13:00:00', '13:00', 'talk', ['Johannes Berg'], 'bufferbloat-on-wifi'),
          slot(38, '13:30:00', '13:30', 'talk', ['John Linville'], 'Wireless maintainership transition details'),
          slot(39, '14:00:00', '14:00', 'talk', ['John Fastabend'], "the flow api integration with 'tc', 'ovs', etc."),
          slot(41, '14:30:00', '14:30', 'talk', ['Alexander Duyck'], 'improve the performance of the network data-path including new barriers for DMA receive, napi specific allocation routines/allocation batching and fib_trie updates'),
          slot(42, '15:00:00', '15:00', 'talk', ['Simon Horman'], 'flow table api and caching tables', {
            materials: [pdf('flow table api and caching tables'), pdf('flow table api and caching tables')],
          }),
          slot(43, '15:30:00', '15:30', 'break', [], 'Afternoon Break'),
          slot(44, '16:00:00', '16:00', 'talk', ['Florian Fainelli'], 'What is cooking in DSA: catching up with HW offloads and reworking the driver model'),
          slot(45, '16:30:00', '16:30', 'talk', ['David Miller'], 'ipv6 routing, and how we should align it with ipv4', {
            materials: [pdf('ipv6 routing, and how we should align it with ipv4')],
          }),
        ],
      },
      {
        line: 46,
        date: '2015-02-13',
        label: 'Friday, February 13, 2015',
        columns: 'Time Name Topic',
        slots: [
          slot(48, '9:00:00', '09:00', 'talk', ['Jeff Kirsher'], ''),
          slot(49, '9:30:00', '09:30', 'talk', ['Jesse Brandeburg'], 'a quick look at how long different parts of the stack take today'),
          slot(50, '10:30:00', '10:30', 'break', [], 'Morning Break'),
          slot(51, '11:00:00', '11:00', 'talk', ['Or Gerlitz'], 'potential usage of NIC HW support for per flow rate-limiters / packet-pacers in the TCP stack', {
            materials: [pdf('potential usage of NIC HW support for per flow rate-limiters / packet-pacers in the TCP stack')],
          }),
          slot(52, '11:30:00', '11:30', 'talk', ['Jamal Hadi Salim'], 'netdev 0.1 schedules & announcements'),
          slot(53, '12:00:00', '12:00', 'meal', [], 'Lunch'),
          slot(54, '13:00:00', '13:00', 'talk', ['Tom Herbert'], 'how to integrate support for network virtualization into the stack using identifier-locator address (ILA)', {
            materials: [pdf('how to integrate support for network virtualization into the stack using identifier-locator address (ILA)')],
          }),
          slot(55, '13:30:00', '13:30', 'talk', ['Jamal Hadi Salim'], 'Inter FE action'),
          slot(56, '14:00:00', '14:00', 'talk', ['Jiri Pirko'], 'networking subsystem userspace API'),
          slot(57, '14:30:00', '14:30', 'talk', ['Andy Gospodarek'], 'support for RFC-5549 and benefits for Linux-based routers in the datacenter and on servers'),
          slot(58, '15:00:00', '15:00', 'talk', ['Scott Feldman'], 'switchdev/rocker status + FIB offload', {
            materials: [pdf('switchdev/rocker status + FIB offload')],
          }),
          slot(59, '15:30:00', '15:30', 'break', [], 'Afternoon Break'),
          slot(60, '16:00:00', '16:00', 'talk', ['Neil Horman'], 'User Space DMA', { materials: [pdf('User Space DMA')] }),
          slot(61, '16:30:00', '16:30', 'talk', ['Eric Dumazet'], 'Dynamic TCP pipe size probing'),
          slot(62, '17:00:00', '17:00', 'talk', ['Shrijeet Mukherjee'], 'VRF using tables and fusing local and main routing tables'),
        ],
      },
    ],
    sections: ['intro', 'location', 'dates', 'sponsors', 'committee', 'agenda', 'references'],
    notes: [
      guessed(30, 'Jamal Hadi Salim'),
      guessed(31, 'Thomas Graf'),
      guessed(32, 'Hannes Frederic Sowa'),
      guessed(34, 'Pablo Neira Ayuso'),
      guessed(35, 'Alexei Starovoitov'),
      guessed(37, 'Johannes Berg'),
      guessed(38, 'John Linville'),
      guessed(39, 'John Fastabend'),
      guessed(41, 'Alexander Duyck'),
      guessed(42, 'Simon Horman'),
      guessed(44, 'Florian Fainelli'),
      guessed(48, 'Jeff Kirsher'),
      guessed(49, 'Jesse Brandeburg'),
      guessed(51, 'Or Gerlitz'),
      guessed(54, 'Tom Herbert'),
      guessed(56, 'Jiri Pirko'),
      guessed(57, 'Andy Gospodarek'),
      guessed(58, 'Scott Feldman'),
      guessed(60, 'Neil Horman'),
      guessed(61, 'Eric Dumazet'),
      guessed(62, 'Shrijeet Mukherjee'),
    ],
  };

  it('reads every field as written by hand', () => {
    expectPage(seed(2015), expected);
  });

  it('guesses nothing when the archive knows the speakers, and keeps names as written', () => {
    const archive = seed(2014).attendees?.map((p) => p.name) ?? [];
    const page = seed(2015, archive);
    const day1 = page.days[0]?.slots ?? [];
    expect(day1.find((s) => s.line === 38)?.speakers).toEqual(['John Linville']); // John W. Linville in 2014
    expect(page.days[1]?.slots[0]?.speakers).toEqual(['Jeff Kirsher']);
    const noted = page.notes.map((n) => n.message);
    expect(noted).not.toContainEqual(expect.stringContaining("'John Linville'"));
    expect(noted).not.toContainEqual(expect.stringContaining("'Jamal Hadi Salim'"));
    expect(noted).toContain("guessed speaker 'Thomas Graf' (not known from the page or the archive)");
    expect(page.notes.length).toBeLessThan(expected.notes.length);
  });
});

describe('netconf-2019.txt', () => {
  const topic = (line: number, name: string, ...topics: string[]) => ({ line, name, topics });
  const expected: ParsedPage = {
    ...BASE,
    title: "Linux Kernel Developers' Netconf 2019",
    year: 2019,
    motto: 'The first rule of Netconf is: You do not talk about Netconf.\nThe second rule of Netconf is: You do not talk about Netconf.',
    intro: [
      'Netconf is a Linux community conference, by-invitation-only, running since 2004. The agenda has a clear focus on kernel level networking. Attendees are the main maintainers and developers of the Linux networking subsystem.',
      'Due to the distributed nature of the Network subsystem development, contributors to the stack are located in different corners of the globe and coordinate security and bug fixes as well as maintanance and new features via email.',
      INTRO_LATER[1] ?? '',
    ],
    locationText: 'Boston, MA',
    city: 'Boston',
    region: 'MA',
    country: 'US',
    timeZone: 'America/New_York',
    datesText: 'June 20 - June 21, 2019',
    startDate: '2019-06-20',
    endDate: '2019-06-21',
    tentative: false,
    committee: [{ ...redacted('David S. Miller'), role: 'netdev maintainer' }, redacted('Daniel Borkmann')],
    inviteeTopics: [
      topic(24, 'David Miller', 'Intro', 'Delegation, device driver review team, GitHub'),
      topic(27, 'Daniel Borkmann', 'BPF mesh device as a programmable ipvlan replacement, XFRM integration into tc/BPF'),
      topic(28, 'Alexei Starovoitov', 'Kernel upgrade, and changes to development process'),
      topic(29, 'Eric Dumazet'),
      topic(30, 'Maxim Mikityanskiy', 'AF_XDP: potential to improve'),
      topic(31, 'Jakub Kicinski', 'Outstanding TLS issues; extending "uAPI to FW" and why we shouldn\'t do it'),
      topic(32, 'Paolo Abeni', 'MDS performance and retpolines'),
      topic(33, 'Willem de Bruijn', 'Resilient receive path and UDP scaling'),
      topic(34, 'Florian Westphal', 'Multipath TCP upstreaming: current state, work-in-progress items and near-future roadmap'),
      topic(35, 'Zorik Machulsky', 'Exposing NIC information to userland'),
      topic(36, 'Magnus Karlsson', 'Networking queues as a first class citizen in the kernel and how to abstract these queues in the uapi'),
      topic(37, 'Jesper Dangaard Brouer', 'XDP feature detection', 'SKB creation outside drivers'),
      topic(40, 'Toke Høiland-Jørgensen', 'XDP feature planning', 'friendlier UAPI for XDP_REDIRECT'),
      topic(43, 'Jonathan Lemon', 'AF_XDP User Experience'),
      topic(44, 'Marek Majkowski', 'BPF programmable listen socket lookup'),
      topic(45, 'Steffen Klassert', 'Listifyed UDP GRO', 'xfrm integration into XDP'),
      topic(48, 'Edward Cree', 'TC stats offload, RX listification'),
      topic(49, 'Michal Kubecek', 'ethtool netlink interface, current state and the future'),
    ],
    sections: ['intro', 'location', 'dates', 'sponsors', 'committee', 'invitee-topics'],
    notes: [
      [28, 'Alexei Starovoitov'], [29, 'Eric Dumazet'], [30, 'Maxim Mikityanskiy'], [31, 'Jakub Kicinski'],
      [32, 'Paolo Abeni'], [33, 'Willem de Bruijn'], [34, 'Florian Westphal'], [35, 'Zorik Machulsky'],
      [36, 'Magnus Karlsson'], [37, 'Jesper Dangaard Brouer'], [40, 'Toke Høiland-Jørgensen'], [43, 'Jonathan Lemon'],
      [44, 'Marek Majkowski'], [45, 'Steffen Klassert'], [48, 'Edward Cree'], [49, 'Michal Kubecek'],
    ].map(([line, name]) => guessed(line as number, name as string, 'invitee')),
  };

  it('reads every field as written by hand', () => {
    expectPage(seed(2019), expected);
  });
});

describe('agenda rows that do not read as the page meant them', () => {
  const text2011 = readFileSync(new URL('../../../archive/netconf/netconf-2011.txt', import.meta.url), 'utf8');
  const parse = (source: string, file = 'netconf-2011.txt') => parseSource(source, { file, knownNames: [] });

  it('leaves out a row with only a time, instead of a talk titled "talk"', () => {
    const page = parse(text2011.replace(/^( +11:00am)\s+Morning Break$/m, '$1'));
    expect(page.skipped).toEqual([{ line: 39, text: '11:00am', reason: 'a time with nothing after it: no title and no speaker' }]);
    expect(page.days[0]!.slots.map((s) => s.start)).not.toContain('11:00');
  });

  it('notes a day header outside the edition\'s dates, and a time earlier than the row above', () => {
    const page = parse(text2011.replace('Wednesday, June 15, 2011', 'Wednesday, June 22, 2011').replace('1:30pm Herbert Xu', '10:05am Herbert Xu'));
    expect(page.notes).toEqual([
      { line: 43, message: '10:05 is earlier than the row above it (12:30): the schedule shows the day\'s rows in the order of their times' },
      { line: 50, message: "the day 'Wednesday, June 22, 2011' is 2011-06-22, outside the edition's dates (2011-06-14 to 2011-06-15)" },
    ]);
  });

  it("dates an edition by its agenda's days when the page gives no dates it reads", () => {
    for (const source of [text2011.replace('  • Dates : June 14-15, 2011\n', ''), text2011.replace('Dates : June 14-15, 2011', 'Dates : mid-June 2011')]) {
      const page = parse(source);
      expect([page.startDate, page.endDate]).toEqual(['2011-06-14', '2011-06-15']);
      expect(page.notes.at(-1)!.message).toBe("the edition's dates are taken from its agenda's days, 2011-06-14 to 2011-06-15: the page gives none it reads");
    }
    expect(parse(text2011.replace('Dates : June 14-15, 2011', 'Dates : mid-June 2011')).datesText).toBe('mid-June 2011');
  });

  it('reads numbered day headers that give only the weekday', () => {
    const page = parse(text2011.replace('Tuesday, June 14, 2011', 'Day 1 - Tuesday').replace('Wednesday, June 15, 2011', 'Day 2 (Wednesday)'));
    expect(page.days.map((d) => [d.date, d.label, d.slots.length])).toEqual([
      ['2011-06-14', 'Day 1 - Tuesday', 14],
      ['2011-06-15', 'Day 2 (Wednesday)', 11],
    ]);
    expect(page.skipped).toEqual([]);
  });

  it('notes an HTML row with more filled cells than its table header, and reads blank padding cells as padding', () => {
    const html = (row: string) =>
      `<html><body><h1>Netconf 2041</h1><ul><li><b>Location</b> : Ottawa, Canada</li><li><b>Dates</b> : February 12, 2041</li>
<li>Agenda :<p>Tuesday, February 12, 2041</p><table><tr><th>Time</th><th>Name</th><th>Topic</th></tr>
${row}</table></li></ul></body></html>`;
    const extra = parse(html('<tr><td>9:00</td><td>Thomas Graf</td><td>rhashtable</td><td>room 2</td></tr>'), 'x.html');
    expect(extra.notes[0]).toEqual({ line: 3, message: "4 cells where the table header 'Time Name Topic' has 3: the row is read as text, its last cells in the title" });
    const padded = parse(html('<tr><td>9:00</td><td>Thomas Graf</td><td>rhashtable</td><td>&nbsp;</td></tr>'), 'x.html');
    expect(padded.notes).toEqual([]);
    expect(padded.days[0]!.slots.map((s) => [s.title, s.speakers])).toEqual([['rhashtable', ['Thomas Graf']]]);
  });
});

describe('a page of a year to come', () => {
  it('reads a title and dates past 2099, as an edition may have', () => {
    const page = parseSource(seedText(2011).replaceAll('2011', '2111'), { file: 'netconf-2111.txt', knownNames: [] });
    expect([page.title, page.year, page.startDate, page.endDate]).toEqual(["Linux Kernel Developers' Netconf 2111", 2111, '2111-06-14', '2111-06-15']);
  });
});
