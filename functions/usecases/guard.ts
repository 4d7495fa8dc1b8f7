/**
 * The spam guards and rate limits for one submission (a comment, a wish, a vote), in the order
 * that costs a bot the most and a reader nothing:
 *   1. browser guards (honeypot, form token fill time, proof of work): refuse with a generic 400;
 *   2. rate limits per hashed IP (and per page for comments): counter increments;
 *   3. content heuristics and the optional Akismet check: hold, never refuse.
 * Steps 1 and 2 produce conditional writes (the proof-of-work replay marker, the counters) that the
 * caller puts into the transaction of the submission itself; store/transact.ts `refusalFor` turns a
 * cancelled transaction back into the reader's error. So a refused submission writes nothing at all.
 */
import {
  checkFormToken,
  contentHoldReasons,
  type HoldReason,
  isHoneypotFilled,
  issueFormToken,
  powHmacKey,
} from '../core/guards';
import { LIMITS } from '../core/limits';
import type { Lang } from '../core/messages';
import { createPowChallenge, type PowChallenge, verifyPow } from '../core/pow';
import { clientIpHash, keyedHash } from '../core/privacy';
import { type AkismetSubmission, akismetCheck } from '../runtime/akismet';
import { config } from '../runtime/config';
import { hashKeys } from '../runtime/keys';
import { logger } from '../runtime/logger';
import { usedChallengeMarker } from '../store/challenges';
import type { ResponseRecorder } from '../store/idempotency';
import { type RateScope, rateCounterIncrement, rateWindow } from '../store/rate-limits';
import type { ConditionalWrite } from '../store/transact';
import { DomainError } from './errors';

/** What a submission use case (comment, wish) learns about the request, besides the input. */
export interface SubmissionContext {
  sourceIp: string;
  lang: Lang;
  now: Date;
  /** For the optional Akismet check. */
  userAgent?: string;
  /** Stores the response with the submission (Idempotency-Key), in the same transaction. */
  recordResponse?: ResponseRecorder;
}

/** The guard writes plus, with an Idempotency-Key, the stored response: one transaction with the item. */
export function submissionWrites(
  guard: GuardOutcome,
  context: SubmissionContext,
  response: { status: number; body: unknown },
): ConditionalWrite[] {
  const recorded = context.recordResponse?.(response.status, response.body);
  return recorded ? [...guard.writes, recorded] : guard.writes;
}

export interface GuardFieldsInput {
  hp?: string;
  formToken?: string;
  pow?: string;
}

export interface SubmissionGuardInput {
  kind: 'comment' | 'wish' | 'vote';
  /** The guard fields of a browser form; a vote brings only its proof of work. */
  fields?: GuardFieldsInput;
  sourceIp: string;
  /** Comments: the normalised page, for the per-page limit. */
  page?: string;
  /** Votes: the wish, for the per-wish-per-client limit. */
  wishId?: string;
  /** The text to judge: `body` gets every check, `others` (name, topic …) links and spam words only. */
  content?: { body: string; others?: (string | undefined)[]; akismet?: Omit<AkismetSubmission, 'userIp'> };
  now: Date;
}

export interface GuardOutcome {
  holdReasons: HoldReason[];
  /** Put these into the submission's transaction (store/transact.ts `commitWith`). */
  writes: ConditionalWrite[];
}

/** The generic refusal of a bot: it does not say which guard caught it. */
export const spamSuspected = () => new DomainError('spam_suspected');

export async function guardSubmission(input: SubmissionGuardInput): Promise<GuardOutcome> {
  const writes: ConditionalWrite[] = [];
  if (input.fields) writes.push(...(await browserGuards(input.kind, input.fields, input.now)));
  writes.push(...(await rateLimitWrites(input)));
  const holdReasons = input.content ? await contentReasons(input, input.content) : [];
  if (holdReasons.length > 0) logger.info('submission held', { kind: input.kind, holdReasons });
  return { holdReasons, writes };
}

async function browserGuards(kind: string, fields: GuardFieldsInput, now: Date): Promise<ConditionalWrite[]> {
  const { guards } = config();
  const refuse = (guard: string, reason: string) => {
    // Only the guard and the verdict are logged, never the token or the solution.
    logger.info('submission refused as automated', { kind, guard, reason });
    return spamSuspected();
  };
  if (guards.honeypot && isHoneypotFilled(fields.hp)) throw refuse('honeypot', 'filled');
  if (!guards.fillTime && !guards.proofOfWork) return [];
  const { formTokens: formKey } = await hashKeys();
  // A vote is one click with no form to fill: only the proof of work stands before a script.
  if (guards.fillTime && kind !== 'vote') {
    const verdict = checkFormToken(fields.formToken, formKey, now);
    if (verdict !== 'ok') throw refuse('formToken', verdict);
  }
  if (!guards.proofOfWork) return [];
  const pow = await verifyPow(fields.pow, powHmacKey(formKey), now);
  if (!pow.ok) throw refuse('pow', pow.reason);
  const marker = usedChallengeMarker(keyedHash(pow.challenge, formKey).slice(0, 32), pow.expiresAt + 60);
  return [{ item: marker, refused: () => refuse('pow', 'replayed') }];
}

const RATE_RULES: Record<SubmissionGuardInput['kind'], { scope: RateScope; perWindow: number }> = {
  comment: { scope: 'comment-ip', perWindow: LIMITS.rate.commentsPerWindow },
  wish: { scope: 'wish-ip', perWindow: LIMITS.rate.wishesPerWindow },
  vote: { scope: 'vote-ip', perWindow: LIMITS.rate.votesPerWindow },
};

async function rateLimitWrites(input: SubmissionGuardInput): Promise<ConditionalWrite[]> {
  const scale = config().rateLimitScale;
  if (scale === 0) return [];
  const keys = await hashKeys();
  const window = rateWindow(input.now, LIMITS.rate.windowSeconds);
  const limited = () => new DomainError('rate_limited', [], window.secondsLeft);
  const limit = (perWindow: number) => Math.max(1, Math.round(perWindow * scale));
  const writes: ConditionalWrite[] = [];
  const rule = RATE_RULES[input.kind];
  if (input.sourceIp) {
    const subject = clientIpHash(input.sourceIp, keys.clientIp, input.now);
    writes.push({
      item: rateCounterIncrement(rule.scope, subject, limit(rule.perWindow), window),
      refused: limited,
    });
    if (input.kind === 'vote' && input.wishId !== undefined) {
      writes.push({
        item: rateCounterIncrement(
          'vote-wish-ip',
          `${subject}.${input.wishId}`,
          limit(LIMITS.rate.votesPerWishPerWindow),
          window,
        ),
        refused: limited,
      });
    }
  }
  if (input.kind === 'comment' && input.page !== undefined) {
    // A page path can be 2 KB of UTF-8; its hash keeps the key short.
    const subject = keyedHash(input.page, keys.pageRate).slice(0, 32);
    writes.push({
      item: rateCounterIncrement(
        'comment-page',
        subject,
        limit(LIMITS.rate.commentsPerPagePerWindow),
        window,
      ),
      refused: limited,
    });
  }
  return writes;
}

async function contentReasons(
  input: SubmissionGuardInput,
  content: NonNullable<SubmissionGuardInput['content']>,
): Promise<HoldReason[]> {
  if (!config().guards.content) return [];
  const reasons = contentHoldReasons(content.body, content.others ?? []);
  if (content.akismet && input.sourceIp) {
    const verdict = await akismetCheck({ ...content.akismet, userIp: input.sourceIp });
    if (verdict === 'spam') reasons.push('akismet_spam');
    if (verdict === 'unavailable') reasons.push('spam_check_failed');
  }
  return reasons;
}

export interface GuardIssue {
  /** Send back unchanged as `formToken`; keep it for the whole visit (its age proves the fill time). */
  formToken: string;
  formTokenExpiresAt: string;
  /** Solve (core/pow-solve.ts) and send the result as `pow`; each challenge works once. */
  pow: PowChallenge;
  powExpiresAt: string;
  /** What the server checks; a widget may skip solving when proofOfWork is false. */
  enforced: { honeypot: boolean; minFillSeconds: number; proofOfWork: boolean };
}

/** What GET /guard hands the widget: a fresh form token and a proof-of-work challenge. */
export async function issueGuard(now: Date): Promise<GuardIssue> {
  const { formTokens: formKey } = await hashKeys();
  const { guards, powMaxNumber } = config();
  const after = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  return {
    formToken: issueFormToken(formKey, now),
    formTokenExpiresAt: after(LIMITS.guards.formTokenMaxAgeSeconds),
    pow: await createPowChallenge(powHmacKey(formKey), powMaxNumber, now),
    powExpiresAt: after(LIMITS.guards.powChallengeTtlSeconds),
    enforced: {
      honeypot: guards.honeypot,
      minFillSeconds: guards.fillTime ? LIMITS.guards.minFillSeconds : 0,
      proofOfWork: guards.proofOfWork,
    },
  };
}
