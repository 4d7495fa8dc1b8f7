/**
 * Every Lambda bundled exactly as the CDK stack bundles it (lib/bundling.ts), next to a naive
 * bundle of the same entry (esbuild defaults), with the minified size and the time of a cold
 * `require` in a fresh node process, a proxy for the module-loading part of a cold start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { HANDLER_ENTRIES } from '../functions/routes';
import { LAMBDA_ESBUILD_OPTIONS } from '../lib/bundling';
import { ROOT } from './dynamo-env';
import { atMost, type Distribution, distribution, kb, ms, progress, type Row } from './report';

export const NOTIFIER_ENTRY = 'functions/notifier/handler.ts';
export const SIZE_GOAL_BYTES = 250_000;
/**
 * Lambdas whose cold start no reader waits on (the stream notifier): no size goal, only the cold
 * require ratio. The notifier carries the real SES v2 client (+81 KB) by choice: SendEmail stays
 * the SDK's, with its error handling, and mail goes out after the reader's answer anyway.
 */
export const NO_SIZE_GOAL = new Set(['notifier']);
export const COLD_RATIO_GOAL = 0.5;

export interface LambdaEntry {
  name: string;
  entry: string;
}

/** The API handlers that exist yet, plus the stream notifier. */
export function lambdaEntries(): LambdaEntry[] {
  const entries = Object.entries(HANDLER_ENTRIES).map(([name, entry]) => ({ name, entry }));
  entries.push({ name: 'notifier', entry: NOTIFIER_ENTRY });
  return entries.filter((lambda) => existsSync(join(ROOT, lambda.entry)));
}

export interface BuiltBundle {
  file: string;
  bytes: number;
  /** Minified bytes per package (or `functions` for our own code), largest first. */
  packages: { name: string; bytes: number }[];
}

/** The deployed options (lib/bundling.ts) as an esbuild build configuration. */
export function tunedOptions(): BuildOptions {
  return {
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [...LAMBDA_ESBUILD_OPTIONS.external],
    alias: { ...LAMBDA_ESBUILD_OPTIONS.alias },
  };
}

/** esbuild's defaults for a node bundle: what a handler gets without any tuning. */
const NAIVE_OPTIONS: BuildOptions = { bundle: true, platform: 'node' };

/** Bundles one entry with the deployed options (`tuned`), with esbuild's defaults (`naive`), or with `options`. */
export async function bundleLambda(
  lambda: LambdaEntry,
  variant: string,
  outDir: string,
  options: BuildOptions = variant === 'naive' ? NAIVE_OPTIONS : tunedOptions(),
): Promise<BuiltBundle> {
  const outfile = join(outDir, variant, lambda.name, `index${options.format === 'esm' ? '.mjs' : '.js'}`);
  const result = await build({
    ...options,
    absWorkingDir: ROOT,
    entryPoints: [lambda.entry],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  return { file: outfile, ...sizes(result.metafile!) };
}

function sizes(metafile: Metafile): Omit<BuiltBundle, 'file'> {
  let bytes = 0;
  const byPackage = new Map<string, number>();
  for (const [name, output] of Object.entries(metafile.outputs)) {
    if (name.endsWith('.map')) continue;
    bytes += output.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.split('/')[0]!;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  const packages = [...byPackage].map(([name, size]) => ({ name, bytes: size }));
  return { bytes, packages: packages.sort((a, b) => b.bytes - a.bytes) };
}

/** Lambda-like environment: region, credentials and function name set, nothing from this shell. */
function lambdaEnv(name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'eu-central-1',
    AWS_LAMBDA_FUNCTION_NAME: `leserpost-${name}`,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    TABLE_NAME: 'leserpost',
    LOG_LEVEL: 'INFO',
  };
}

/** Time of loading the bundle, measured inside a fresh node process (node's own start excluded). */
function coldRequire(file: string, name: string): number {
  const load = file.endsWith('.mjs') ? `import(${JSON.stringify(file)})` : `require(${JSON.stringify(file)})`;
  const script = `const t=process.hrtime.bigint();Promise.resolve(${load}).then(()=>{process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));process.exit(0)})`;
  const child = spawnSync(process.execPath, ['-e', script], { env: lambdaEnv(name), encoding: 'utf8' });
  const value = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(value)) {
    throw new Error(`Loading ${file} failed (${child.status}):\n${child.stderr}`);
  }
  return value;
}

export interface LambdaResult {
  name: string;
  tuned: BuiltBundle & { coldRequire: Distribution };
  naive: BuiltBundle & { coldRequire: Distribution };
  ratio: number;
}

export async function benchLambdas(runs: number): Promise<{ rows: Row[]; lambdas: LambdaResult[] }> {
  const outDir = mkdtempSync(join(tmpdir(), 'leserpost-bench-lambda-'));
  const lambdas: LambdaResult[] = [];
  let steps: Row[] = [];
  // What loading costs before any code runs: node's require of an empty file (high on a busy machine).
  const emptyFile = join(outDir, 'empty.js');
  writeFileSync(emptyFile, '');
  const empty = distribution(Array.from({ length: runs }, () => coldRequire(emptyFile, 'empty')));
  const emptyRow: Row = {
    section: 'lambda',
    figure: 'Cold require of an empty file (the floor under every figure below)',
    measured: `${ms(empty.p50)} / ${ms(empty.p90)}`,
    goal: 'reference',
    verdict: 'info',
  };
  try {
    for (const lambda of lambdaEntries()) {
      progress(`lambdas: bundling ${lambda.name}`);
      const tuned = await bundleLambda(lambda, 'tuned', outDir);
      const naive = await bundleLambda(lambda, 'naive', outDir);
      progress(`lambdas: ${runs} cold requires of each ${lambda.name} bundle`);
      const samples = { tuned: [] as number[], naive: [] as number[] };
      // Interleaved, so a busy moment of the machine hits both alike; the first pair warms the disk cache.
      for (let i = 0; i <= runs; i++) {
        const tunedTime = coldRequire(tuned.file, lambda.name);
        const naiveTime = coldRequire(naive.file, lambda.name);
        if (i === 0) continue;
        samples.tuned.push(tunedTime);
        samples.naive.push(naiveTime);
      }
      const tunedCold = distribution(samples.tuned);
      const naiveCold = distribution(samples.naive);
      lambdas.push({
        name: lambda.name,
        tuned: { ...tuned, coldRequire: tunedCold },
        naive: { ...naive, coldRequire: naiveCold },
        ratio: tunedCold.p50 / naiveCold.p50,
      });
      if (lambda.name === 'comments') steps = await trimSteps(lambda, outDir, runs);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const rows: Row[] = [emptyRow];
  rows.push(
    ...lambdas.flatMap((lambda) => [
      {
        section: 'lambda',
        figure: `Lambda \`${lambda.name}\`: bundle, minified, SDK bundled (naive bundle)`,
        measured: `${kb(lambda.tuned.bytes)} (${kb(lambda.naive.bytes)})`,
        goal: NO_SIZE_GOAL.has(lambda.name)
          ? 'info (no reader waits; goal: cold require)'
          : `≤ ${kb(SIZE_GOAL_BYTES)}`,
        verdict: NO_SIZE_GOAL.has(lambda.name) ? 'info' : atMost(lambda.tuned.bytes, SIZE_GOAL_BYTES, kb),
      },
      {
        section: 'lambda',
        figure: `Lambda \`${lambda.name}\`: cold require median / p90 (naive), ratio of medians, n=${runs}`,
        measured: `${ms(lambda.tuned.coldRequire.p50)} / ${ms(lambda.tuned.coldRequire.p90)} (${ms(lambda.naive.coldRequire.p50)} / ${ms(lambda.naive.coldRequire.p90)}), ${lambda.ratio.toFixed(2)}×`,
        goal: `≤ ${COLD_RATIO_GOAL}× naive`,
        verdict: atMost(lambda.ratio, COLD_RATIO_GOAL, (n) => `${n.toFixed(3)}×`),
      },
    ]),
  );
  rows.push(...lambdas.filter(overGoal).map(breakdownRow));
  rows.push(...steps);
  return { rows, lambdas };
}

const overGoal = (lambda: LambdaResult) =>
  !NO_SIZE_GOAL.has(lambda.name) && lambda.tuned.bytes > SIZE_GOAL_BYTES;

/** Packages counted together in a breakdown: what one decision (a library, the SDK) costs. */
const PART_OF: [RegExp, string][] = [
  [/^(nodemailer|@aws-sdk\/client-sesv2)$/, 'mail'],
  [/^(@aws-sdk|@smithy|@aws)\//, 'AWS SDK'],
  [/^(markdown-it|mdurl|punycode\.js)$/, 'markdown-it'],
  [/^@hpke\//, 'HPKE'],
  [/^(functions|functions\/routes\.ts)$/, 'own code'],
];

/** Where the bytes of a bundle over its goal go (`npm run bench:breakdown` shows every file). */
function breakdownRow(lambda: LambdaResult): Row {
  const parts = new Map<string, number>();
  for (const { name, bytes } of lambda.tuned.packages) {
    const part = PART_OF.find(([re]) => re.test(name))?.[1] ?? name;
    parts.set(part, (parts.get(part) ?? 0) + bytes);
  }
  const shown = [...parts].sort((a, b) => b[1] - a[1]).filter(([, bytes]) => bytes >= 1000);
  return {
    section: 'lambda',
    figure: `Lambda \`${lambda.name}\` over its size goal: where the bytes go`,
    measured: shown.map(([part, bytes]) => `${part} ${kb(bytes)}`).join(', '),
    goal: 'why it misses (see README)',
    verdict: 'info',
  };
}

/**
 * The trims of lib/bundling.ts one by one on the same entry, each measured against the naive
 * bundle in the same interleaved loop, plus the deployed options with ES module output (why the
 * Lambdas ship CommonJS). Aliases are dropped from the end of LAMBDA_ALIASES backwards.
 */
async function trimSteps(lambda: LambdaEntry, outDir: string, runs: number): Promise<Row[]> {
  const aliases = Object.entries(LAMBDA_ESBUILD_OPTIONS.alias);
  const tuned = tunedOptions();
  const steps: { label: string; options: BuildOptions }[] = [
    { label: 'naive (esbuild defaults)', options: NAIVE_OPTIONS },
    { label: 'minified, ES module builds of packages first', options: { ...tuned, alias: {} } },
    ...aliases.map(([name], i) => ({
      label: `+ alias ${name}`,
      options: { ...tuned, alias: Object.fromEntries(aliases.slice(0, i + 1)) },
    })),
    {
      label: 'deployed options, but ES module output (loaded with import())',
      options: {
        ...tuned,
        format: 'esm',
        // Bundled CommonJS code calls require(); an ES module has none unless it makes one.
        banner: {
          js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
        },
      },
    },
  ];
  const built = await Promise.all(
    steps.map((step, i) => bundleLambda(lambda, `step-${i}`, outDir, step.options)),
  );
  progress(`lambdas: ${runs} cold loads of each of ${steps.length} trim steps of ${lambda.name}`);
  const samples = steps.map(() => [] as number[]);
  for (let run = 0; run <= runs; run++) {
    for (const [i, bundle] of built.entries()) {
      const time = coldRequire(bundle.file, lambda.name);
      if (run > 0) samples[i]!.push(time);
    }
  }
  const medians = samples.map((times) => distribution(times).p50);
  return steps.map((step, i) => ({
    section: 'lambda',
    figure: `Trim step for \`${lambda.name}\`: ${step.label}`,
    measured: `${kb(built[i]!.bytes)}, cold median ${ms(medians[i]!)} (${(medians[i]! / medians[0]!).toFixed(2)}× naive)`,
    goal: 'how each trim pays',
    verdict: 'info',
  }));
}
