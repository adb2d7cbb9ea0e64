/**
 * An HTML rendering of a page like 2015's: a real <table> agenda, links on "PDF", logos as
 * <img alt="… Logo">. Cells delimit speaker and topic, so no names need to be known; links give
 * materials their urls.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedDay } from './page-model.js';
import { parsePage, parseSource } from './parse-page.js';
import { looksLikeHtml } from './page-checks.js';
import { htmlLines } from './read-lines.js';

/** Where the page was: its relative links resolve against it. */
const BASE = 'http://vger.kernel.org/netconf2015.html';

const HTML = `<!DOCTYPE html>
<html>
<head><title>Netconf 2015</title><style>td { color: red }</style>
<script>document.write("<p>9:00 not a slot</p>");</script></head>
<body>
<h1>Linux Kernel Developers' Netconf 2015</h1>
<p>(Kernel Summit Networking Workshop)</p>
<p>Netconf is a Linux community conference, by-invitation-only, running for the seventh year.
The agenda has a clear focus on kernel level networking &amp; more.</p>
<p>This winter, the Netconf joins the Netdev 0.1 held February 14-17, 2015 in Ottawa, Canada.</p>
<p><a href="photos/group-2015.jpg">NetConf 2015 Ottawa Group Photo</a></p>
<ul>
  <li><b>Location</b> : Ottawa, Canada</li>
  <li><b>Dates</b> : February 12-13, 2015</li>
  <li><b>Sponsors</b> :<br>
    <a href="http://mojatatu.com"><img alt="Mojatatu Networks Logo" src="img/mojatatu.png"></a>
    <img alt="Cumulus Networks Logo" src="img/cumulus.png"><br>
    <img alt="Verizon Logo" src="img/verizon.png">
    <img alt="Noiro Networks, a Cisco Project" src="img/noiro.png">
  </li>
  <li><b>Committee</b>:
    <ul>
      <li>David S. Miller (<a href="mailto:davem@davemloft.net">davem@davemloft.net</a>, netdev maintainer)</li>
      <li>Soyoung Park (</li>
    </ul>
  </li>
  <li>(Tentative) Topics/Agenda/Schedule :
    <p>Thursday, February 12, 2015</p>
    <table>
      <tr><th>Time</th><th>Name</th><th>Topic</th></tr>
      <tr><td>9:00:00</td><td>Jamal Hadi Salim , David Miller</td><td>Introduction</td></tr>
      <tr><td>9:30:00</td><td>Thomas Graf</td>
          <td>rhashtable - Concurrent, lockless hash table (<a href="slides/tgraf.pdf">PDF</a>)</td></tr>
      <tr><td>10:30:00</td><td>Morning Break</td><td>&nbsp;</td></tr>
      <tr><td>11:30:00</td><td>Alexei Starovoitov</td>
          <td>bpf updates and next steps (<a href="slides/ast-1.pdf">PDF</a>, <a href="slides/ast-2.pdf">PDF</a>)</td></tr>
      <tr><td>12:00:00</td><td>&nbsp;</td><td>Lunch</td></tr>
      <tr><td>16:30:00</td><td>DaveM</td><td>Closing Words From The Chair</td></tr>
    </table>
    <p>Friday, February 13, 2015</p>
    <table>
      <tr><th>Time</th><th>Name</th><th>Topic</th></tr>
      <tr><td>9:00:00</td><td>Jeff Kirsher</td><td>&nbsp;</td></tr>
      <tr><td>13:00:00</td><td>Tom Herbert</td>
          <td>identifier-locator address (ILA, in <a href="slides/ila.pdf">PDF</a>)</td></tr>
      <tr><td>16:30:00</td><td>Eric Dumazet</td><td>Dynamic TCP pipe size probing</td></tr>
    </table>
  </li>
  <li>References/Resources
    <ul><li><a href="https://netdevconf.info/0.1/">Netdev 0.1</a></li></ul>
  </li>
</ul>
</body>
</html>`;

describe('an HTML page', () => {
  const page = parseSource(HTML, { file: 'netconf-2015.html', knownNames: [], baseUrl: BASE });

  it('reads the head, fields and people', () => {
    expect(page.title).toBe("Linux Kernel Developers' Netconf 2015");
    expect(page.subtitle).toBe('Kernel Summit Networking Workshop');
    expect(page.intro).toEqual([
      'Netconf is a Linux community conference, by-invitation-only. The agenda has a clear focus on kernel level networking & more.',
      'This winter, the Netconf joins the Netdev 0.1 held February 14-17, 2015 in Ottawa, Canada.',
    ]);
    expect(page.colocated?.name).toBe('Netdev 0.1');
    expect(page.groupPhoto).toEqual({ caption: 'NetConf 2015 Ottawa Group Photo', src: 'http://vger.kernel.org/photos/group-2015.jpg' });
    expect([page.city, page.region, page.country, page.timeZone]).toEqual(['Ottawa', 'ON', 'CA', 'America/Toronto']);
    expect([page.startDate, page.endDate]).toEqual(['2015-02-12', '2015-02-13']);
    expect(page.committee).toEqual([
      { name: 'David S. Miller', email: 'davem@davemloft.net', role: 'netdev maintainer', line: expect.any(Number) },
      { name: 'Soyoung Park', emailRedacted: true, line: expect.any(Number) },
    ]);
    expect(page.attendees).toBeNull();
    expect(page.references).toEqual([{ title: 'Netdev 0.1', url: 'https://netdevconf.info/0.1/' }]);
    expect(page.sections).toEqual(['intro', 'location', 'dates', 'sponsors', 'committee', 'agenda', 'references']);
    expect(page.skipped).toEqual([]);
  });

  it('takes a group photo image that links to another as the thumbnail of the full-size photo', () => {
    const withPhoto = (p: string) => {
      const html = HTML.replace('<p><a href="photos/group-2015.jpg">NetConf 2015 Ottawa Group Photo</a></p>', p);
      expect(html).not.toBe(HTML);
      return parseSource(html, { file: 'netconf-2015.html', knownNames: [], baseUrl: BASE });
    };
    const linked = { caption: 'NetConf 2015 Ottawa Group Photo', src: 'http://vger.kernel.org/netconf2015/group.jpg', thumb: 'http://vger.kernel.org/netconf2015/group-small.jpg' };
    const thumb = '<a href="netconf2015/group.jpg"><img src="netconf2015/group-small.jpg"></a>';
    // On the caption's line, or on a line of its own above or below it.
    for (const p of [`<p>${thumb} NetConf 2015 Ottawa Group Photo</p>`, `<p>${thumb}<br>NetConf 2015 Ottawa Group Photo</p>`, `<p>NetConf 2015 Ottawa Group Photo<br>${thumb}</p>`]) {
      const read = withPhoto(p);
      expect([p, read.groupPhoto, read.skipped]).toEqual([p, linked, []]);
    }
    // An image alone is the photo itself.
    expect(withPhoto('<p><img src="netconf2015/group.jpg"> NetConf 2015 Ottawa Group Photo</p>').groupPhoto).toEqual({ caption: linked.caption, src: linked.src });
  });

  it('takes sponsors from logo images, with their alt, src and link', () => {
    expect(page.sponsors).toEqual([
      { name: 'Mojatatu Networks', kind: 'company', logoAlt: 'Mojatatu Networks Logo', logoSrc: 'http://vger.kernel.org/img/mojatatu.png', url: 'http://mojatatu.com' },
      { name: 'Cumulus Networks', kind: 'company', logoAlt: 'Cumulus Networks Logo', logoSrc: 'http://vger.kernel.org/img/cumulus.png' },
      { name: 'Verizon', kind: 'company', logoAlt: 'Verizon Logo', logoSrc: 'http://vger.kernel.org/img/verizon.png' },
      { name: 'Noiro Networks, a Cisco Project', kind: 'company', logoAlt: 'Noiro Networks, a Cisco Project', logoSrc: 'http://vger.kernel.org/img/noiro.png' },
    ]);
  });

  it('splits speaker from topic by cells, with no known names and no guesses', () => {
    const expected: ParsedDay[] = [
      {
        line: 28,
        date: '2015-02-12',
        label: 'Thursday, February 12, 2015',
        columns: 'Time Name Topic',
        slots: [
          { line: 31, start: '09:00', timeText: '9:00:00', kind: 'talk', title: 'Introduction', speakers: ['Jamal Hadi Salim', 'David Miller'], materials: [] },
          {
            line: 32, start: '09:30', timeText: '9:30:00', kind: 'talk', title: 'rhashtable - Concurrent, lockless hash table', speakers: ['Thomas Graf'],
            materials: [{ kind: 'slides', format: 'pdf', label: 'PDF', about: 'rhashtable - Concurrent, lockless hash table', url: 'http://vger.kernel.org/slides/tgraf.pdf' }],
          },
          { line: 34, start: '10:30', timeText: '10:30:00', kind: 'break', title: 'Morning Break', speakers: [], materials: [] },
          {
            line: 35, start: '11:30', timeText: '11:30:00', kind: 'talk', title: 'bpf updates and next steps', speakers: ['Alexei Starovoitov'],
            materials: [
              { kind: 'slides', format: 'pdf', label: 'PDF', about: 'bpf updates and next steps', url: 'http://vger.kernel.org/slides/ast-1.pdf' },
              { kind: 'slides', format: 'pdf', label: 'PDF', about: 'bpf updates and next steps', url: 'http://vger.kernel.org/slides/ast-2.pdf' },
            ],
          },
          { line: 37, start: '12:00', timeText: '12:00:00', kind: 'meal', title: 'Lunch', speakers: [], materials: [] },
          { line: 38, start: '16:30', timeText: '16:30:00', kind: 'talk', title: 'Closing Words From The Chair', speakers: ['DaveM'], materials: [] },
        ],
      },
      {
        line: 40,
        date: '2015-02-13',
        label: 'Friday, February 13, 2015',
        columns: 'Time Name Topic',
        slots: [
          { line: 43, start: '09:00', timeText: '9:00:00', kind: 'talk', title: '', speakers: ['Jeff Kirsher'], materials: [] },
          {
            line: 44, start: '13:00', timeText: '13:00:00', kind: 'talk', title: 'identifier-locator address (ILA)', speakers: ['Tom Herbert'],
            materials: [{ kind: 'slides', format: 'pdf', label: 'PDF', about: 'identifier-locator address (ILA)', url: 'http://vger.kernel.org/slides/ila.pdf' }],
          },
          { line: 46, start: '16:30', timeText: '16:30:00', kind: 'talk', title: 'Dynamic TCP pipe size probing', speakers: ['Eric Dumazet'], materials: [] },
        ],
      },
    ];
    expect(page.days).toEqual(expected);
    expect(page.notes).toEqual([]);
  });

  it('reads "Open Discussion" in the Speaker column as the text importer reads the same row: a title, no one speaking', () => {
    const row = (t: string) => t.replace('<tr><td>16:30:00</td><td>Eric Dumazet</td>', '<tr><td>10:00am</td><td>Open Discussion</td><td>TBD</td></tr>\n      <tr><td>16:30:00</td><td>Eric Dumazet</td>');
    expect(row(HTML)).not.toBe(HTML);
    const html = parseSource(row(HTML), { file: 'netconf-2015.html', knownNames: [], baseUrl: BASE });
    const fromCells = html.days.flatMap((d) => d.slots).find((s) => s.timeText === '10:00am');
    // The 2011 text page's row, "3:15pm Open Discussion TBD", under "Time Speaker Topics".
    const text = parseSource(
      ["Linux Kernel Developers' Netconf 2011", '', 'Dates : June 14, 2011', '', 'Tuesday, June 14, 2011', '', '    Time Speaker Topics', '    3:15pm Open Discussion TBD', ''].join('\n'),
      { file: 'netconf-2011.txt', knownNames: [] },
    );
    const fromText = text.days[0]?.slots[0];
    expect(fromText).toMatchObject({ kind: 'discussion', title: 'Open Discussion TBD', speakers: [] });
    expect(fromCells).toMatchObject({ kind: fromText?.kind, title: fromText?.title, speakers: [] });
    // A known name in the column is a speaker still, whatever the topic.
    const named = parseSource(row(HTML).replace('<td>Open Discussion</td><td>TBD</td>', '<td>Jamal Hadi Salim</td><td>Open Discussion</td>'), { file: 'netconf-2015.html', knownNames: [], baseUrl: BASE });
    expect(named.days.flatMap((d) => d.slots).find((s) => s.timeText === '10:00am')).toMatchObject({ kind: 'discussion', title: 'Open Discussion', speakers: ['Jamal Hadi Salim'] });
  });

  it('needs the cells: the same rows as plain text fall back on guessing', () => {
    const flat = htmlLines(HTML, { base: BASE }).map(({ cells: _cells, ...rest }) => rest);
    const text = parsePage(flat, { file: 'flat', knownNames: [] });
    const closing = text.days[0]?.slots.find((s) => s.start === '16:30');
    expect(closing?.speakers).toEqual([]); // "DaveM Closing Words From The Chair": no name to find
    expect(text.notes.length).toBeGreaterThan(0);
  });

  it('is detected as HTML, or read as the format says', () => {
    expect(parseSource(`<table><tr><td>x</td></tr></table>\n${HTML}`, { file: 'a', knownNames: [] }).title).toBe(page.title);
    expect(parseSource(HTML, { file: 'a', knownNames: [], format: 'html', baseUrl: BASE }).days).toEqual(page.days);
  });
});

describe('HTML topic lists', () => {
  it('takes a topic title from its markup: <b> in a list item, or <dt>', () => {
    const html = `<html><body>
<h1>Linux Kernel Developers' Netconf 2004</h1>
<ul><li>Date : July 14-15, 2004</li>
<li>(Tentative) Topics :
  <ol>
    <li><b>Remote DMA</b> As networks are getting faster, the socket model is inadequate.</li>
    <li><strong>Early Traffic Control:</strong> I don't know much about this.</li>
    <li>Async I/O for networking Does anyone care? is it useful?</li>
  </ol>
  <dl><dt>Netlink extensions</dt><dd>Various stuff has been kicking around.</dd></dl>
</li></ul>
</body></html>`;
    const page = parseSource(html, { file: 'x.html', knownNames: [] });
    expect(page.tentative).toBe(true);
    expect(page.proposedTopics).toEqual([
      { line: 6, number: 1, title: 'Remote DMA', description: 'As networks are getting faster, the socket model is inadequate.', presenters: [] },
      { line: 7, number: 2, title: 'Early Traffic Control', description: "I don't know much about this.", presenters: [] },
      { line: 8, number: 3, title: 'Async I/O for networking', description: 'Does anyone care? is it useful?', presenters: [] },
      { line: 10, number: 4, title: 'Netlink extensions', description: 'Various stuff has been kicking around.', presenters: [] },
    ]);
    expect(page.sections).toEqual(['dates', 'proposed-topics']);
  });

  it('reads an invitee table by its cells', () => {
    const html = `<html><body>
<h1>Linux Kernel Developers' Netconf 2019</h1>
<ul><li>Date: June 20 - June 21, 2019</li><li>Topics/Invitees :
<table>
<tr><th>Name</th><th>Topic</th></tr>
<tr><td>David Miller</td><td>Intro</td></tr>
<tr><td></td><td>Delegation, device driver review team, GitHub</td></tr>
<tr><td>Eric Dumazet</td><td>N/A</td></tr>
<tr><td>DaveM</td><td>Open Source Networking</td></tr>
</table></li></ul>
</body></html>`;
    const page = parseSource(html, { file: 'x.html', knownNames: [] });
    expect(page.inviteeTopics).toEqual([
      { line: 6, name: 'David Miller', topics: ['Intro', 'Delegation, device driver review team, GitHub'] },
      { line: 8, name: 'Eric Dumazet', topics: [] },
      { line: 9, name: 'DaveM', topics: ['Open Source Networking'] },
    ]);
    expect(page.notes).toEqual([]);
  });

  it('reads each line of a cell as a topic of its own, as the page shows them', () => {
    const html = `<html><body>
<h1>Linux Kernel Developers' Netconf 2019</h1>
<ul><li>Date: June 20 - June 21, 2019</li><li>Topics/Invitees :
<table>
<tr><th>Name</th><th>Topic</th></tr>
<tr><td>David Miller</td><td>Intro<br><br>Delegation, device driver
  review team, GitHub</td></tr>
<tr><td>Jesper Brouer</td><td><p>XDP feature planning</p><p>friendlier UAPI for <b>XDP_REDIRECT</b></p></td></tr>
<tr><td>Eric Dumazet</td><td>N/A</td></tr>
</table></li></ul>
</body></html>`;
    const page = parseSource(html, { file: 'x.html', knownNames: [] });
    expect(page.inviteeTopics).toEqual([
      { line: 6, name: 'David Miller', topics: ['Intro', 'Delegation, device driver review team, GitHub'] },
      { line: 8, name: 'Jesper Brouer', topics: ['XDP feature planning', 'friendlier UAPI for XDP_REDIRECT'] },
      { line: 9, name: 'Eric Dumazet', topics: [] },
    ]);
  });
});

describe("an HTML page's links", () => {
  const page = (base: string) => `<!DOCTYPE html><html><head>${base}<title>Netconf 2041</title></head><body>
<h1>Netconf 2041</h1>
<ul>
  <li><b>Location</b> : Ottawa, Canada</li>
  <li><b>Dates</b> : February 12-13, 2041</li>
  <li>Agenda :
    <table>
      <tr><th>Time</th><th>Name</th><th>Topic</th></tr>
      <tr><td>9:00</td><td>Thomas Graf</td><td>rhashtable (<a href="javascript:alert(1)">PDF</a>, <a href=" DATA:text/html,hi">PDF</a>, <a href="slides/a.pdf">PDF</a>, <a href="https://example.org/b.pdf">PDF</a>)</td></tr>
      <tr><td>10:00</td><td>Tom Herbert</td><td>Bad link <a href="javascript:alert(1)">PDF</a></td></tr>
    </table>
  </li>
</ul></body></html>`;

  function urls(p: ReturnType<typeof parseSource>): (string | undefined)[] {
    return p.days.flatMap((d) => d.slots.flatMap((s) => s.materials.map((m) => m.url)));
  }

  it('keeps only http, https, ftp and mailto addresses, saying which it left out', () => {
    const p = parseSource(page(''), { file: 'x.html', knownNames: [] });
    expect(urls(p)).toEqual([undefined, undefined, undefined, 'https://example.org/b.pdf', undefined]);
    // The marker of a link left out is still a marker: out of the title, listed without address.
    expect(p.days[0]!.slots.map((s) => [s.title, s.materials.map((m) => m.label)])).toEqual([
      ['rhashtable', ['PDF', 'PDF', 'PDF', 'PDF']],
      ['Bad link', ['PDF']],
    ]);
    expect(p.notes.filter((n) => n.message.startsWith('left out')).map((n) => [n.line, n.message])).toEqual([
      [9, "left out the link to 'javascript:alert(1)': a javascript: address (only http, https, ftp and mailto are kept)"],
      [9, "left out the link to 'DATA:text/html,hi': a data: address (only http, https, ftp and mailto are kept)"],
      [9, "left out the link to 'slides/a.pdf': a relative address, and the page does not say where it was (give --base-url)"],
      [10, "left out the link to 'javascript:alert(1)': a javascript: address (only http, https, ftp and mailto are kept)"],
    ]);
  });

  it('resolves relative addresses against --base-url, or the page\'s <base href>', () => {
    const given = parseSource(page(''), { file: 'x.html', knownNames: [], baseUrl: 'http://vger.kernel.org/netconf2041.html' });
    expect(urls(given).filter(Boolean)).toEqual(['http://vger.kernel.org/slides/a.pdf', 'https://example.org/b.pdf']);
    const own = parseSource(page('<base href="https://netdev.example/2041/">'), { file: 'x.html', knownNames: [], baseUrl: 'http://vger.kernel.org/' });
    expect(urls(own).filter(Boolean)).toEqual(['https://netdev.example/2041/slides/a.pdf', 'https://example.org/b.pdf']);
  });
});

describe('an HTML page whose agenda covers fewer days than its dates', () => {
  const page = (end: string) => `<html><body><h1>Netconf 2041</h1><ul><li><b>Location</b> : Ottawa, Canada</li><li><b>Dates</b> : February 12-13, 2041</li>
<li>Agenda :<p>Tuesday, February 12, 2041</p><table><tr><th>Time</th><th>Name</th><th>Topic</th></tr>
<tr><td>9:00</td><td>Thomas Graf</td><td>rhashtable</td></tr></table></li></ul>${end}`;

  it('is read with a note when the page ends whole, and refused as cut off when it does not', () => {
    const whole = parseSource(page('</body></html>\n'), { file: 'x.html', knownNames: [] });
    expect(whole.days.map((d) => d.date)).toEqual(['2041-02-12']);
    expect(whole.notes.map((n) => n.message)).toContain('the agenda ends after 1 of 2 days (February 12-13, 2041), though the page ends whole');
    expect(() => parseSource(page(''), { file: 'x.html', knownNames: [] })).toThrow('x.html:3: the agenda ends after 1 of 2 days (February 12-13, 2041): the page looks cut off');
  });
});

describe('an HTML agenda with a speaker cell spanning two rows', () => {
  it('gives both talks their speaker', () => {
    const html = `<html><body><h1>Netconf 2041</h1><ul><li>Location : Ottawa, Canada</li><li>Dates : February 12, 2041</li>
<li>Agenda :<p>Tuesday, February 12, 2041</p><table><tr><th>Time</th><th>Name</th><th>Topic</th></tr>
<tr><td>9:00</td><td rowspan="2">Thomas Graf</td><td>rhashtable</td></tr>
<tr><td>9:30</td><td>Netlink (<a href="https://example.org/nl.pdf">PDF</a>)</td></tr>
<tr><td>10:00</td><td>Jiri Pirko</td><td>team</td></tr>
</table></li></ul></body></html>`;
    const page = parseSource(html, { file: 'x.html', knownNames: [] });
    expect(page.days[0]!.slots.map((s) => [s.start, s.speakers, s.title, s.materials.map((m) => m.url)])).toEqual([
      ['09:00', ['Thomas Graf'], 'rhashtable', []],
      ['09:30', ['Thomas Graf'], 'Netlink', ['https://example.org/nl.pdf']],
      ['10:00', ['Jiri Pirko'], 'team', []],
    ]);
  });
});

describe('an HTML list line with several links', () => {
  it('keeps each link, as a reference or notes of its own', () => {
    const html = `<html><body><h1>Netconf 2041</h1><ul><li>Location : Ottawa, Canada</li><li>Dates : February 12, 2041</li>
<li>Meeting notes<ul><li>Notes: <a href="https://example.org/day1.txt">day 1</a>, <a href="https://example.org/day2.txt">day 2</a></li></ul></li>
<li>References/Resources<ul><li>LWN: <a href="https://lwn.example/1/">day one</a> and <a href="https://lwn.example/2/">day two</a></li>
<li><a href="https://netdevconf.info/">Netdev</a></li></ul></li></ul></body></html>`;
    const page = parseSource(html, { file: 'x.html', knownNames: [] });
    expect(page.references).toEqual([
      { title: 'LWN: day one', url: 'https://lwn.example/1/' },
      { title: 'LWN: day two', url: 'https://lwn.example/2/' },
      { title: 'Netdev', url: 'https://netdevconf.info/' },
    ]);
    expect(page.meetingNotes.slice(1).map((m) => [m.label, m.url])).toEqual([
      ['Notes: day 1', 'https://example.org/day1.txt'],
      ['Notes: day 2', 'https://example.org/day2.txt'],
    ]);
  });
});

describe('an HTML page set in a layout table', () => {
  const html = [
    '<html><body><table width="100%" border="0"><tr>',
    '<td width="150" valign="top"><a href="/">Home</a><br><a href="netconf2015.html">2015</a></td>',
    '<td valign="top">',
    "<h1>Linux Kernel Developers' Netconf 2016</h1>",
    '<p>Netconf is a yearly, by-invitation-only, Linux community conference with a clear focus on kernel level networking.</p>',
    '<ul><li>Location : Seville, Spain</li><li>Dates : October 5, 2016</li>',
    '<li>(Tentative) Topics/Agenda/Schedule :<p>Wednesday, October 5, 2016</p>',
    '<table><tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>',
    '<tr><td>9:00am</td><td>David S. Miller</td><td>Welcome</td></tr>',
    '<tr><td>10:00am</td><td>Jamal Hadi Salim<br>Tom Herbert</td><td>TC offload</td></tr>',
    '<tr><td>11:00am</td><td><table><tr><td>Jiri Pirko</td></tr><tr><td>Ido Schimmel</td></tr></table></td><td>switchdev</td></tr>',
    '</table></li></ul>',
    '</td></tr></table></body></html>',
  ].join('\n');

  it('reads the page inside it, and every speaker of a cell that lists them a line each', () => {
    const page = parseSource(html, { file: 'netconf-2016.html', knownNames: [] });
    expect(page.title).toBe("Linux Kernel Developers' Netconf 2016");
    expect(page.locationText).toBe('Seville, Spain');
    expect(page.days[0]!.slots.map((s) => [s.start, s.speakers, s.title])).toEqual([
      ['09:00', ['David S. Miller'], 'Welcome'],
      ['10:00', ['Jamal Hadi Salim', 'Tom Herbert'], 'TC offload'],
      ['11:00', ['Jiri Pirko', 'Ido Schimmel'], 'switchdev'],
    ]);
    expect(page.skipped.map((s) => s.text)).toEqual(['Home', '2015']);
  });
});

describe('an HTML fragment, without <html> or <body>', () => {
  it('is read as HTML, not as text with its tags in it', () => {
    const html = [
      "<h1>Linux Kernel Developers' Netconf 2016</h1>",
      '<p>Netconf is a yearly, by-invitation-only, Linux community conference on kernel level networking &amp; more.</p>',
      '<ul><li>Location : Seville, Spain</li><li>Dates : October 5, 2016</li>',
      '<li>Attendees (by invitation only)<ul><li>David S. Miller</li><li>Eric Dumazet</li></ul></li></ul>',
    ].join('\n');
    const page = parseSource(html, { file: 'netconf-2016.html', knownNames: [] });
    expect(page.title).toBe("Linux Kernel Developers' Netconf 2016");
    expect(page.intro[0]).toContain('networking & more.');
    expect(page.locationText).toBe('Seville, Spain');
    expect(page.attendees?.map((a) => a.name)).toEqual(['David S. Miller', 'Eric Dumazet']);
  });

  it('leaves a text rendering with addresses in angle brackets text', () => {
    const text = "Linux Kernel Developers' Netconf 2016\n\n  • Location : Seville, Spain\n  • Attendees\n    David S. Miller <davem@davemloft.net>\n    Eric Dumazet <edumazet@google.com>\n";
    expect(looksLikeHtml(text)).toBe(false);
  });
});

describe('an HTML agenda with a Room column', () => {
  it('gives each slot its room', () => {
    const html = [
      "<html><body><h1>Linux Kernel Developers' Netconf 2016</h1>",
      '<ul><li>Dates : October 5, 2016</li><li>Topics/Agenda/Schedule :<p>Wednesday, October 5, 2016</p><table>',
      '<tr><th>Time</th><th>Speaker</th><th>Topic</th><th>Room</th></tr>',
      '<tr><td>9:00am</td><td>David S. Miller</td><td>Welcome</td><td>Sala 1</td></tr>',
      '<tr><td>10:00am</td><td>Eric Dumazet</td><td>TCP</td><td></td></tr>',
      '</table></li></ul></body></html>',
    ].join('\n');
    const page = parseSource(html, { file: 'netconf-2016.html', knownNames: [] });
    expect(page.days[0]!.slots.map((s) => [s.speakers, s.title, s.room])).toEqual([
      [['David S. Miller'], 'Welcome', 'Sala 1'],
      [['Eric Dumazet'], 'TCP', undefined],
    ]);
  });

  it('is refused in a text rendering, whose row cannot tell the room from the topic, saying so', () => {
    const text = "Linux Kernel Developers' Netconf 2016\n\n  • Dates : October 5, 2016\n  • Topics/Agenda/Schedule :\n    Wednesday, October 5, 2016\n    Time Speaker Topic Room\n    9:00am David S. Miller Welcome Sala 1\n";
    expect(() => parseSource(text, { file: 'netconf-2016.txt', knownNames: [] })).toThrow(
      "netconf-2016.txt:6: agenda table header 'Time Speaker Topic Room' has a Room column, which only an HTML table's cells tell apart from the speaker and topic: import the page's HTML, or leave the column out",
    );
  });
});
