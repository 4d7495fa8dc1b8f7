/**
 * Runs in a fresh node process (bundled on its own by bench/memory.ts): loads the deployed
 * bundles of the comments and wishes Lambdas, serves a mix of requests with API Gateway 2.0
 * events, and reports the peak resident set size. Output: one JSON line on stdout.
 */

import type { LambdaHttpHandler } from '../dev/http-adapter';
import { toApiGatewayEvent } from '../dev/http-adapter';
import { countsRequest, listRequest, postRequest, type Request, voteRequest } from './requests';

export interface MemoryChildInput {
  bundles: { comments: string; wishes?: string };
  requests: number;
  thread: string;
  countedPages: string[];
  wishId?: string;
  origin: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as MemoryChildInput;
  const load = (file: string) => (require(file) as { handler: LambdaHttpHandler }).handler;
  const comments = load(input.bundles.comments);
  const wishes = input.bundles.wishes ? load(input.bundles.wishes) : undefined;
  const statuses: Record<string, number> = {};
  const rss = (label: string) => `${label}: ${(process.memoryUsage().rss / 1e6).toFixed(1)} MB`;
  // How memory develops: right after loading, then every hundred requests.
  const timeline = [rss('loaded')];
  for (let i = 0; i < input.requests; i++) {
    if (i > 0 && i % 100 === 0) timeline.push(rss(String(i)));
    // Per ten requests: five page views, two count lookups, two new comments, one vote.
    const slot = i % 10;
    let handler = comments;
    let request: Request;
    if (slot < 5) request = listRequest(input.thread);
    else if (slot < 7) request = countsRequest(input.countedPages);
    else if (slot < 9 || !wishes || !input.wishId) request = postRequest(i);
    else {
      handler = wishes;
      request = voteRequest(input.wishId, i);
    }
    const headers: Record<string, string> = { origin: input.origin };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const event = toApiGatewayEvent({
      ...request,
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
    });
    const result = await handler(event);
    const key = `${request.method} ${request.path.replace(/\/wishes\/[^/]+/, '/wishes/{id}')} ${result.statusCode}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const usage = process.resourceUsage();
  // Lambda starts node with --expose-gc; the heap after a full collection shows whether requests leak.
  (globalThis as { gc?: () => void }).gc?.();
  timeline.push(`heap after full GC: ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB`);
  process.stdout.write(
    `${JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, heapUsedBytes: process.memoryUsage().heapUsed, timeline, statuses })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
