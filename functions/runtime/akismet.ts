/**
 * Optional Akismet check (only when AKISMET_API_KEY is configured; the blog's privacy page must then
 * name Akismet). Sends what Akismet needs to judge — the text, the name, the website, the reader's IP
 * and user agent — but never the email address. Any failure (timeout, network, an answer that is
 * neither "true" nor "false") is reported as 'unavailable', which holds the submission: fail open to
 * moderation, never to publication.
 */
import { LIMITS } from '../core/limits';
import { config } from './config';
import { logger } from './logger';

export interface AkismetSubmission {
  type: 'comment' | 'contact-form';
  content: string;
  author?: string;
  authorUrl?: string;
  permalink?: string;
  userIp: string;
  userAgent?: string;
  referrer?: string;
  lang: string;
}

export type AkismetVerdict = 'ham' | 'spam' | 'unavailable';

export async function akismetCheck(submission: AkismetSubmission): Promise<AkismetVerdict | undefined> {
  const { akismet, allowedOrigins } = config();
  if (!akismet) return undefined;
  const form = new URLSearchParams({
    api_key: akismet.apiKey,
    blog: allowedOrigins[0] ?? '',
    user_ip: submission.userIp,
    user_agent: submission.userAgent ?? '',
    referrer: submission.referrer ?? '',
    permalink: submission.permalink ?? '',
    comment_type: submission.type,
    comment_author: submission.author ?? '',
    comment_author_url: submission.authorUrl ?? '',
    comment_content: submission.content,
    blog_lang: submission.lang,
    blog_charset: 'UTF-8',
  });
  try {
    const response = await fetch(akismet.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: form,
      signal: AbortSignal.timeout(LIMITS.guards.akismetTimeoutMs),
    });
    const answer = (await response.text()).trim();
    if (response.ok && answer === 'true') return 'spam';
    if (response.ok && answer === 'false') return 'ham';
    logger.warn('akismet answered unexpectedly', { status: response.status });
    return 'unavailable';
  } catch (error) {
    logger.warn('akismet unreachable', { errorName: (error as Error)?.name });
    return 'unavailable';
  }
}
