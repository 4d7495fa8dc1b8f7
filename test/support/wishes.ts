/** Helpers for the wishes tests: a valid wish, voter ids, and calls that keep every response text. */
import { randomBytes } from 'node:crypto';
import { handler } from '../../functions/handlers/wishes';
import { applyWishAction } from '../../functions/usecases/wishes';
import { type CallResult, call } from './stack';

export function validWish(overrides: Record<string, unknown> = {}) {
  return {
    topic: 'Deine schwierigste und deine wunderbarste Kundin',
    details: 'Gern als Teil der 30-Tage-Serie.',
    displayName: 'Coach Miriam',
    showName: true,
    email: `miriam.${randomBytes(4).toString('hex')}@example.org`,
    notifyWhenWritten: true,
    consent: true,
    ...overrides,
  };
}

/** A random id as a browser would keep it. */
export const newVoterId = () => randomBytes(18).toString('base64url');

/** Every response body of the public API in this test file, to search for leaked private data. */
export const publicResponses: string[] = [];

async function kept(result: Promise<CallResult>): Promise<CallResult> {
  const response = await result;
  publicResponses.push(response.text);
  return response;
}

export const wishApi = {
  post: (json: unknown, headers: Record<string, string> = {}) =>
    kept(call(handler, { method: 'POST', path: '/wishes', json, headers })),
  list: (query = '') => kept(call(handler, { method: 'GET', path: '/wishes', rawQueryString: query })),
  vote: (id: string, voterId: string) =>
    kept(call(handler, { method: 'POST', path: `/wishes/${id}/vote`, json: { voterId } })),
  unvote: (id: string, voterId: string) =>
    kept(call(handler, { method: 'DELETE', path: `/wishes/${id}/vote`, json: { voterId } })),
  credit: (page: string) =>
    kept(
      call(handler, {
        method: 'GET',
        path: '/wishes/credit',
        rawQueryString: `page=${encodeURIComponent(page)}`,
      }),
    ),
};

/** Submits a wish and lets the author accept it; returns its id. */
export async function acceptedWish(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await wishApi.post(validWish(overrides));
  if (response.status !== 201) throw new Error(`Submitting failed: ${response.text}`);
  const id = response.body.wish.id as string;
  const accepted = await applyWishAction(id, 'accept', {}, new Date());
  if (accepted.outcome !== 'done') throw new Error(`Accepting failed: ${accepted.outcome}`);
  return id;
}

/** All the board's wishes, page by page, with the number of pages it took. */
export async function wholeBoard(sort: 'votes' | 'newest', limit: number) {
  const wishes: { id: string; votes: number; topic: string }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await wishApi.list(query);
    if (response.status !== 200) throw new Error(`Listing failed: ${response.text}`);
    wishes.push(...response.body.wishes);
    cursor = response.body.cursor;
    pages++;
  } while (cursor);
  return { wishes, pages };
}
