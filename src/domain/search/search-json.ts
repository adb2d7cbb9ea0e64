/**
 * A search result as JSON: the result, each hit with the address of its page or row (urls.hit),
 * as the web's /search.json and `conclave search --json` give it, written once for both.
 */
import { urls } from '../../web/urls.js';
import type { SearchHit, SearchResult } from './search.js';

export function searchJson(r: SearchResult): Omit<SearchResult, 'hits'> & { hits: (SearchHit & { url: string })[] } {
  return { ...r, hits: r.hits.map((h) => ({ ...h, url: urls.hit(h) })) };
}
