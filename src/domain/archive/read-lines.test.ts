import { describe, expect, it } from 'vitest';
import { htmlLines, textLines } from './read-lines.js';

describe('textLines', () => {
  it('numbers raw lines from 1, whatever the line ends, without a trailing newline', () => {
    expect(textLines('\ufeffa\r\n  • b\u00a0\rc')).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: '  • b\u00a0' },
      { line: 3, text: 'c' },
    ]);
  });
});

describe('htmlLines', () => {
  it('makes a line of each block, at the line where the element starts', () => {
    const html = [
      '<html><head><title>T</title><style>p{}</style></head><body>',
      '<h1>Linux Kernel Developers\'<br>',
      'Netconf 2011</h1>',
      '<p>Tom &amp; Jerry&nbsp;',
      '  <script>var s = "<p>x</p>";</script>run</p>',
      '<div>one<div>two</div>three</div>',
      '<dl><dt>Title</dt><dd>Description</dd></dl>',
      '</body></html>',
    ].join('\n');
    expect(htmlLines(html)).toEqual([
      { line: 2, text: "Linux Kernel Developers'", tag: 'h1' },
      { line: 3, text: 'Netconf 2011', tag: 'h1' },
      { line: 4, text: 'Tom & Jerry\u00a0 run', tag: 'p' },
      { line: 6, text: 'one', tag: 'div' },
      { line: 6, text: 'two', tag: 'div' },
      { line: 6, text: 'three', tag: 'div' },
      { line: 7, text: 'Title', tag: 'dt' },
      { line: 7, text: 'Description', tag: 'dd' },
    ]);
  });

  it('puts a cell that spans rows in each row it spans, at its column', () => {
    const html = [
      '<table>',
      '<tr><td>10:00am</td><td rowspan="2">David S. Miller</td><td>Routing</td></tr>',
      '<tr><td>10:30am</td><td>More routing</td></tr>',
      '<tr><td rowspan=2 colspan=2>Lunch</td><td>12:00</td></tr>',
      '<tr><td>noon</td></tr>',
      '<tr><td>1:00pm</td><td>Jamal Hadi Salim</td><td>tc</td></tr>',
      '</table>',
    ].join('\n');
    expect(htmlLines(html).map((l) => l.cells)).toEqual([
      ['10:00am', 'David S. Miller', 'Routing'],
      ['10:30am', 'David S. Miller', 'More routing'],
      ['Lunch', '12:00'],
      ['Lunch', 'noon'],
      ['1:00pm', 'Jamal Hadi Salim', 'tc'],
    ]);
  });

  it('makes one line of a table row, with its cells, links and images', () => {
    const html = [
      '<table>',
      '<tr><th>Time</th><th>Name</th><th>Topic</th></tr>',
      '<tr>',
      '  <td>9:30:00</td><td>Thomas Graf</td>',
      '  <td>rhashtable <b>now</b> (<a href="https://x.org/t.pdf">PDF</a>)<br>more</td>',
      '</tr>',
      '<tr><td>10:30:00</td><td>Morning Break</td><td>&nbsp;</td></tr>',
      '</table>',
    ].join('\n');
    expect(htmlLines(html)).toEqual([
      { line: 2, text: 'Time Name Topic', cells: ['Time', 'Name', 'Topic'], tag: 'tr' },
      {
        line: 3,
        text: '9:30:00 Thomas Graf rhashtable now (PDF) more',
        cells: ['9:30:00', 'Thomas Graf', 'rhashtable now (PDF)\nmore'],
        links: [{ text: 'PDF', href: 'https://x.org/t.pdf' }],
        bold: ['now'],
        tag: 'tr',
      },
      { line: 7, text: '10:30:00 Morning Break \u00a0', cells: ['10:30:00', 'Morning Break', '\u00a0'], tag: 'tr' },
    ]);
  });

  it('puts an image alt text in the line, as a browser shows it', () => {
    const html = '<li>Sponsors :<br>\n<a href="http://v.com"><img alt="Verizon Logo" src="v.png"></a> <img alt="Noiro Networks" src="/n.png"></li>';
    expect(htmlLines(html, { base: 'https://netconf.example/2015/index.html' })).toEqual([
      { line: 1, text: 'Sponsors :', tag: 'li' },
      {
        line: 2,
        text: 'Verizon Logo Noiro Networks',
        links: [{ text: 'Verizon Logo', href: 'http://v.com' }],
        images: [
          { alt: 'Verizon Logo', src: 'https://netconf.example/2015/v.png' },
          { alt: 'Noiro Networks', src: 'https://netconf.example/n.png' },
        ],
        tag: 'li',
      },
    ]);
  });

  it('reads a layout table as blocks, and the tables inside it as tables', () => {
    const html = [
      '<table width="100%"><tr>',
      '<td><a href="/">Home</a><br><a href="/2015.html">2015</a></td>',
      "<td><h1>Linux Kernel Developers' Netconf 2016</h1>",
      '<p>Intro</p>',
      '<table><tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>',
      '<tr><td>9:00am</td><td>David S. Miller</td><td>Welcome</td></tr></table>',
      '</td></tr></table>',
    ].join('\n');
    expect(htmlLines(html).map((l) => [l.line, l.text, l.cells])).toEqual([
      [2, 'Home', undefined],
      [2, '2015', undefined],
      [3, "Linux Kernel Developers' Netconf 2016", undefined],
      [4, 'Intro', undefined],
      [5, 'Time Speaker Topics', ['Time', 'Speaker', 'Topics']],
      [6, '9:00am David S. Miller Welcome', ['9:00am', 'David S. Miller', 'Welcome']],
    ]);
  });

  it('reads a one-column table inside a cell as lines of that cell, not as the end of its row', () => {
    const html = [
      '<table>',
      '<tr><td>10:00am</td><td><table><tr><td>Jamal Hadi Salim</td></tr><tr><td>Tom Herbert</td></tr></table></td><td>TC offload</td></tr>',
      '<tr><td>11:00am</td><td>Eric Dumazet</td><td>TCP</td></tr>',
      '</table>',
    ].join('\n');
    expect(htmlLines(html).map((l) => l.cells)).toEqual([
      ['10:00am', 'Jamal Hadi Salim\nTom Herbert', 'TC offload'],
      ['11:00am', 'Eric Dumazet', 'TCP'],
    ]);
  });

  it('splits nested lists into lines and keeps pre lines', () => {
    const html = '<ul><li>Attendees\n<ul><li>David S. Miller (</li>\n<li>Tom Herbert</li></ul></li></ul>\n<pre>a\nb</pre>';
    expect(htmlLines(html).map((l) => [l.line, l.text])).toEqual([
      [1, 'Attendees'],
      [2, 'David S. Miller ('],
      [3, 'Tom Herbert'],
      [4, 'a'],
      [5, 'b'],
    ]);
  });
});
