/**
 * Handler latency in process against DynamoDB Local, the DynamoDB work of every operation
 * (ReturnConsumedCapacity), and how listing a page grows with the number of comments on it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaHttpHandler } from '../dev/http-adapter';
import { call } from '../test/support/stack';
import { type CapacityRecorder, summariseCalls } from './capacity-recorder';
import { benchTable, loadHandler, ROOT } from './dynamo-env';
import { type Distribution, distribution, ms, progress, type Row, since } from './report';
import { countsRequest, listRequest, postRequest, type Request, voteRequest } from './requests';
import { seedComments } from './seed';

export interface OperationResult {
  operation: string;
  latency: Distribution;
  calls: CallGroups;
}

/** Runs `request` `iterations` times after a warm-up; every response must have `status`. */
async function timeRequests(
  handler: LambdaHttpHandler,
  request: (i: number) => Request,
  status: number,
  iterations: number,
): Promise<Distribution> {
  const samples: number[] = [];
  for (let i = -Math.min(20, iterations); i < iterations; i++) {
    const start = process.hrtime.bigint();
    const response = await call(handler, request(i));
    const elapsed = since(start);
    if (response.status !== status) {
      throw new Error(
        `${request(i).method} ${request(i).path} answered ${response.status}: ${response.text}`,
      );
    }
    if (i >= 0) samples.push(elapsed);
  }
  return distribution(samples);
}

async function callsOf(recorder: CapacityRecorder, handler: LambdaHttpHandler, request: Request) {
  const { calls } = await recorder.during(() => call(handler, request));
  return calls;
}

type CallGroups = ReturnType<typeof summariseCalls>;

function describeCalls(groups: CallGroups): string {
  const parts = groups.map(
    (group) =>
      `${group.calls}× ${group.operation}: ${fmtUnits(group.readUnits)} RCU, ${fmtUnits(group.writeUnits)} WCU`,
  );
  return parts.join('; ') || 'no call';
}

const readUnits = (groups: CallGroups) => groups.reduce((sum, group) => sum + group.readUnits, 0);

const fmtUnits = (units: number) => (Number.isInteger(units) ? String(units) : units.toFixed(1));

export interface HandlerBenchResult {
  rows: Row[];
  operations: OperationResult[];
  growth: { comments: number; latency: Distribution; calls: CallGroups }[];
}

export async function benchHandlers(recorder: CapacityRecorder, quick: boolean): Promise<HandlerBenchResult> {
  const iterations = quick ? 60 : 300;
  await benchTable();
  recorder.attach();
  const comments = (await loadHandler('comments'))!;
  const operations: OperationResult[] = [];
  const rows: Row[] = [];

  progress('handlers: seeding a thread of 1,000 comments');
  const thread = '/bench/thread-1000';
  await seedComments(thread, 1000);

  const measure = async (
    operation: string,
    handler: LambdaHttpHandler,
    request: (i: number) => Request,
    status: number,
    n = iterations,
  ) => {
    progress(`handlers: ${operation} × ${n}`);
    const latency = await timeRequests(handler, request, status, n);
    const calls = summariseCalls(await callsOf(recorder, handler, request(n)));
    operations.push({ operation, latency, calls });
    return { latency, calls };
  };

  await measure('list 50 of 1,000 comments', comments, () => listRequest(thread), 200);
  await measure('post a comment', comments, (i) => postRequest(i), 201, Math.ceil(iterations / 2));
  const pages = Array.from({ length: 20 }, (_, i) => `/bench/counted-${i}`);
  for (const [i, page] of pages.entries()) await seedComments(page, i % 4);
  await measure('counts for 20 pages', comments, () => countsRequest(pages), 200);

  const wishes = await loadHandler('wishes');
  const wishId = wishes ? await publicWish(wishes) : undefined;
  if (wishes && wishId) {
    await measure('vote for a wish', wishes, (i) => voteRequest(wishId, i), 200, Math.ceil(iterations / 2));
    await measure(
      'list wishes by votes',
      wishes,
      () => ({ method: 'GET', path: '/wishes', rawQueryString: 'sort=votes' }),
      200,
    );
  }

  for (const operation of operations) {
    rows.push({
      section: 'latency',
      figure: `Handler in process: ${operation.operation} (p50 / p99, n=${operation.latency.n})`,
      measured: `${ms(operation.latency.p50)} / ${ms(operation.latency.p99)}`,
      goal: 'measured (no fixed goal)',
      verdict: 'info',
    });
  }
  if (!wishId) {
    rows.push({
      section: 'latency',
      figure: 'Handler in process: vote for a wish',
      measured: 'not measured',
      goal: 'measured',
      verdict: wishes
        ? 'not measured: no public wish could be made'
        : 'not measured: wishes handler not built yet',
    });
  }

  // DynamoDB work per API operation.
  for (const operation of operations) {
    const calls = operation.calls;
    rows.push({
      section: 'dynamodb',
      figure: `DynamoDB work: ${operation.operation}`,
      measured: describeCalls(calls),
      goal: operation.operation.startsWith('list 50') ? '1 Query on the public index' : 'no Scan',
      verdict: verdictForCalls(operation.operation, calls),
    });
  }

  const growth = await benchGrowth(recorder, comments, quick);
  // From 100 comments on, the first page is full: its cost must not depend on the thread's length.
  const fullPage = growth.find((point) => point.comments === 100)!;
  for (const point of growth) {
    rows.push({
      section: 'growth',
      figure: `Growth: first 50 of ${point.comments.toLocaleString('en')} comments (p50 / p99; DynamoDB)`,
      measured: `${ms(point.latency.p50)} / ${ms(point.latency.p99)}; ${describeCalls(point.calls)}`,
      goal: 'flat per page',
      verdict:
        point.comments < 100
          ? 'info (page not full)'
          : readUnits(point.calls) === readUnits(fullPage.calls)
            ? 'met (same capacity as 100)'
            : `missed: ${fmtUnits(readUnits(point.calls))} RCU vs ${fmtUnits(readUnits(fullPage.calls))}`,
    });
  }
  return { rows, operations, growth };
}

function verdictForCalls(operation: string, calls: CallGroups): string {
  if (calls.some((c) => c.operation.startsWith('Scan'))) return 'missed: scans';
  if (operation.startsWith('list 50')) {
    const ok = calls.length === 1 && calls[0]!.operation === 'Query (public)' && calls[0]!.calls === 1;
    return ok ? 'met' : 'missed: not exactly one Query on the public index';
  }
  return 'met';
}

async function benchGrowth(recorder: CapacityRecorder, comments: LambdaHttpHandler, quick: boolean) {
  const sizes = [10, 100, 1000, 10_000];
  const growth: HandlerBenchResult['growth'] = [];
  for (const size of sizes) {
    const page = `/bench/growth-${size}`;
    progress(`growth: seeding ${size.toLocaleString('en')} comments`);
    await seedComments(page, size);
    const latency = await timeRequests(comments, () => listRequest(page), 200, quick ? 40 : 200);
    const calls = summariseCalls(await callsOf(recorder, comments, listRequest(page)));
    growth.push({ comments: size, latency, calls });
  }
  return growth;
}

/**
 * A wish on the public board to vote for, made through the wishes API and accepted with the
 * wishes use case (both written by the wishes issue; the bench skips voting while they are missing).
 */
export async function publicWish(wishes: LambdaHttpHandler): Promise<string | undefined> {
  const usecase = join(ROOT, 'functions/usecases/wishes.ts');
  if (!existsSync(usecase)) return undefined;
  try {
    const created = await call(wishes, {
      method: 'POST',
      path: '/wishes',
      json: {
        topic: 'Wie plane ich einen Redaktionskalender?',
        email: `wish.${randomUUID()}@example.org`,
        consent: true,
      },
    });
    const id = created.body?.wish?.id as string | undefined;
    if (created.status !== 201 || !id) {
      progress(`handlers: could not make a wish (${created.status}): ${created.text.slice(0, 200)}`);
      return undefined;
    }
    const { applyWishAction } = (await import(usecase)) as {
      applyWishAction: (
        id: string,
        action: 'accept',
        opts: object,
        now: Date,
      ) => Promise<{ outcome: string }>;
    };
    const accepted = await applyWishAction(id, 'accept', {}, new Date());
    return accepted.outcome === 'done' ? id : undefined;
  } catch (error) {
    progress(`handlers: could not make a public wish: ${(error as Error).message}`);
    return undefined;
  }
}
