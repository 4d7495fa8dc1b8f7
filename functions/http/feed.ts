/** What every feed route needs besides its items: the blog (name, language, origin) and its own address. */
import type { FeedSite } from '../core/feed';
import { config } from '../runtime/config';
import type { Request } from './request';

export function feedSite(): FeedSite {
  const { siteName, siteLang, allowedOrigins } = config();
  return { siteName, lang: siteLang, origin: allowedOrigins[0] ?? '' };
}

/** The feed's own URL, as the reader's feed app asked for it. */
export function selfUrl(request: Request): string {
  const query = new URLSearchParams(request.query).toString();
  return `https://${request.headers.host ?? 'localhost'}${request.path}${query ? `?${query}` : ''}`;
}
