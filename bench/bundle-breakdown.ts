/**
 * `npm run bench:breakdown [-- name ...] [--why=PATTERN] [--top=N]`: what each KB of a Lambda bundle
 * is, from esbuild's metafile of the deployed build (lib/bundling.ts, as bench/bundles.ts builds it).
 * Per bundle: total, bytes per package, the largest input files; with --why, the import chain from
 * the entry to every input whose path contains PATTERN (why a module is in a group at all).
 * Sizes only, no timings: quick to run after each change of an import.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { lambdaEntries, tunedOptions } from './bundles';
import { ROOT } from './dynamo-env';
import { kb } from './report';

function packageOf(input: string): string {
  return input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.split('/').slice(0, 2).join('/');
}

/** The shortest import chain from the entry to `target` (breadth first over the metafile's imports). */
export function importChain(metafile: Metafile, entry: string, target: string): string[] {
  const previous = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current === target) break;
    for (const { path } of metafile.inputs[current]?.imports ?? []) {
      if (previous.has(path) || !metafile.inputs[path]) continue;
      previous.set(path, current);
      queue.push(path);
    }
  }
  if (!previous.has(target)) return [];
  const chain = [target];
  while (previous.get(chain[0]!)) chain.unshift(previous.get(chain[0]!)!);
  return chain;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const why = args.find((arg) => arg.startsWith('--why='))?.slice('--why='.length);
  const top = Number(args.find((arg) => arg.startsWith('--top='))?.slice('--top='.length) ?? 15);
  const names = args.filter((arg) => !arg.startsWith('--'));
  const outDir = mkdtempSync(join(tmpdir(), 'leserpost-breakdown-'));
  try {
    for (const lambda of lambdaEntries().filter((l) => names.length === 0 || names.includes(l.name))) {
      const result = await build({
        ...tunedOptions(),
        absWorkingDir: ROOT,
        entryPoints: [lambda.entry],
        outfile: join(outDir, lambda.name, 'index.js'),
        metafile: true,
        logLevel: 'error',
      });
      const metafile = result.metafile!;
      const output = Object.values(metafile.outputs)[0]!;
      const files = Object.entries(output.inputs).map(([path, { bytesInOutput }]) => ({
        path,
        bytes: bytesInOutput,
      }));
      const byPackage = new Map<string, number>();
      for (const file of files)
        byPackage.set(packageOf(file.path), (byPackage.get(packageOf(file.path)) ?? 0) + file.bytes);
      console.log(`\n## ${lambda.name}: ${kb(output.bytes)} (${output.bytes} B)`);
      for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).filter(([, b]) => b >= 500))
        console.log(`  ${kb(bytes).padStart(9)}  ${name}`);
      console.log(`  largest files:`);
      for (const file of files.sort((a, b) => b.bytes - a.bytes).slice(0, top))
        console.log(`  ${kb(file.bytes).padStart(9)}  ${file.path}`);
      if (why) {
        const entry = Object.keys(metafile.inputs).find((path) => path === lambda.entry) ?? lambda.entry;
        const targets = files.filter((file) => file.path.includes(why) && file.bytes > 0);
        console.log(
          `  why ${why} (${targets.length} files, ${kb(targets.reduce((s, f) => s + f.bytes, 0))}):`,
        );
        for (const target of targets.slice(0, 5))
          console.log(`    ${importChain(metafile, entry, target.path).join('\n      → ')}`);
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
