/**
 * `npm run bench`: every performance figure of Leserpost measured on this machine in one run, next
 * to its goal. Prints a markdown table on stdout (progress on stderr) and writes
 * bench/results/bench.json and bench/results/bench.md.
 *
 * Options: --quick (fewer iterations, for trying things out), --only=widget,browser,lambda,memory,
 * handlers,viral,throughput,desk,votes (a subset), --no-load (show the last `npm run load` result instead of running it),
 * --write-readme (put the table into bench/README-performance.md).
 */

// Before any handler module loads: the logger reads its level once.
process.env.LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { markdownTable, progress, type Row } from './report';

const SECTIONS = [
  'widget',
  'browser',
  'lambda',
  'memory',
  'handlers',
  'viral',
  'throughput',
  'desk',
  'votes',
] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  quick: boolean;
  only: Set<Section>;
  runLoad: boolean;
  writeReadme: boolean;
}

function parseOptions(argv: string[]): Options {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const chosen = only ? only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const name of chosen) {
    if (!SECTIONS.includes(name as Section))
      throw new Error(`Unknown section "${name}"; known: ${SECTIONS.join(', ')}`);
  }
  return {
    quick: argv.includes('--quick'),
    only: new Set(chosen as Section[]),
    runLoad: !argv.includes('--no-load'),
    writeReadme: argv.includes('--write-readme'),
  };
}

const RESULTS = join(__dirname, 'results');
const README = join(__dirname, 'README-performance.md');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  // Other work on the machine slows every timing; the load average says how busy it was.
  const startLoad = loadavg()[0]!.toFixed(1);
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const { createCapacityRecorder } = await import('./capacity-recorder');
  const { stopBenchDynamo } = await import('./dynamo-env');
  const recorder = createCapacityRecorder();

  /** One section failing (a helper's code mid-change, a missing tool) must not hide the others. */
  const section = async (name: Section, work: () => Promise<{ rows: Row[]; details?: unknown }>) => {
    if (!options.only.has(name)) return;
    const sectionStart = Date.now();
    try {
      const result = await work();
      rows.push(...result.rows);
      details[name] = result.details ?? null;
    } catch (error) {
      progress(`${name} failed: ${(error as Error).stack ?? error}`);
      rows.push({
        section: name,
        figure: name,
        measured: 'failed',
        goal: '',
        verdict: `failed: ${(error as Error).message.split('\n')[0]}`,
      });
    }
    progress(`${name} done in ${((Date.now() - sectionStart) / 1000).toFixed(0)} s`);
  };

  try {
    await section('widget', async () => {
      const { benchWidget } = await import('./widget');
      const result = await benchWidget();
      return { rows: result.rows, details: result.files };
    });
    await section('browser', async () => (await import('./browser')).benchBrowser());
    await section('lambda', async () => {
      const { benchLambdas } = await import('./bundles');
      const result = await benchLambdas(options.quick ? 10 : 30);
      return { rows: result.rows, details: result.lambdas };
    });
    await section('memory', async () => (await import('./memory')).benchMemory(1000));
    await section('handlers', async () => {
      const { benchHandlers } = await import('./handlers');
      const result = await benchHandlers(recorder, options.quick);
      return { rows: result.rows, details: { operations: result.operations, growth: result.growth } };
    });
    await section('viral', async () => (await import('./viral')).benchViral(recorder, options.quick));
    await section('desk', async () => (await import('./desk')).benchDesk(recorder));
    await section('votes', async () => (await import('./votes')).benchVotes());
    await section('throughput', async () =>
      (await import('./throughput')).benchThroughput({ runLoad: options.runLoad }),
    );
  } finally {
    await stopBenchDynamo();
  }

  const table = markdownTable(rows);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, load average at start ${startLoad}`;
  const seconds = Math.round((Date.now() - started) / 1000);
  mkdirSync(RESULTS, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(
    join(RESULTS, 'bench.json'),
    `${JSON.stringify({ at, machine, seconds, quick: options.quick, rows, details }, null, 2)}\n`,
  );
  const footer = `Measured ${at.slice(0, 16).replace('T', ' ')} UTC on ${machine}; the run took ${seconds} s${options.quick ? ' (--quick)' : ''}.`;
  writeFileSync(join(RESULTS, 'bench.md'), `${table}\n\n${footer}\n`);
  if (options.writeReadme) {
    const readme = readFileSync(README, 'utf8');
    // A replacer function: the table holds prices like "$2.71", which a replacement string would
    // read as references to the pattern's groups.
    const updated = readme.replace(
      /(<!-- bench:table -->\n)[\s\S]*?(\n<!-- \/bench:table -->)/,
      (_whole, open: string, close: string) => `${open}${table}\n\n${footer}${close}`,
    );
    writeFileSync(README, updated);
  }
  process.stdout.write(`${table}\n\n${footer}\n`);
  const missed = rows.filter((row) => /^missed|^failed|^not valid/.test(row.verdict));
  if (missed.length)
    progress(`${missed.length} figure(s) miss their goal or failed: see the verdict column.`);
}

main().catch((error: Error) => {
  progress(`failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
