/**
 * The runtime configuration of every Lambda, read once per cold start from the environment that
 * the CDK stack (or the local stack) sets. Defaults are the sensible ones for a deployed blog.
 */
import type { Lang } from '../core/messages';
import type { ModerationPolicy } from '../core/moderation';

export interface RuntimeConfig {
  tableName: string;
  siteName: string;
  siteLang: Lang;
  allowedOrigins: string[];
  /** Public base URL of the API, used to build the links in the author's mail. */
  apiBaseUrl: string;
  authorEmail: string;
  senderEmail: string;
  moderation: ModerationPolicy;
  /** Browser-only spam guards (honeypot, fill time, proof of work); off only for scripted local stacks. */
  browserGuards: boolean;
  privacyUrl: string;
  dynamoEndpoint: string | undefined;
}

let cached: RuntimeConfig | undefined;

export function config(): RuntimeConfig {
  cached ??= readConfig(process.env);
  return cached;
}

/** Tests change the environment between files; this makes the next call read it again. */
export function resetConfig(): void {
  cached = undefined;
}

export function readConfig(env: NodeJS.ProcessEnv): RuntimeConfig {
  const moderation = env.MODERATION ?? 'first-time';
  if (moderation !== 'all' && moderation !== 'first-time' && moderation !== 'none') {
    throw new Error(`MODERATION must be all, first-time or none, not "${moderation}".`);
  }
  const siteLang = env.SITE_LANG ?? 'de';
  if (siteLang !== 'de' && siteLang !== 'en')
    throw new Error(`SITE_LANG must be de or en, not "${siteLang}".`);
  return {
    tableName: required(env, 'TABLE_NAME'),
    siteName: env.SITE_NAME ?? 'Blog',
    siteLang,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim().toLowerCase().replace(/\/+$/, ''))
      .filter(Boolean),
    apiBaseUrl: (env.API_BASE_URL ?? '').replace(/\/+$/, ''),
    authorEmail: env.AUTHOR_EMAIL ?? '',
    senderEmail: env.SENDER_EMAIL ?? env.AUTHOR_EMAIL ?? '',
    moderation,
    browserGuards: (env.BROWSER_GUARDS ?? 'on') !== 'off',
    privacyUrl: env.PRIVACY_URL ?? '',
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`The environment variable ${name} is not set.`);
  return value;
}
