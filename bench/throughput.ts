/**
 * Local HTTP throughput comes from the load run of the abuse issue (`npm run load`, bench/load.ts),
 * which writes bench/results/load.json. The bench shows its figures; without a result it runs the
 * load once, bounded in time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './dynamo-env';
import { progress, type Row } from './report';

export const LOAD_RESULT = join(ROOT, 'bench/results/load.json');
const LOAD_SCRIPT = join(ROOT, 'bench/load.ts');
const LOAD_TIMEOUT_MS = 240_000;

/** The figures a reader looks for, at any depth of the load result: rates, percentiles, errors, losses. */
const INTERESTING =
  /rps|per.?s(ec(ond)?)?$|throughput|p50|p9\d|median|latency|error|non2xx|timeout|lost|missing|duplicat|requests$|duration|connections/i;

function flatten(value: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    const shown = typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : String(value);
    out.push([prefix, shown]);
  }
  return out;
}

export async function benchThroughput(options: {
  runLoad: boolean;
}): Promise<{ rows: Row[]; details: unknown }> {
  const figure = 'Local HTTP throughput (`npm run load`)';
  if (!existsSync(LOAD_RESULT) && options.runLoad && existsSync(LOAD_SCRIPT)) {
    progress(
      `throughput: no ${LOAD_RESULT.slice(ROOT.length + 1)} yet, running npm run load (at most ${LOAD_TIMEOUT_MS / 1000} s)`,
    );
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
  const result = JSON.parse(readFileSync(LOAD_RESULT, 'utf8')) as unknown;
  const figures = flatten(result).filter(([key]) => INTERESTING.test(key.split('.').pop() ?? key));
  const when = statSync(LOAD_RESULT).mtime.toISOString().slice(0, 16).replace('T', ' ');
  return {
    rows: [
      {
        section: 'throughput',
        figure: `${figure}, result of ${when} UTC`,
        measured: figures.map(([key, value]) => `${key} ${value}`).join('; ') || 'no figures in load.json',
        goal: 'no errors, no lost or duplicated writes',
        verdict: verdictOf(figures),
      },
    ],
    details: result,
  };
}

/** Any non-zero count of errors, lost or duplicated writes is a miss; otherwise the run is clean. */
function verdictOf(figures: [string, string][]): string {
  const bad = figures.filter(
    ([key, value]) => /error|non2xx|timeout|lost|missing|duplicat/i.test(key) && Number(value) > 0,
  );
  return bad.length ? `missed: ${bad.map(([key, value]) => `${key} ${value}`).join(', ')}` : 'met';
}
