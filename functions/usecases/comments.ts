/**
 * What happens when a reader posts a comment, independent of HTTP: the same steps run for the
 * API, the importer and the tests.
 */

import { newId } from '../core/ids';
import { LIMITS } from '../core/limits';
import { initialStatus } from '../core/moderation';
import { originOf } from '../core/page';
import { clientIpHash, editKeyHash, keyedHash } from '../core/privacy';
import type { NewCommentInput, PublicComment } from '../core/schemas';
import { config } from '../runtime/config';
import { sealEmail } from '../runtime/email-keys';
import { hashKeys, lookupHashOf } from '../runtime/keys';
import { isReaderTrusted, ParentNotVisibleError, putComment } from '../store/comments';
import { toPublicComment } from '../store/public-comments';
import { commitWith } from '../store/transact';
import { askForConfirmation } from './confirmations';
import { invalidField } from './errors';
import { guardSubmission, type SubmissionContext, submissionWrites } from './guard';

export interface SubmittedComment {
  comment: PublicComment;
  visible: boolean;
}

export async function submitComment(
  input: NewCommentInput,
  context: SubmissionContext,
): Promise<SubmittedComment> {
  const { moderation, allowedOrigins } = config();
  if (input.pageUrl) {
    const origin = originOf(input.pageUrl);
    // A link in the author's mail must point to her own blog, never to a planted address.
    if (!origin || !allowedOrigins.includes(origin)) {
      throw invalidField('pageUrl', 'origin_not_allowed');
    }
  }
  // Bots are refused and rate limits checked before anything is read or written.
  const guard = await guardSubmission({
    kind: 'comment',
    fields: input,
    sourceIp: context.sourceIp,
    page: input.page,
    content: {
      body: input.text,
      others: [input.name],
      akismet: {
        type: 'comment',
        content: input.text,
        author: input.name,
        authorUrl: input.website,
        permalink: input.pageUrl,
        userAgent: context.userAgent,
        lang: context.lang,
      },
    },
    now: context.now,
  });
  const emailHash = await lookupHashOf(input.email);
  const holdReasons = guard.holdReasons;
  const { editKeys, readerKeys } = await hashKeys();
  const readerKeyHash = input.readerKey ? keyedHash(input.readerKey, readerKeys) : undefined;
  // The same one read for every address, known or not: only the pair (address, her key) trusts.
  const trusted = moderation === 'first-time' && (await isReaderTrusted(emailHash, readerKeyHash));
  const status = initialStatus(moderation, trusted, holdReasons);
  const record = {
    id: newId(),
    page: input.page,
    parentId: input.parentId ?? null,
    name: input.name,
    website: input.website,
    text: input.text,
    status,
    createdAt: context.now.toISOString(),
    emailEnc: await sealEmail(input.email),
    emailHash,
    ipHash: context.sourceIp
      ? clientIpHash(context.sourceIp, (await hashKeys()).clientIp, context.now)
      : undefined,
    pageUrl: input.pageUrl,
    pageTitle: input.pageTitle?.slice(0, LIMITS.pageTitle.maxChars),
    lang: context.lang,
    ...(holdReasons.length ? { holdReasons } : {}),
    ...(input.notifyReplies ? { notifyReplies: true } : {}),
    ...(input.editKey ? { editKeyHash: editKeyHash(input.editKey, editKeys) } : {}),
    ...(readerKeyHash ? { readerKeyHash } : {}),
  };
  const result = { comment: toPublicComment(record), visible: status === 'approved' };
  // The comment, the rate counters, the proof-of-work marker and the stored response: all or nothing.
  const writes = submissionWrites(guard, context, { status: 201, body: result });
  try {
    await commitWith(writes, (items) => putComment(record, items));
  } catch (error) {
    if (error instanceof ParentNotVisibleError) {
      throw invalidField('parentId', 'parent_not_found');
    }
    throw error;
  }
  if (input.notifyReplies) {
    await askForConfirmation(
      {
        emailHash,
        emailEnc: record.emailEnc,
        lang: context.lang,
        purpose: 'replies',
        page: input.page,
        sourceIp: context.sourceIp,
      },
      context.now,
    );
  }
  return result;
}
