/**
 * The runtime configuration of every Lambda, read once per cold start from the environment that
 * the CDK stack (or the local stack) sets. Defaults are the sensible ones for a deployed blog.
 */
import { LIMITS } from '../core/limits';
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
  /**
   * Each spam guard on its own (GUARD_HONEYPOT, GUARD_FILL_TIME, GUARD_PROOF_OF_WORK, GUARD_CONTENT:
   * on|off, default on). BROWSER_GUARDS=off turns the first three off together.
   */
  guards: { honeypot: boolean; fillTime: boolean; proofOfWork: boolean; content: boolean };
  /** Proof-of-work difficulty (POW_MAX_NUMBER; default LIMITS.guards.powMaxNumber). */
  powMaxNumber: number;
  /** Multiplies every per-window rate limit (RATE_LIMIT_SCALE, default 1; 0 turns rate limits off). */
  rateLimitScale: number;
  /** Optional Akismet check (AKISMET_API_KEY; off without it). AKISMET_ENDPOINT only for tests. */
  akismet: { apiKey: string; endpoint: string } | undefined;
  privacyUrl: string;
  dynamoEndpoint: string | undefined;
  /** Further addresses that may log in to the desk, besides the author's (DESK_EMAILS, comma-separated). */
  deskEmails: string[];
  /** The desk's address (DESK_URL; default the API's base URL + /desk): login links, mail links, Origin check. */
  deskUrl: string;
  /** Time zone of dates in desk pages and mails (TIME_ZONE; default Europe/Berlin for de, Europe/London for en). */
  timeZone: string;
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
    ...guardSettings(env),
    privacyUrl: env.PRIVACY_URL ?? '',
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    deskEmails: (env.DESK_EMAILS ?? '')
      .split(',')
      .map((email) => email.trim())
      .filter(Boolean),
    deskUrl: (env.DESK_URL || `${(env.API_BASE_URL ?? '').replace(/\/+$/, '')}/desk`).replace(/\/+$/, ''),
    timeZone: timeZoneSetting(env.TIME_ZONE, siteLang),
  };
}

/** An IANA zone name the runtime knows; a typo stops the start instead of showing UTC quietly. */
function timeZoneSetting(raw: string | undefined, siteLang: Lang): string {
  const zone = raw?.trim() || (siteLang === 'de' ? 'Europe/Berlin' : 'Europe/London');
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`TIME_ZONE must be a time zone such as Europe/Berlin, not "${zone}".`);
  }
  return zone;
}

/** Only an explicit `off` turns a guard off; a typo leaves it on. */
function onOff(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name] ?? 'on').trim().toLowerCase() !== 'off';
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

function guardSettings(env: NodeJS.ProcessEnv) {
  const browser = onOff(env, 'BROWSER_GUARDS');
  const { min, max } = LIMITS.guards.powMaxNumberRange;
  return {
    guards: {
      honeypot: browser && onOff(env, 'GUARD_HONEYPOT'),
      fillTime: browser && onOff(env, 'GUARD_FILL_TIME'),
      proofOfWork: browser && onOff(env, 'GUARD_PROOF_OF_WORK'),
      content: onOff(env, 'GUARD_CONTENT'),
    },
    powMaxNumber: Math.round(numberSetting(env, 'POW_MAX_NUMBER', LIMITS.guards.powMaxNumber, min, max)),
    rateLimitScale: numberSetting(env, 'RATE_LIMIT_SCALE', 1, 0, 1_000_000),
    akismet: env.AKISMET_API_KEY
      ? {
          apiKey: env.AKISMET_API_KEY,
          endpoint: env.AKISMET_ENDPOINT || 'https://rest.akismet.com/1.1/comment-check',
        }
      : undefined,
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`The environment variable ${name} is not set.`);
  return value;
}
