import type { Scope } from '../context';
import { scrubUrl } from '../errors/scrubUrl';

/**
 * The page's URL as messages record it: origin, path and query, without the fragment, with the
 * values of secret-looking query parameters scrubbed as failed-request URLs are. Worked out again
 * only when the address changes (single-page apps change it without a new page). The address is
 * read as `document.URL`, the same as `location.href` but many times faster to read in Chromium,
 * which builds a new string for every read of `location.href`. Called only where there is a page.
 */
export function createPageUrl(scope: Scope): () => string {
  let href: string | undefined;
  let page = '';
  return () => {
    const current = scope.document.URL;
    if (current !== href) page = scrubUrl((href = current).split('#')[0] as string);
    return page;
  };
}
