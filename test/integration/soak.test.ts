/**
 * A tiny soak under faults (bench/soak.ts, `npm run load -- --soak` at full size): a few seconds of
 * mixed traffic while DynamoDB Local is ended and started once and mail fails, so the verdict's
 * logic runs here; every figure of the run must come out clean. Not timed: the harness waits for
 * the faults to end and the table and outbox to settle, however slow the machine is (a SIGTERM
 * gets two minutes before a SIGKILL would follow; unanswered comments are resent until answered;
 * a mail whose claim survived the outage is sent once its lease has run out).
 */
import { runSoak } from '../../bench/soak';

jest.setTimeout(900_000);

it('keeps every comment once, counters right and one mail per comment through a database outage', async () => {
  const lines: string[] = [];
  const verdict = await runSoak({
    seconds: 4,
    connections: 4,
    outages: [{ at: 1, downSeconds: 1 }],
    mailFailure: { from: 0, to: 3 },
    termGraceSeconds: 120,
    log: (line) => lines.push(`${new Date().toISOString()} ${line}`),
  });
  // A failed run says why in CI's output: the harness's log and the whole verdict.
  if (!verdict.ok) console.log(`${lines.join('\n')}\n${JSON.stringify(verdict, null, 2)}`);
  // The outage was felt: readers got 503 (and nothing else of 5xx) while the database was away.
  expect(verdict.outages).toHaveLength(1);
  expect(verdict.statuses['503']).toBeGreaterThan(0);
  expect(verdict.outage503).toBe(verdict.statuses['503']);
  expect(verdict.unexpected5xx).toBe(0);
  expect(verdict.comments.neverAnswered).toEqual([]);
  expect(verdict.comments.stored).toBe(verdict.comments.sent);
  expect(verdict.comments).toMatchObject({ lost: 0, duplicated: 0, wrongId: 0, strangers: 0, atKill: 0 });
  // Ended as a process manager ends it (SIGTERM first): no loss is excused, none is listed.
  expect(verdict.killSignal).toBe('SIGTERM');
  expect(verdict.misses).toEqual({ lost: [], wrongId: [] });
  expect(verdict.pageCounterDrift).toBe(0);
  expect(verdict.votes.counter).toBe(verdict.votes.stored);
  expect(verdict.mails).toMatchObject({
    expected: verdict.comments.stored,
    sent: verdict.comments.stored,
    stillKept: 0,
    stillFailed: 0,
  });
  expect(verdict.ok).toBe(true);
});
