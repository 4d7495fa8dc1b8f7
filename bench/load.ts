/**
 * `npm run load`: mixed reads and writes against the local stack for a bounded time, on loopback
 * only, then proof from the table that every acknowledged comment (201) is stored exactly once and
 * nothing else is. Prints a markdown table; writes bench/results/load.json for `npm run bench`.
 *
 * The stack runs in this process (dev/local-stack.ts, the very handlers Lambda runs) on an
 * in-memory DynamoDB Local; browser-only guards are off (no browser here) and the rate limits are
 * relaxed, because every request comes from 127.0.0.1. Env: LOAD_SECONDS (per step, default 10),
 * LOAD_CONNECTIONS (one step per entry, default 8,32,64,128: the curve of cost against load),
 * LOAD_REPLAY_EVERY (every n-th write is a retry with the same Idempotency-Key; default 10),
 * LOAD_WARMUP_SECONDS (unmeasured warm-up first; default 5). The verdict is taken once the table
 * has settled (requests cut off at the end of a step may still commit).
 *
 * `npm run load -- --soak [--seconds=180] [--connections=64] [--kill=SIGKILL]`: the soak under
 * faults instead (bench/soak.ts), written to bench/results/soak.json.
 *
 * `npm run load -- --durability [--rounds=4] [--connections=16] [--seconds=5]`: does DynamoDB
 * Local keep a write it acknowledged through a kill? (bench/durability.ts), written to
 * bench/results/durability.json.
 */

// Before any handler module loads: the logger reads its level once.
process.env.LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { settledScan } from './settled-scan';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface Histogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  '1xx': number;
  '2xx': number;
  '4xx': number;
  '5xx': number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its API used here.
const autocannon = require('autocannon') as Autocannon;

const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const STEPS = (process.env.LOAD_CONNECTIONS ?? '8,32,64,128').split(',').map(Number);
const CONNECTIONS = Math.max(...STEPS);
const REPLAY_EVERY = Number(process.env.LOAD_REPLAY_EVERY ?? 10);
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 5);
const PAGES = ['/load/eins', '/load/zwei', '/load/drei', '/load/vier'];
const RESULTS = join(__dirname, 'results');

interface Write {
  key: string;
  body: string;
  marker: string;
  /** Set once the first answer arrived: only then is a retry a retry (not a concurrent duplicate). */
  answered?: { status: number; id?: string };
}

async function main(): Promise<void> {
  // Loaded only now, after LOG_LEVEL is set above (static imports would run first).
  const { localClient, startDynamoLocal } = await import('../dev/dynamo-local');
  const { startLocalStack } = await import('../dev/local-stack');
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'leserpost-load-'));
  process.stderr.write(`load: starting DynamoDB Local (in memory) and the local stack\n`);
  const dynamo = await startDynamoLocal({ readyWithinMs: 300_000 });
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoEndpoint: dynamo.endpoint,
    tableName: `load-${run}`,
    env: { BROWSER_GUARDS: 'off', RATE_LIMIT_SCALE: '100000', MODERATION: 'none' },
  });
  // Loopback only: the stack listens on 127.0.0.1, and so does every request.
  const port = new URL(stack.url).port;
  const base = `http://127.0.0.1:${port}`;
  const origin = base;

  const writes: Write[] = [];
  let posts = 0;
  const tally = {
    reads: 0,
    writes: 0,
    replays: 0,
    replayMismatches: 0,
    /** Retries answered 503: the service asked to come again later, which is no contradiction. */
    replaysBusy: 0,
    statuses: {} as Record<string, number>,
  };
  const count = (status: number) => {
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  };

  const json = { 'content-type': 'application/json', origin };
  const requests: AutocannonRequest[] = [
    {
      method: 'GET',
      path: `/api/comments?page=${encodeURIComponent(PAGES[0]!)}&order=newest&limit=20`,
      headers: { origin },
      onResponse: (status) => {
        tally.reads++;
        count(status);
      },
    },
    {
      method: 'POST',
      path: '/api/comments',
      headers: json,
      setupRequest: (request, context) => {
        const answered = writes.filter((write) => write.answered?.status === 201);
        posts++;
        const replay = REPLAY_EVERY > 0 && posts % REPLAY_EVERY === 0 && answered.length > 0;
        let write: Write;
        if (replay) {
          write = answered[Math.floor(Math.random() * answered.length)]!;
          context.replay = true;
        } else {
          const n = writes.length;
          const marker = `load ${run} ${n}`;
          write = {
            key: `load-${run}-${n}`,
            marker,
            body: JSON.stringify({
              page: PAGES[n % PAGES.length],
              name: 'Lasttest',
              email: `last.${n}@example.org`,
              text: `${marker}: ein Kommentar unter Last.`,
              consent: true,
            }),
          };
          writes.push(write);
          context.replay = false;
        }
        context.write = write;
        return { ...request, headers: { ...json, 'idempotency-key': write.key }, body: write.body };
      },
      onResponse: (status, body, context) => {
        const write = context.write as Write;
        count(status);
        const id = status === 201 ? (JSON.parse(body) as { comment: { id: string } }).comment.id : undefined;
        if (context.replay) {
          tally.replays++;
          if (status === 503) tally.replaysBusy++;
          else if (status !== 201 || id !== write.answered?.id) tally.replayMismatches++;
        } else {
          tally.writes++;
          write.answered = { status, id };
        }
      },
    },
    {
      method: 'GET',
      path: `/api/comments/counts?pages=${encodeURIComponent(PAGES.join(','))}`,
      headers: { origin },
      onResponse: (status) => {
        tally.reads++;
        count(status);
      },
    },
  ];

  // A fresh DynamoDB Local (a JVM) is slow until its code is compiled: warm it up, unmeasured,
  // on a page of its own that the checks below leave out.
  process.stderr.write(`load: warming up for ${WARMUP_SECONDS} s\n`);
  let warm = 0;
  await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: WARMUP_SECONDS,
    timeout: 10,
    requests: [
      { method: 'GET', path: '/api/comments?page=/warmup', headers: { origin } },
      {
        method: 'POST',
        path: '/api/comments',
        headers: json,
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            page: '/warmup',
            name: 'Aufwärmen',
            email: 'warm@example.org',
            text: `Aufwärmen ${warm++}`,
            consent: true,
          }),
        }),
      },
    ],
  });

  /** Requests cut off at the end of a run are still being handled: let them finish first. */
  const drained = async () => {
    while (stack.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  };
  await drained();
  const startLoad = loadavg()[0]!;
  const curve: {
    connections: number;
    requestsPerSecond: number;
    p50: number;
    p99: number;
    requests: number;
    /** Answers by status in this step (503: DynamoDB Local too slow for the client's timeouts). */
    statuses: Record<string, number>;
    loadAverage: number;
  }[] = [];
  let result: AutocannonResult | undefined;
  let resultConnections = CONNECTIONS;
  for (const connections of STEPS) {
    process.stderr.write(`load: ${SECONDS} s, ${connections} connections against ${base}\n`);
    const before = { ...tally.statuses };
    const step = await autocannon({ url: base, connections, duration: SECONDS, timeout: 10, requests });
    const statuses = Object.fromEntries(
      Object.entries(tally.statuses).map(([status, n]) => [status, n - (before[status] ?? 0)]),
    );
    curve.push({
      statuses,
      loadAverage: loadavg()[0]!,
      connections,
      requestsPerSecond: step.requests.average,
      p50: step.latency.p50,
      p99: step.latency.p99,
      requests: step.requests.total,
    });
    await drained();
    // The figures below (statuses, the write proof) are of the 8-connection step, as before.
    if (connections === 8 || !result) {
      result = step;
      resultConnections = connections;
    }
  }
  if (!result) throw new Error('LOAD_CONNECTIONS names no step');

  // A 503 says "come again" (Retry-After): after a timeout the write may or may not have been
  // stored. So, as the widget does, each one is sent again with its Idempotency-Key, and must now
  // be answered 201 with the one comment the table holds.
  const busy = writes.filter((write) => write.answered?.status === 503);
  for (const write of busy) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await fetch(`${base}/api/comments`, {
        method: 'POST',
        headers: { ...json, 'idempotency-key': write.key },
        body: write.body,
      });
      const text = await answer.text();
      const id =
        answer.status === 201 ? (JSON.parse(text) as { comment: { id: string } }).comment.id : undefined;
      write.answered = { status: answer.status, id };
      if (answer.status !== 503) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  await drained();

  // What is in the table once it has settled: every comment of this run, by its marker.
  const client = localClient(stack.dynamoEndpoint);
  const items = await settledScan(client, stack.tableName);
  client.destroy();
  const stored = new Map<string, string[]>();
  for (const item of items) {
    if (item.kind !== 'comment') continue;
    const marker = /^(load \S+ \d+):/.exec(String(item.text))?.[1];
    if (!marker) continue;
    stored.set(marker, [...(stored.get(marker) ?? []), String(item.id)]);
  }
  const acknowledged = writes.filter((write) => write.answered?.status === 201);
  const lost = acknowledged.filter((write) => !stored.has(write.marker)).length;
  const duplicated = [...stored.values()].filter((ids) => ids.length > 1).length;
  const wrongId = acknowledged.filter((write) => {
    const ids = stored.get(write.marker);
    return ids?.length === 1 && ids[0] !== write.answered?.id;
  }).length;
  // Requests still in flight when the run ended never got their answer: stored or not, both are fine
  // (a client that gives up cannot know), as long as it is at most once.
  const cutOff = writes.filter((write) => !write.answered);
  const cutOffStored = cutOff.filter((write) => stored.has(write.marker)).length;
  // A comment stored although its request was answered with an error would be a real fault.
  const refusedButStored = writes.filter(
    (write) => write.answered && write.answered.status !== 201 && stored.has(write.marker),
  ).length;
  const known = new Set(writes.map((write) => write.marker));
  const strangers = [...stored.keys()].filter((marker) => !known.has(marker)).length;
  const unacknowledgedStored = refusedButStored + strangers;
  // The visible-comment counters must agree with what is stored.
  const counters = items.filter((item) => String(item.pk).startsWith('PAGE#/load/') && item.sk === 'COUNT');
  const counted = counters.reduce((sum, item) => sum + Number(item.count ?? 0), 0);
  const storedCount = [...stored.values()].reduce((sum, ids) => sum + ids.length, 0);

  const report = {
    at: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average at start ${startLoad.toFixed(1)}`,
    durationSeconds: result.duration,
    connections: resultConnections,
    curve,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses: tally.statuses,
    reads: tally.reads,
    writes: {
      sent: tally.writes,
      acknowledged: acknowledged.length,
      stored: storedCount,
      lost,
      duplicated,
      wrongId,
      storedWithout201: unacknowledgedStored,
      cutOffAtEnd: cutOff.length,
      cutOffAtEndStored: cutOffStored,
      pageCounterDrift: counted - storedCount,
      idempotentRetries: tally.replays,
      retryMismatches: tally.replayMismatches,
      retriesAnswered503: tally.replaysBusy,
      answered503ThenSentAgain: busy.length,
    },
  };
  const ok =
    lost === 0 &&
    duplicated === 0 &&
    wrongId === 0 &&
    unacknowledgedStored === 0 &&
    counted === storedCount &&
    tally.replayMismatches === 0;

  const rows: [string, string][] = [
    ...curve.map((step): [string, string] => [
      `${step.connections} connections: requests/s, p50 / p99`,
      `${step.requestsPerSecond.toFixed(0)}/s, ${step.p50} / ${step.p99} ms (${step.requests} requests; ${Object.entries(
        step.statuses,
      )
        .map(([status, n]) => `${status}: ${n}`)
        .join(', ')}; load average ${step.loadAverage.toFixed(1)})`,
    ]),
    ['Duration, connections (figures below)', `${result.duration} s, ${report.connections}`],
    [
      'Requests (reads / writes / idempotent retries)',
      `${result.requests.total} (${tally.reads} / ${tally.writes} / ${tally.replays})`,
    ],
    ['Requests per second', result.requests.average.toFixed(0)],
    ['Latency p50 / p99 / max', `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms`],
    ['Errors / timeouts / non-2xx', `${result.errors} / ${result.timeouts} / ${result.non2xx}`],
    [
      'Statuses',
      Object.entries(tally.statuses)
        .map(([status, n]) => `${status}: ${n}`)
        .join(', '),
    ],
    ['Comments acknowledged (201) / stored', `${acknowledged.length} / ${storedCount}`],
    ['Lost / duplicated / wrong id', `${lost} / ${duplicated} / ${wrongId}`],
    ['Stored although answered with an error, or never sent', String(unacknowledgedStored)],
    ['In flight when the run ended (of them stored, once each)', `${cutOff.length} (${cutOffStored})`],
    ['Page counters minus stored comments', String(counted - storedCount)],
    ['Retries answered differently from the first time (503 apart)', String(tally.replayMismatches)],
    [
      'Answered 503, sent again with their key (now 201) / retries answered 503',
      `${busy.length} (${busy.filter((write) => write.answered?.status === 201).length}) / ${tally.replaysBusy}`,
    ],
    ['Verdict', ok ? 'every 201 stored exactly once, nothing else stored' : 'FAILED: see the rows above'],
  ];
  const table = [
    '| Load run | |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'load.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${table}\n\nWritten to bench/results/load.json.\n`);

  await stack.stop();
  await dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (!ok) process.exitCode = 1;
}

async function soak(): Promise<void> {
  const flag = (name: string) =>
    process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const seconds = Number(flag('seconds') ?? 180);
  const connections = Number(flag('connections') ?? 64);
  const { runSoak } = await import('./soak');
  const outages = [
    { at: Math.round(seconds * 0.25), downSeconds: Math.max(2, Math.round(seconds * 0.05)) },
    { at: Math.round(seconds * 0.6), downSeconds: Math.max(2, Math.round(seconds * 0.05)) },
  ];
  const at = new Date().toISOString();
  const startLoad = loadavg()[0]!;
  process.stderr.write(`soak: ${seconds} s, ${connections} connections\n`);
  const verdict = await runSoak({
    seconds,
    connections,
    outages,
    mailFailure: { from: Math.round(seconds * 0.1), to: Math.round(seconds * 0.4) },
    warmupSeconds: WARMUP_SECONDS * 2,
    killSignal: flag('kill') === 'SIGKILL' ? 'SIGKILL' : 'SIGTERM',
    log: (message) => process.stderr.write(`${message}\n`),
  });
  const report = {
    at,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average at start ${startLoad.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)}`,
    seconds,
    connections,
    ...verdict,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n\nWritten to bench/results/soak.json.\n`);
  if (!verdict.ok) process.exitCode = 1;
}

/** `--durability`: does DynamoDB Local keep what it acknowledged through a kill? (bench/durability.ts) */
async function durability(): Promise<void> {
  const flag = (name: string) =>
    process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const { runDurability, summarizeDurability } = await import('./durability');
  const at = new Date().toISOString();
  const startLoad = loadavg()[0]!;
  const common = {
    rounds: Number(flag('rounds') ?? 4),
    connections: Number(flag('connections') ?? 16),
    secondsBeforeKill: Number(flag('seconds') ?? 5),
    log: (message: string) => process.stderr.write(`${message}\n`),
  };
  const sigkill = await runDurability({ ...common, signal: 'SIGKILL', killAfter: 'transaction' });
  const sigkillAfterPut = await runDurability({ ...common, signal: 'SIGKILL', killAfter: 'put' });
  const sigkillAfterRead = await runDurability({
    ...common,
    signal: 'SIGKILL',
    killAfter: 'transaction-then-read',
  });
  const sigterm = await runDurability({ ...common, signal: 'SIGTERM', killAfter: 'transaction' });
  const report = {
    at,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average at start ${startLoad.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)}`,
    connections: common.connections,
    secondsBeforeKill: common.secondsBeforeKill,
    summary: {
      sigkillAfterTransaction: summarizeDurability(sigkill),
      sigkillAfterPut: summarizeDurability(sigkillAfterPut),
      sigkillAfterTransactionThenRead: summarizeDurability(sigkillAfterRead),
      sigtermAfterTransaction: summarizeDurability(sigterm),
    },
    sigkill,
    sigkillAfterPut,
    sigkillAfterRead,
    sigterm,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'durability.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n\nWritten to bench/results/durability.json.\n`);
}

(process.argv.includes('--soak')
  ? soak()
  : process.argv.includes('--durability')
    ? durability()
    : main()
).catch((error: Error) => {
  process.stderr.write(`load failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
