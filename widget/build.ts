/**
 * Builds the widget: `leserpost.js` (comments, counts, wish credit; a classic `defer` script that
 * also runs as a module) and `leserpost-wishes.js` (the wish board, an ES module imported only
 * where a `<leserpost-wishes>` element is placed). `npm run build:widget` writes them to widget/dist.
 *
 * esbuild bundles; swc minifies, because it can drop what esbuild must keep: the schemas of
 * functions/core/schemas.ts that the browser never uses (their calls are annotated pure here, and
 * swc may treat reads of LIMITS as free of side effects), which is about a fifth of the bundle.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { minify } from '@swc/core';
import { build, type Plugin, transform } from 'esbuild';

const SRC = join(__dirname, 'src');
const SCHEMAS = /functions[\\/]core[\\/]schemas\.ts$/;
/** Calls in the schema module: `v.pipe(`, `singleLine(`, … but not `function singleLine(` or `x.trim(`. */
const CALL = /(?<!function )(?<![\w$.])((?:v\.)?[A-Za-z_$][\w$]*)\(/g;
const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'return', 'catch', 'typeof', 'function']);

const widgetPlugin: Plugin = {
  name: 'leserpost-widget',
  setup(builder) {
    // Building a schema has no side effects; saying so lets the minifier drop unused ones.
    builder.onLoad({ filter: SCHEMAS }, (args) => ({
      loader: 'ts',
      contents: readFileSync(args.path, 'utf8').replace(CALL, (call, name: string) =>
        NOT_CALLS.has(name) ? call : `/* @__PURE__ */ ${call}`,
      ),
    }));
    // CSS becomes a minified string for the shadow roots: no stylesheet request.
    builder.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await transform(readFileSync(args.path, 'utf8'), { loader: 'css', minify: true });
      return { contents: `export default ${JSON.stringify(code.trim())}`, loader: 'js' };
    });
  },
};

async function bundle(entry: string, format: 'iife' | 'esm') {
  const result = await build({
    entryPoints: [join(SRC, entry)],
    bundle: true,
    format,
    target: 'es2022',
    write: false,
    metafile: true,
    outdir: 'out',
    legalComments: 'none',
    plugins: [widgetPlugin],
    logLevel: 'silent',
  });
  const minified = await minify(result.outputFiles[0]!.text, {
    module: format === 'esm',
    compress: { pure_getters: true, passes: 3, toplevel: format === 'esm' },
    mangle: { toplevel: format === 'esm' },
    format: { comments: false },
  });
  return { code: minified.code, inputs: Object.keys(result.metafile.inputs) };
}

export async function buildWidget(outDir: string): Promise<{ files: string[] }> {
  // An IIFE: no globals leak into the blog's page, and it runs as a classic or a module script.
  const main = await bundle('main.ts', 'iife');
  const wishes = await bundle('wishes.ts', 'esm');
  const shared = wishes.inputs.filter((input) => !/widget[\\/]src[\\/]wishes\.(ts|css)$/.test(input));
  if (shared.length > 0) {
    // The wish chunk must take shared code from the main script's kit, or it would ship twice.
    throw new Error(`The wish chunk imports ${shared.join(', ')}; pass it through the kit instead.`);
  }
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [name, code] of [
    ['leserpost.js', main.code],
    ['leserpost-wishes.js', wishes.code],
  ] as const) {
    // Write, then rename: parallel test workers build at the same time and must never read half a file.
    const path = join(outDir, name);
    writeFileSync(`${path}.${process.pid}.tmp`, code);
    renameSync(`${path}.${process.pid}.tmp`, path);
    files.push(path);
  }
  return { files };
}

if (require.main === module) {
  const outDir = resolve(process.argv[2] ?? join(__dirname, 'dist'));
  buildWidget(outDir).then(({ files }) => {
    for (const file of files) {
      const contents = readFileSync(file);
      const gzip = gzipSync(contents, { level: 9 }).length;
      console.log(`${relative(process.cwd(), file)}: ${contents.length} B raw, ${gzip} B gzip`);
    }
  });
}
