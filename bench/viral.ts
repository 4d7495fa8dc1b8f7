/**
 * "A viral post": page views of one post at a steady rate, a few new comments a minute, through
 * the real comments handler against DynamoDB Local, on a simulated clock. Each page view is the
 * widget's one read (GET /comments?page=…&limit=50). Counted per 1,000 page views: Lambda
 * invocations (= HTTP API requests), DynamoDB read and write units (ReturnConsumedCapacity),
 * bytes sent; without the edge cache, and with it (dev/edge-cache.ts: what CloudFront does with
 * the answers' Cache-Control), for one edge location and for readers spread over ten, each with
 * its own cache. Priced with bench/aws-prices.ts; peak concurrency by Little's law.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { EdgeCache, edgeCacheKey } from '../dev/edge-cache';
import type { LambdaHttpHandler } from '../dev/http-adapter';
import { THROTTLE } from '../lib/constructs/public-api';
import { call, TEST_ORIGIN } from '../test/support/stack';
import { AWS_PRICES, LAMBDA_MEMORY_GB } from './aws-prices';
import type { CapacityRecorder } from './capacity-recorder';
import { benchTable, loadHandler } from './dynamo-env';
import { ms, progress, type Row } from './report';
import { postRequest } from './requests';
import { seedComments } from './seed';

/** The new account's Lambda concurrency quota (all functions of a region together). */
const NEW_ACCOUNT_CONCURRENCY = 10;
/** The HTTP API stage's rate limit. */
const STAGE_RATE_LIMIT = THROTTLE.rateLimit;

export interface ViralScenario {
  name: string;
  /** 0: no edge cache; n: readers spread round-robin over n edge locations. */
  edges: number;
}

export interface ViralCounts {
  scenario: string;
  pageViews: number;
  simulatedSeconds: number;
  comments: number;
  invocations: number;
  readUnits: number;
  writeUnits: number;
  /** Milliseconds of handler time, each invocation rounded up to the next ms as Lambda bills. */
  billedMs: number;
  meanMs: number;
  /** Bytes of the answers the readers receive: raw from API Gateway, gzip through CloudFront. */
  bytesToReaders: number;
  edgeHits: number;
}

export interface ViralOptions {
  pageViews: number;
  viewsPerMinute: number;
  commentsPerMinute: number;
  seededComments: number;
}

/** Runs one scenario on a fresh page of its own. */
export async function simulate(
  handler: LambdaHttpHandler,
  recorder: CapacityRecorder,
  scenario: ViralScenario,
  options: ViralOptions,
): Promise<ViralCounts> {
  const page = `/bench/viral-${randomUUID().slice(0, 8)}`;
  await seedComments(page, options.seededComments);
  let now = 0;
  const edges = Array.from({ length: scenario.edges }, () => new EdgeCache(() => now));
  const viewEvery = 60_000 / options.viewsPerMinute;
  const commentEvery = 60_000 / options.commentsPerMinute;
  let nextComment = commentEvery / 2;
  const counts: ViralCounts = {
    scenario: scenario.name,
    pageViews: options.pageViews,
    simulatedSeconds: (options.pageViews * viewEvery) / 1000,
    comments: 0,
    invocations: 0,
    readUnits: 0,
    writeUnits: 0,
    billedMs: 0,
    meanMs: 0,
    bytesToReaders: 0,
    edgeHits: 0,
  };
  let handlerMs = 0;
  const invoke = async (request: Parameters<typeof call>[1]) => {
    const start = process.hrtime.bigint();
    const { result, calls } = await recorder.during(() => call(handler, request));
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    counts.invocations++;
    handlerMs += elapsed;
    counts.billedMs += Math.ceil(elapsed);
    for (const c of calls) {
      counts.readUnits += c.readUnits;
      counts.writeUnits += c.writeUnits;
    }
    return result;
  };
  const query = `page=${encodeURIComponent(page)}&limit=50`;
  const key = edgeCacheKey('GET', '/comments', new URLSearchParams(query), TEST_ORIGIN)!;
  for (let view = 0; view < options.pageViews; view++) {
    now = view * viewEvery;
    while (nextComment <= now) {
      const comment = postRequest(view);
      const posted = await invoke({ ...comment, json: { ...(comment.json as object), page } });
      if (posted.status !== 201) throw new Error(`a comment was refused: ${posted.status} ${posted.text}`);
      counts.comments++;
      nextComment += commentEvery;
    }
    const edge = edges[view % Math.max(1, edges.length)];
    const found = edge?.lookup(key);
    if (found && (found.state === 'fresh' || found.state === 'stale')) {
      counts.edgeHits++;
      counts.bytesToReaders += gzipSync(found.answer.body).length;
      continue;
    }
    const response = await invoke({ method: 'GET', path: '/comments', rawQueryString: query });
    if (response.status !== 200) throw new Error(`a page view failed: ${response.status} ${response.text}`);
    if (edge) {
      edge.store(key, { statusCode: response.status, headers: response.headers, body: response.text });
      counts.bytesToReaders += gzipSync(response.text).length;
    } else {
      counts.bytesToReaders += Buffer.byteLength(response.text);
    }
  }
  counts.meanMs = handlerMs / counts.invocations;
  return counts;
}

/** Dollars for one million page views of this scenario. */
export function costPerMillion(
  counts: ViralCounts,
  edges: number,
): { total: number; parts: Record<string, number> } {
  const scale = 1_000_000 / counts.pageViews;
  const p = AWS_PRICES;
  const parts: Record<string, number> = {
    lambda:
      counts.invocations * scale * p.lambda.perRequest +
      (counts.billedMs / 1000) * LAMBDA_MEMORY_GB * scale * p.lambda.armPerGbSecond,
    httpApi: counts.invocations * scale * p.httpApiPerRequest,
    dynamodb:
      (counts.readUnits * p.dynamodb.perReadUnit + counts.writeUnits * p.dynamodb.perWriteUnit) * scale,
    // Through the edge every page view is a CloudFront request; origin fetches from AWS are free.
    cloudfront: edges > 0 ? counts.pageViews * scale * p.cloudfront.perHttpsRequest : 0,
    dataOut: ((counts.bytesToReaders * scale) / 1e9) * (edges > 0 ? p.cloudfront.perGbOut : p.dataOutPerGb),
  };
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

const usd = (n: number) => `$${n < 1 ? n.toFixed(3) : n.toFixed(2)}`;
const per1000 = (n: number, views: number) => {
  const value = (n * 1000) / views;
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
};

export async function benchViral(
  recorder: CapacityRecorder,
  quick: boolean,
): Promise<{ rows: Row[]; details: unknown }> {
  const options: ViralOptions = {
    pageViews: quick ? 2_000 : 10_000,
    viewsPerMinute: 2_000,
    commentsPerMinute: 3,
    seededComments: 40,
  };
  await benchTable({ RATE_LIMIT_SCALE: '0' });
  recorder.attach();
  const handler = (await loadHandler('comments'))!;
  const scenarios: ViralScenario[] = [
    { name: 'no edge cache (every page view reaches the API)', edges: 0 },
    { name: 'edge cache, one location', edges: 1 },
    { name: 'edge cache, readers spread over 10 locations', edges: 10 },
  ];
  // A warm handler, as in a spike (cold starts are the lambda section's figures).
  for (let i = 0; i < 50; i++)
    await call(handler, { method: 'GET', path: '/comments', rawQueryString: 'page=/warm' });
  const results: ViralCounts[] = [];
  for (const scenario of scenarios) {
    progress(`viral: ${options.pageViews} page views, ${scenario.name}`);
    results.push(await simulate(handler, recorder, scenario, options));
  }
  const rows: Row[] = [];
  const setting = `${options.pageViews.toLocaleString('en')} page views of one post at ${options.viewsPerMinute.toLocaleString('en')}/min, ${options.commentsPerMinute} new comments/min`;
  for (const [i, counts] of results.entries()) {
    const views = counts.pageViews;
    rows.push({
      section: 'viral',
      figure: `A viral post (${setting}), per 1,000 page views: ${scenarios[i]!.name}`,
      measured: `${per1000(counts.invocations, views)} Lambda invocations = API requests; DynamoDB ${per1000(counts.readUnits, views)} RRU / ${per1000(counts.writeUnits, views)} WRU; ${per1000(counts.bytesToReaders / 1000, views)} KB to readers${scenarios[i]!.edges ? `; ${per1000(counts.edgeHits, views)} answered by the edge` : ''}`,
      goal: 'measured (no fixed goal)',
      verdict: 'info',
    });
  }
  const costs = results.map((counts, i) => costPerMillion(counts, scenarios[i]!.edges));
  const describeCost = (cost: { total: number; parts: Record<string, number> }) =>
    `${usd(cost.total)} (${Object.entries(cost.parts)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${usd(v)}`)
      .join(', ')})`;
  rows.push({
    section: 'viral',
    figure: `Cost of one million page views (AWS on-demand list prices, ${AWS_PRICES.region}, as of ${AWS_PRICES.checked}; bench/aws-prices.ts; free tiers left out)`,
    measured: `no edge ${describeCost(costs[0]!)}; edge, one location ${describeCost(costs[1]!)}; edge, 10 locations ${describeCost(costs[2]!)}`,
    goal: 'the edge cache costs less',
    verdict: costs[1]!.total < costs[0]!.total && costs[2]!.total < costs[0]!.total ? 'met' : 'missed',
  });
  // Little's law: concurrency = arrival rate at Lambda × time each invocation takes.
  const concurrency = results.map(
    (counts) => (counts.invocations / counts.simulatedSeconds) * (counts.meanMs / 1000),
  );
  const viewsAtQuota = (NEW_ACCOUNT_CONCURRENCY / (results[0]!.meanMs / 1000)) * 60;
  rows.push({
    section: 'viral',
    figure: `Peak Lambda concurrency of that spike (arrival rate at Lambda × mean handler time, measured in process), against a new account's quota of ${NEW_ACCOUNT_CONCURRENCY}`,
    measured: `no edge ${concurrency[0]!.toFixed(2)} (${(results[0]!.invocations / results[0]!.simulatedSeconds).toFixed(1)}/s × ${ms(results[0]!.meanMs)}); edge ${concurrency[1]!.toFixed(3)} / ${concurrency[2]!.toFixed(3)}; without the edge the quota is used up from about ${Math.round(viewsAtQuota).toLocaleString('en')} page views/min (more while functions start cold)`,
    goal: `≤ ${NEW_ACCOUNT_CONCURRENCY}`,
    verdict:
      Math.max(...concurrency) <= NEW_ACCOUNT_CONCURRENCY
        ? 'met'
        : `missed by ${(Math.max(...concurrency) - NEW_ACCOUNT_CONCURRENCY).toFixed(1)}`,
  });
  const apiRates = results.map((counts) => counts.invocations / counts.simulatedSeconds);
  rows.push({
    section: 'viral',
    figure: `Requests per second that reach the HTTP API in that spike, against its stage rate limit (${STAGE_RATE_LIMIT}/s; above it readers get 429)`,
    measured: `no edge ${apiRates[0]!.toFixed(1)}/s; edge ${apiRates[1]!.toFixed(2)}/s (one location) / ${apiRates[2]!.toFixed(2)}/s (10 locations)`,
    goal: `≤ ${STAGE_RATE_LIMIT}/s with the edge cache`,
    verdict: Math.max(apiRates[1]!, apiRates[2]!) <= STAGE_RATE_LIMIT ? 'met' : 'missed',
  });
  return { rows, details: { options, results, costs, concurrency, apiRates, prices: AWS_PRICES } };
}
