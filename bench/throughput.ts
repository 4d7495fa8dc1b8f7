/**
 * Local HTTP throughput comes from the load run of the abuse issue (`npm run load`, bench/load.ts),
 * which writes bench/results/load.json. The bench runs it (bounded in time), so all figures come
 * from one run on one machine; with --no-load it shows the last result instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './dynamo-env';
import { progress, type Row } from './report';

export const LOAD_RESULT = join(ROOT, 'bench/results/load.json');
/** The last soak under faults (`npm run load -- --soak`, minutes long, so never run by the bench). */
export const SOAK_RESULT = join(ROOT, 'bench/results/soak.json');
const LOAD_SCRIPT = join(ROOT, 'bench/load.ts');
const LOAD_TIMEOUT_MS = 240_000;

/** The part of bench/load.ts's report the table shows. */
interface LoadReport {
  at: string;
  machine: string;
  durationSeconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
  /** One step per connection count. */
  curve?: { connections: number; requestsPerSecond: number; p50: number; p99: number; requests: number }[];
  writes: {
    acknowledged: number;
    stored: number;
    lost: number;
    duplicated: number;
    wrongId: number;
    storedWithout201: number;
    pageCounterDrift: number;
    retryMismatches: number;
  };
}

export async function benchThroughput(options: {
  runLoad: boolean;
}): Promise<{ rows: Row[]; details: unknown }> {
  const figure = 'Local HTTP throughput (`npm run load`)';
  if (options.runLoad && existsSync(LOAD_SCRIPT)) {
    progress(`throughput: running npm run load (at most ${LOAD_TIMEOUT_MS / 1000} s)`);
    const run = spawnSync('npm', ['run', '--silent', 'load'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: LOAD_TIMEOUT_MS,
    });
    if (run.status !== 0) progress(`throughput: npm run load ended with ${run.status ?? run.signal}`);
  }
  if (!existsSync(LOAD_RESULT)) {
    const why = existsSync(LOAD_SCRIPT) ? 'no load result' : 'bench/load.ts not written yet';
    return {
      rows: [
        {
          section: 'throughput',
          figure,
          measured: 'not measured',
          goal: 'measured',
          verdict: `not measured: ${why}`,
        },
      ],
      details: { skipped: why },
    };
  }
  const r = JSON.parse(readFileSync(LOAD_RESULT, 'utf8')) as LoadReport;
  const w = r.writes;
  const faults = {
    lost: w.lost,
    duplicated: w.duplicated,
    'wrong id': w.wrongId,
    'stored without 201': w.storedWithout201,
    'counter drift': w.pageCounterDrift,
    'retries answered differently': w.retryMismatches,
    'connection errors': r.errors,
    timeouts: r.timeouts,
  };
  const bad = Object.entries(faults).filter(([, n]) => n !== 0);
  const statuses = Object.entries(r.statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  const curve = (r.curve ?? []).map(
    (step): Row => ({
      section: 'throughput',
      figure: `${figure}, ${step.connections} connections: requests/s, latency p50 / p99`,
      measured: `${step.requestsPerSecond.toFixed(0)}/s, ${step.p50} / ${step.p99} ms (${step.requests} requests)`,
      goal: 'measured (no fixed goal)',
      verdict: 'info',
    }),
  );
  return {
    rows: [
      ...curve,
      ...soakRows(),
      {
        section: 'throughput',
        figure: `${figure}: requests/s, latency p50 / p99 (${r.connections} connections, ${r.durationSeconds} s; run of ${r.at.slice(0, 16).replace('T', ' ')} UTC)`,
        measured: `${r.requestsPerSecond.toFixed(0)}/s, ${r.latencyMs.p50} / ${r.latencyMs.p99} ms (${r.requests} requests; ${statuses})`,
        goal: 'measured (no fixed goal)',
        verdict: 'info',
      },
      {
        section: 'throughput',
        figure: 'Writes under that load: acknowledged (201) / stored; lost, duplicated, other faults',
        measured: `${w.acknowledged} / ${w.stored}; ${Object.entries(faults)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ')}`,
        goal: 'every 201 stored exactly once, nothing else',
        verdict: bad.length ? `missed: ${bad.map(([name, n]) => `${name} ${n}`).join(', ')}` : 'met',
      },
    ],
    details: r,
  };
}

/** The last soak's verdict, if one was run on this machine. */
function soakRows(): Row[] {
  if (!existsSync(SOAK_RESULT)) return [];
  const s = JSON.parse(readFileSync(SOAK_RESULT, 'utf8')) as import('./soak').SoakVerdict & {
    at: string;
    seconds: number;
    connections: number;
  };
  const c = s.comments;
  const statuses = Object.entries(s.statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  return [
    {
      section: 'throughput',
      figure: `Soak under faults (\`npm run load -- --soak\`, ${s.connections} connections, ${s.seconds} s and until the faults are over; DynamoDB Local killed and restarted ${s.outages.length}× (restarts took ${s.outages.map((o) => `${o.restartSeconds?.toFixed(0) ?? '?'} s`).join(', ')}), mail failing for a while; run of ${s.at.slice(0, 16).replace('T', ' ')} UTC)`,
      measured: `${s.requests} requests (${statuses}); comments sent ${c.sent}, stored ${c.stored} (after re-sending ${c.resent} unanswered with their keys); lost ${c.lost}, duplicated ${c.duplicated}, wrong id ${c.wrongId}; counter drift ${s.pageCounterDrift}; votes ${s.votes.stored} stored, counter ${s.votes.counter}; 503 during the outages ${s.outage503 ?? '?'}; mails ${s.mails.sent} for ${s.mails.expected} comments (${s.mails.mailRetried ?? 0} by mail-retry, ${s.mails.redriven} re-driven), missing ${s.mails.missing}, duplicated ${s.mails.duplicated}; other 5xx ${s.unexpected5xx}`,
      goal: 'every comment stored once, counters right, one mail each, no 5xx but 503',
      verdict: s.ok ? 'met' : 'missed',
    },
  ];
}
