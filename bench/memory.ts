/**
 * Peak memory of one handler process serving 1,000 mixed requests against DynamoDB Local. The
 * process loads the bundles exactly as Lambda would (lib/bundling.ts options) and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { TEST_ORIGIN } from '../test/support/stack';
import { bundleLambda, lambdaEntries } from './bundles';
import { benchTable, loadHandler, ROOT } from './dynamo-env';
import { publicWish } from './handlers';
import type { MemoryChildInput } from './memory-child';
import { atMost, mb, progress, type Row } from './report';
import { seedComments } from './seed';

export const MEMORY_GOAL_BYTES = 100_000_000;
const LAMBDA_MEMORY_MB = 128;

/**
 * Lambda's Node.js runtime sizes V8's heap from the function's memory (its bootstrap script:
 * a tenth for the young generation, split into two semi-spaces, the rest for the old one). Without
 * these flags V8 sizes its heap from this machine's RAM and collects garbage far later.
 */
function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

interface ChildReport {
  maxRssBytes: number;
  heapUsedBytes: number;
  timeline: string[];
  statuses: Record<string, number>;
}

function runChild(child: string, input: MemoryChildInput, flags: string[]): ChildReport {
  const result = spawnSync(process.execPath, [...flags, child, JSON.stringify(input)], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'INFO', AWS_LAMBDA_FUNCTION_NAME: 'leserpost-bench' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`The memory child failed:\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ChildReport;
}

export async function benchMemory(requests: number): Promise<{ rows: Row[]; details: unknown }> {
  const outDir = mkdtempSync(join(tmpdir(), 'leserpost-bench-memory-'));
  try {
    await benchTable();
    progress('memory: seeding a thread of 1,000 comments and 20 counted pages');
    const thread = '/bench/memory-thread';
    await seedComments(thread, 1000);
    const countedPages = Array.from({ length: 20 }, (_, i) => `/bench/memory-counted-${i}`);
    for (const page of countedPages) await seedComments(page, 2);
    const wishes = await loadHandler('wishes');
    const wishId = wishes ? await publicWish(wishes) : undefined;

    const entries = lambdaEntries();
    const bundles: MemoryChildInput['bundles'] = {
      comments: (await bundleLambda(entries.find((e) => e.name === 'comments')!, 'tuned', outDir)).file,
    };
    const wishEntry = entries.find((e) => e.name === 'wishes');
    if (wishEntry && wishId) bundles.wishes = (await bundleLambda(wishEntry, 'tuned', outDir)).file;
    const child = join(outDir, 'memory-child.js');
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['bench/memory-child.ts'],
      bundle: true,
      platform: 'node',
      outfile: child,
      logLevel: 'error',
    });

    progress(`memory: one process serves ${requests} mixed requests, with Lambda's heap flags and without`);
    const input: MemoryChildInput = { bundles, requests, thread, countedPages, wishId, origin: TEST_ORIGIN };
    const lambda = runChild(child, input, lambdaHeapFlags(LAMBDA_MEMORY_MB));
    const unconstrained = runChild(child, input, []);
    const failed = Object.entries(lambda.statuses).filter(([key]) => !/ 20[01]$/.test(key));
    const mix = Object.entries(lambda.statuses)
      .map(([key, count]) => `${count}× ${key}`)
      .join(', ');
    return {
      rows: [
        {
          section: 'memory',
          figure: `Peak RSS of one process with the comments${bundles.wishes ? ' and wishes' : ''} bundles, ${requests} mixed requests, node run as Lambda runs it with ${LAMBDA_MEMORY_MB} MB`,
          measured: `${mb(lambda.maxRssBytes)} (node without Lambda's heap flags: ${mb(unconstrained.maxRssBytes)})`,
          goal: `≤ ${mb(MEMORY_GOAL_BYTES)} (Lambda has 128 MB)`,
          verdict: failed.length
            ? `not valid: ${failed.map(([key, n]) => `${n}× ${key}`).join(', ')}`
            : atMost(lambda.maxRssBytes, MEMORY_GOAL_BYTES, mb),
        },
      ],
      details: { lambda, unconstrained, heapFlags: lambdaHeapFlags(LAMBDA_MEMORY_MB), mix },
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
