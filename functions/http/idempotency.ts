/**
 * `Idempotency-Key` for POSTs: the first response is stored in the same transaction as what the
 * request wrote; a retry with the same key and body gets that response back and writes nothing.
 * A concurrent duplicate either finds the stored response or (while the first is still running)
 * gets 409 with Retry-After. The same key with another body is a client bug: 422.
 */
import { LIMITS } from '../core/limits';
import { keyedHash } from '../core/privacy';
import { hashKeys } from '../runtime/keys';
import { getIdempotencyRecord, idempotencyRecordPut, type ResponseRecorder } from '../store/idempotency';
import { HttpError } from './errors';
import type { Request } from './request';
import { json, type Response } from './response';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]+$/;

class DuplicateInFlight extends Error {}

export async function idempotent(
  request: Request,
  operationId: string,
  run: (recordResponse: ResponseRecorder | undefined) => Promise<Response>,
): Promise<Response> {
  const key = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
  if (key === undefined) return run(undefined);
  const { minChars, maxChars, ttlSeconds } = LIMITS.idempotencyKey;
  if (key.length < minChars || key.length > maxChars || !KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_input', [
      { field: IDEMPOTENCY_HEADER, code: 'invalid_idempotency_key' },
    ]);
  }
  const { idempotency: lookupKey } = await hashKeys();
  // Keys and bodies are stored only as keyed hashes: the body holds an email address.
  const keyHash = keyedHash(`idempotency\n${operationId}\n${key}`, lookupKey);
  const requestHash = keyedHash(request.body, lookupKey);
  const now = new Date();

  const replay = async (): Promise<Response | undefined> => {
    const stored = await getIdempotencyRecord(keyHash, now);
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) throw new HttpError(422, 'idempotency_key_reused');
    return { ...json(stored.statusCode, null, { 'idempotent-replayed': 'true' }), body: stored.body };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  const recordResponse: ResponseRecorder = (statusCode, body) => ({
    item: idempotencyRecordPut(
      keyHash,
      {
        requestHash,
        statusCode,
        body: JSON.stringify(body),
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
      },
      now,
    ),
    refused: () => new DuplicateInFlight(),
  });
  try {
    return await run(recordResponse);
  } catch (error) {
    if (!(error instanceof DuplicateInFlight)) throw error;
    const stored = await replay();
    if (stored) return stored;
    throw new HttpError(409, 'idempotency_in_progress', [], { 'retry-after': '1' });
  }
}
