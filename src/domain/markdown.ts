/**
 * Markdown written by people (topic abstracts, meeting notes) as safe HTML: raw HTML in the text is
 * shown as text, links may only be http(s), mailto or relative, and nothing else gets through.
 * Callers keep the result in a variable whose name starts with `safe`, which is how kitajs'
 * xss-scan knows it is already escaped.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const SAFE_LINK = /^(https?:|mailto:|\/|#|\.\.?\/|[^:]*$)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

// Links written by people open as plain links: no referrer to the target, no opener.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// An image in a text is shown as a link to it: loaded with the page, a remote one would tell its
// owner who reads the page and when (a proposer's tracking pixel on the committee's topics page).
md.renderer.rules.image = (tokens, idx, _options, env, self) => {
  const t = tokens[idx]!;
  const src = t.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(t.children ?? [], md.options, env);
  return `<a href="${md.utils.escapeHtml(String(src))}" rel="nofollow noopener noreferrer">${md.utils.escapeHtml(alt ? `${alt} (image)` : 'image')}</a>`;
};

// A text's headings sit under the page's own: "# Day 1" in notes shown under an <h3> is an <h4>,
// not a second <h1> that breaks the page's outline (and a screen reader's or lynx's list of it).
md.core.ruler.push('heading_below', (state) => {
  const below = (state.env as { headingsBelow?: number } | undefined)?.headingsBelow ?? 0;
  if (!below) return;
  for (const t of state.tokens) {
    if (t.type === 'heading_open' || t.type === 'heading_close') t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + below)}`;
  }
});

/**
 * The HTML of a Markdown text; empty for an empty text. `headingsBelow`: the level of the page's
 * heading the text sits under, so that its own "#" comes one level below it.
 */
export function renderMarkdown(text: string, headingsBelow = 0): string {
  return text.trim() === '' ? '' : md.render(text, { headingsBelow });
}

/** The text of a Markdown document without its markup, for mail, feeds and search snippets. */
export function markdownToText(text: string): string {
  return md
    .render(text)
    .replace(/<\/(p|li|h[1-6]|pre|blockquote)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The text without a first heading that only says what the page says above it: notes that begin
 * with their own "# Meeting notes", shown under the page's "Meeting notes" and the notes' label,
 * would say it three times. `titles`: the headings already shown (compared ignoring case and
 * spacing). An ATX ("# …") or setext ("…" over "===") heading on the first line.
 */
export function withoutOwnTitle(text: string, titles: readonly string[]): string {
  const key = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const shown = new Set(titles.map(key));
  const m = /^\s*#{1,6}[ \t]+(.*?)[ \t#]*(?:\r?\n|$)/.exec(text) ?? /^\s*([^\n]+)\r?\n[=-]{2,}[ \t]*(?:\r?\n|$)/.exec(text);
  return m && shown.has(key(m[1]!)) ? text.slice(m[0].length) : text;
}
