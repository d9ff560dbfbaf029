import type { Scope } from '../context';
import { scrubUrl } from '../errors/scrubUrl';

/**
 * The page's URL as messages record it: origin, path and query, without the fragment, with the
 * values of secret-looking query parameters scrubbed as failed-request URLs are. Worked out again
 * only when the address changes (single-page apps change it without a new page).
 */
export function createPageUrl(scope: Scope | undefined): () => string {
  let href: string | undefined;
  let page = '';
  return () => {
    const current = scope?.location.href;
    if (current !== href) page = scrubUrl((href = current || '').split('#')[0] as string);
    return page;
  };
}
