/**
 * The requests the bench sends, shared by the in-process latency run and the memory child
 * (which is bundled on its own, so this file imports nothing heavy).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EventInput } from '../dev/http-adapter';

export type Request = EventInput & { json?: unknown };

/**
 * Readers come from many addresses and write on many pages: each request gets its own source IP
 * and at most 50 comments share a page, so the rate limits (per IP, per page) never refuse one.
 */
export function readerIp(i: number): string {
  const n = i + 1_000_000;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export const postRequest = (i: number): Request => ({
  method: 'POST',
  path: '/comments',
  sourceIp: readerIp(i),
  json: {
    page: `/bench/posting-${Math.floor((i + 100) / 50)}`,
    name: `Leserin ${i}`,
    email: `leserin.${randomBytes(4).toString('hex')}@example.org`,
    text: 'Danke für den Beitrag, der Teil über Newsletter hat mir sehr geholfen!',
    consent: true,
  },
});

export const voteRequest = (wishId: string, i: number): Request => ({
  method: 'POST',
  path: `/wishes/${wishId}/vote`,
  sourceIp: readerIp(i),
  json: { voterId: randomUUID() },
});

export const listRequest = (page: string, limit = 50): Request => ({
  method: 'GET',
  path: '/comments',
  rawQueryString: `page=${encodeURIComponent(page)}&limit=${limit}`,
});

export const countsRequest = (pages: readonly string[]): Request => ({
  method: 'GET',
  path: '/comments/counts',
  rawQueryString: `pages=${pages.map(encodeURIComponent).join(',')}`,
});
