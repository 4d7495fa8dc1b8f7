/**
 * Every number the README states for a limit is the number in functions/core/limits.ts. Each
 * sentence is built from LIMITS and looked up in the README (whitespace folded), so changing a
 * limit without the README, or the README without the limit, fails here and names the sentence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WAITING_MAILS_TEXTS } from '../../functions/core/desk/waiting-mails-texts';
import { LIMITS } from '../../functions/core/limits';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MiB = 1024 * 1024;

/** A whole number of `unit` or the test fails: the README never rounds a lifetime. */
function whole(seconds: number, unit: number): number {
  expect(seconds % unit).toBe(0);
  return seconds / unit;
}

const WORDS: Record<number, string> = { 1: 'one', 2: 'two', 3: 'three' };
function inWords(count: number): string {
  expect(WORDS[count]).toBeDefined();
  return WORDS[count]!;
}

const { desk, comment, wish, readers, rate, dynamo, import: upload, backup, compliments } = LIMITS;
const tenMinutes = `${whole(rate.windowSeconds, MINUTE)} minutes`;

/** [where in the README, the sentence as LIMITS make it] */
const SENTENCES: [string, string][] = [
  ['desk login link', `a link valid for ${whole(desk.loginLinkTtlSeconds, MINUTE)} minutes`],
  ['desk session', `The session lasts ${whole(desk.sessionTtlSeconds, HOUR)} hours`],
  ['desk return path', `Only a path of the desk itself, up to ${desk.returnPathMaxChars} characters, counts`],
  ['desk comment list', `(Freigegeben, Zurückgehalten, Spam), newest first, ${desk.listPageSize} a page`],
  ['author label', `(up to ${desk.authorLabelMaxChars} characters; empty → "Autorin"/"Author")`],
  [
    'passkeys',
    `("iPhone", up to ${desk.passkeyNameMaxChars} characters) adds one (up to ${desk.passkeysMax})`,
  ],
  ['passkey challenge', `works once within ${whole(desk.passkeyChallengeTtlSeconds, MINUTE)} minutes`],
  ['wish by hand: credit link', `(https:// or http://, up to ${comment.websiteMaxChars} characters;`],
  ['compliments', `newest first, ${compliments.pageSize} a page, searchable by word`],
  ['import upload', `Up to ${whole(upload.uploadBytes, MiB)} MB go up as they are`],
  ['import unpacked', `up to ${whole(upload.inflatedBytes, MiB)} MB unpacked`],
  ['import step', `${upload.recordsPerBatch} comments a step`],
  ['import TTL', `with a TTL of ${inWords(whole(upload.jobTtlSeconds, DAY))} days`],
  [
    'restore at the desk',
    `up to ${Math.floor(backup.uploadBytes / 1_000_000)} MB and ${backup.deskRestoreItems} comments, wishes, votes and compliments`,
  ],
  ['edit window (API)', `delete your own comment within ${whole(comment.editWindowSeconds, MINUTE)} minutes`],
  ['edit window (mail)', `edits within the ${whole(comment.editWindowSeconds, MINUTE)} minutes`],
  ['moderation link', `an expiry (${whole(LIMITS.moderationLinkTtlSeconds, DAY)} days)`],
  ['failed mails', `kept in the table for ${whole(LIMITS.notifier.failedMailKeepSeconds, DAY)} days`],
  [
    'failed mails resent',
    `resends them automatically every ${readers.digestSweepMinutes} minutes (up to ${LIMITS.notifier.resendPerSweep} per run,`,
  ],
  [
    'confirmation mails',
    `At most ${readers.confirmationsPerAddressPerDay} confirmation mails per address per day and ${readers.confirmationsPerClientPerWindow} per client per ${tenMinutes}`,
  ],
  [
    'reply digest',
    `replies within the ${whole(readers.replyDigestSeconds, HOUR) === 1 ? 'hour' : '?'} after`,
  ],
  ['digest sweep', `a sweep every ${readers.digestSweepMinutes} minutes`],
  ['unsubscribe link', `for ${inWords(whole(readers.unsubscribeLinkTtlSeconds, 365 * DAY))} years`],
  [
    'held comment',
    `at most ${whole(comment.heldShownSeconds, DAY)} days (\`LIMITS.comment.heldShownSeconds\`)`,
  ],
  [
    'waiting wish',
    `at most ${whole(wish.pendingShownSeconds, DAY)} days (\`LIMITS.wish.pendingShownSeconds\`)`,
  ],
  [
    'Meine Daten mails',
    `at most ${readers.dataRequestsPerAddressPerDay} such mails go to one address per day and ${readers.dataRequestsPerClientPerWindow} per client per ${tenMinutes}`,
  ],
  [
    'Meine Daten link',
    `valid for ${whole(readers.dataLinkTtlSeconds, HOUR)} hours (\`LIMITS.readers.dataLinkTtlSeconds\`)`,
  ],
  [
    'votes per wish',
    `(${rate.votesPerWishPerWindow}) times per ${whole(rate.windowSeconds, MINUTE)}-minute window`,
  ],
  [
    'votes per wish per hour',
    `at most ${(rate.votesPerWishPerWindow * HOUR) / rate.windowSeconds} votes to one wish per hour`,
  ],
  ['email local part', `an email local part over ${comment.emailLocalMaxChars} characters`],
  [
    'database timeouts',
    `${dynamo.connectionTimeoutMs / 1000} s to connect, ${dynamo.requestTimeoutMs / 1000} s per request, ${dynamo.maxAttempts} attempts, so at most about ${(dynamo.maxAttempts * dynamo.requestTimeoutMs) / 1000 + 1} s per call`,
  ],
  ['local header limit', `a query string over ${LIMITS.local.maxHeaderBytes / 1024} KB get a 431`],
  ['edge cache', `keeps the public lists for ${LIMITS.edgeCache.maxAgeSeconds} seconds`],
  // The desk's words, as the settings page shows them.
  [
    'resend button',
    `_${WAITING_MAILS_TEXTS.de.resend}_ (${WAITING_MAILS_TEXTS.en.resend}) resends them at once`,
  ],
  ['waiting mails section', `**${WAITING_MAILS_TEXTS.de.title}**: how many mails that failed wait`],
];

describe('the limits the README states', () => {
  it.each(SENTENCES)('%s: the README says “%s”', (_where, sentence) => {
    expect(readme).toContain(sentence);
  });
});
