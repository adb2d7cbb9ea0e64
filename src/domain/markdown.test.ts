import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown, withoutOwnTitle } from './markdown.js';

describe('renderMarkdown', () => {
  it('renders emphasis, lists and code', () => {
    expect(renderMarkdown('*XDP* and `bpf`\n\n- one\n- two')).toBe(
      '<p><em>XDP</em> and <code>bpf</code></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n',
    );
  });
  it('shows raw HTML as text', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });
  it('refuses javascript: and data: links, keeps http ones without referrer', () => {
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href');
    expect(renderMarkdown('[x](data:text/html,hi)')).not.toContain('href');
    expect(renderMarkdown('[x](https://lwn.net/)')).toBe('<p><a href="https://lwn.net/" rel="nofollow noopener noreferrer">x</a></p>\n');
  });
  it('shows an image as a link to it, never loading it with the page', () => {
    expect(renderMarkdown('![pixel](https://tracker.example/p.png?who=1&x=2)')).toBe('<p><a href="https://tracker.example/p.png?who=1&amp;x=2" rel="nofollow noopener noreferrer">pixel (image)</a></p>\n');
    expect(renderMarkdown('![](https://example.org/a.png "t")')).toBe('<p><a href="https://example.org/a.png" rel="nofollow noopener noreferrer">image</a></p>\n');
    expect(renderMarkdown('![<b>](https://example.org/a.png)')).toContain('>&lt;b&gt; (image)</a>');
    expect(renderMarkdown('![x](javascript:alert(1))')).not.toMatch(/href|<img/);
  });

  it('puts a text\'s headings below the page heading it sits under, at most h6', () => {
    expect(renderMarkdown('# Day 1\n\n## Queues', 3)).toBe('<h4>Day 1</h4>\n<h5>Queues</h5>\n');
    expect(renderMarkdown('#### Deep', 3)).toBe('<h6>Deep</h6>\n');
    expect(renderMarkdown('# Alone')).toBe('<h1>Alone</h1>\n');
  });
  it('is empty for an empty text', () => {
    expect(renderMarkdown('  \n')).toBe('');
  });
  it('gives plain text back', () => {
    expect(markdownToText('# Title\n\nSome *bold* & <odd> text')).toBe('Title\n\nSome bold & <odd> text');
  });
});

describe('withoutOwnTitle', () => {
  const titles = ['Meeting notes', 'Notes, day 1'];
  it('drops a first heading that says what the page says above it', () => {
    expect(withoutOwnTitle('# Meeting notes\n\nWe talked.', titles)).toBe('\nWe talked.');
    expect(withoutOwnTitle('  ## meeting   NOTES ##\nWe talked.', titles)).toBe('We talked.');
    expect(withoutOwnTitle('Notes, day 1\n============\n\nWe talked.', titles)).toBe('\nWe talked.');
  });
  it('keeps any other heading, and one further down', () => {
    expect(withoutOwnTitle('# Day 1\n\nWe talked.', titles)).toBe('# Day 1\n\nWe talked.');
    expect(withoutOwnTitle('Intro.\n\n# Meeting notes\n', titles)).toBe('Intro.\n\n# Meeting notes\n');
    expect(withoutOwnTitle('#Meeting notes', titles)).toBe('#Meeting notes');
    expect(withoutOwnTitle('', titles)).toBe('');
  });
});
