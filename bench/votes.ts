/**
 * How many votes one scripted client adds to one wish: the same client address (as a curl loop
 * has) inventing a new voter id for every try, against the real wishes handler and DynamoDB Local
 * with the limits as deployed. Measured over one rate window, then per hour.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS } from '../functions/core/limits';
import { call } from '../test/support/stack';
import { benchTable, loadHandler } from './dynamo-env';
import { publicWish } from './handlers';
import { atMost, progress, type Row } from './report';

export async function benchVotes(): Promise<{ rows: Row[] }> {
  // The deployed limits (the bench's default table scales them up for the throughput figures).
  await benchTable({ RATE_LIMIT_SCALE: '1' });
  const wishes = await loadHandler('wishes');
  const wishId = wishes && (await publicWish(wishes));
  if (!wishes || !wishId) throw new Error('no public wish to vote for');
  const tries = 50;
  let counted = 0;
  progress(`votes: ${tries} tries from one client`);
  for (let i = 0; i < tries; i++) {
    const answer = await call(wishes, {
      method: 'POST',
      path: `/wishes/${wishId}/vote`,
      sourceIp: '203.0.113.77',
      json: { voterId: randomUUID() },
    });
    if (answer.status === 200) counted++;
  }
  const windowsPerHour = 3600 / LIMITS.rate.windowSeconds;
  const perHour = counted * windowsPerHour;
  const goal = LIMITS.rate.votesPerWishPerWindow * windowsPerHour;
  return {
    rows: [
      {
        section: 'votes',
        figure:
          'Votes one scripted client (one address, a new voter id every try) adds to one wish, per hour',
        measured: `${perHour} (${counted} of ${tries} tries counted in one ${LIMITS.rate.windowSeconds / 60}-minute window, × ${windowsPerHour})`,
        goal: `≤ ${goal} (LIMITS.rate.votesPerWishPerWindow per window)`,
        verdict: atMost(perHour, goal, String),
      },
    ],
  };
}
