/**
 * Builds the widget: `leserpost.js` (comments, counts, wish credit; a classic `defer` script that
 * also runs as a module) and `leserpost-wishes.<hash>.js` (the wish board, an ES module imported
 * only where a `<leserpost-wishes>` element is placed), likewise `leserpost-compliments.<hash>.js` and `leserpost-credit.<hash>.js`. `npm run build:widget` writes them to
 * widget/dist.
 *
 * esbuild bundles; swc minifies, because it can drop what esbuild must keep: the schemas of
 * functions/core/schemas.ts that the browser never uses (their calls are annotated pure here, and
 * swc may treat reads of LIMITS as free of side effects), which is about a fifth of the bundle.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type CallExpression, minify, parseSync } from '@swc/core';
import { build, type Plugin, transform } from 'esbuild';

const SRC = join(__dirname, 'src');
const SCHEMAS = /functions[\\/]core[\\/]schemas\.ts$/;

/**
 * Prepares functions/core/schemas.ts for the browser without changing what it validates: marks the
 * calls that build its top-level constants (`export const X = v.pipe(…)`) as pure, so the minifier
 * may drop the schemas the widget never uses, and cuts out `v.description(…)` pipe items, which only
 * the OpenAPI document reads. Other calls inside functions are left alone (there a result may be
 * unused on purpose). Found with swc's parser, so strings and comments stay untouched.
 */
export function prepareSchemas(source: string): string {
  // The parser counts byte positions from an arbitrary base; a first statement at offset 0 reveals it.
  const prefix = '0;\n';
  const module = parseSync(prefix + source, { syntax: 'typescript' });
  const base = module.body[0]!.span.start + prefix.length;
  const edits: { start: number; end: number; text: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const { type, span } = node as { type?: string; span?: { start: number; end: number } };
    if (type === 'ArrowFunctionExpression' || type === 'FunctionExpression') return;
    if (type === 'CallExpression') {
      edits.push({ start: span!.start - base, end: span!.start - base, text: '/* @__PURE__ */ ' });
    }
    for (const value of Object.values(node)) walk(value);
  };
  for (const statement of module.body.slice(1)) {
    const declaration = statement.type === 'ExportDeclaration' ? statement.declaration : statement;
    if (declaration.type === 'VariableDeclaration') walk(declaration.declarations.map((d) => d.init));
  }
  // `v.description(…)` inside a pipe is metadata for the OpenAPI document only: cut it out of every
  // argument list (with its comma), also inside functions; a pipe skips metadata when it validates.
  const cutDescriptions = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) cutDescriptions(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    if ((node as { type?: string }).type === 'CallExpression') {
      const args = (node as CallExpression).arguments;
      args.forEach((arg, index) => {
        const call = arg.expression;
        const isDescription =
          index > 0 &&
          call.type === 'CallExpression' &&
          call.callee.type === 'MemberExpression' &&
          call.callee.property.type === 'Identifier' &&
          call.callee.property.value === 'description';
        if (isDescription) {
          const previous = (args[index - 1]!.expression as unknown as { span: { end: number } }).span;
          edits.push({ start: previous.end - base, end: call.span.end - base, text: '' });
        }
      });
    }
    for (const value of Object.values(node)) cutDescriptions(value);
  };
  cutDescriptions(module.body.slice(1));
  const bytes = Buffer.from(source);
  const parts: Buffer[] = [];
  let last = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    // A mark inside a description that was cut out goes with it.
    if (edit.start < last) continue;
    parts.push(bytes.subarray(last, edit.start), Buffer.from(edit.text));
    last = edit.end;
  }
  parts.push(bytes.subarray(last));
  return Buffer.concat(parts).toString();
}

const widgetPlugin: Plugin = {
  name: 'leserpost-widget',
  setup(builder) {
    // Building a schema has no side effects; saying so lets the minifier drop unused ones.
    builder.onLoad({ filter: SCHEMAS }, (args) => ({
      loader: 'ts',
      contents: prepareSchemas(readFileSync(args.path, 'utf8')),
    }));
    // CSS becomes a minified string for the shadow roots: no stylesheet request.
    builder.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await transform(readFileSync(args.path, 'utf8'), { loader: 'css', minify: true });
      // esbuild keeps custom properties as written; their spaces after `:` and `,` mean nothing here.
      const tight = code
        .trim()
        .replace(/(--[\w-]+):\s*([^;}]*)/g, (_, name, value) => `${name}:${value.replace(/,\s+/g, ',')}`);
      return { contents: `export default ${JSON.stringify(tight)}`, loader: 'js' };
    });
  },
};

async function bundle(entry: string, format: 'iife' | 'esm', define: Record<string, string> = {}) {
  const result = await build({
    define,
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
  const [, entryInput] = Object.entries(result.metafile.inputs).find(([path]) => path.endsWith(entry)) ?? [];
  if (entryInput?.format !== 'esm') {
    // A CommonJS entry makes esbuild wrap every module in lazy initialisers: nothing is dropped.
    throw new Error(`widget/src/${entry} must stay an ES module (keep its \`export {}\`).`);
  }
  return { code: minified.code, inputs: Object.keys(result.metafile.inputs) };
}

export async function buildWidget(outDir: string): Promise<{ files: string[] }> {
  const wishes = await bundle('wishes.ts', 'esm');
  const forms = await bundle('forms.ts', 'esm');
  const compliments = await bundle('compliments.ts', 'esm');
  const credit = await bundle('credit.ts', 'esm');
  // Named by their content, one hash for all (the main script carries it once): a main script
  // cached a few minutes longer never meets a newer chunk.
  const hash = createHash('sha256')
    .update(JSON.stringify([wishes.code, forms.code, compliments.code, credit.code]))
    .digest('hex')
    .slice(0, 10);
  const chunk = `leserpost-wishes.${hash}.js`;
  const formChunk = `leserpost-form.${hash}.js`;
  const complimentChunk = `leserpost-compliments.${hash}.js`;
  const creditChunk = `leserpost-credit.${hash}.js`;
  // An IIFE: no globals leak into the blog's page, and it runs as a classic or a module script.
  const main = await bundle('main.ts', 'iife', { __LESERPOST_CHUNKS__: JSON.stringify(hash) });
  for (const [name, built] of [
    ['wishes', wishes],
    ['compliments', compliments],
    ['credit', credit],
  ] as const) {
    const own = new RegExp(`widget[\\\\/]src[\\\\/]${name}\\.(ts|css)$`);
    const shared = built.inputs.filter((input) => !own.test(input));
    // An element's chunk must take shared code from the main script's kit, or it would ship twice.
    if (shared.length > 0)
      throw new Error(`The ${name} chunk imports ${shared.join(', ')}; pass it through the kit instead.`);
  }
  // The form chunk brings valibot, the schemas (with the few core modules they need), the form and
  // its guard client; DOM helpers and the API client come from the kit.
  const formShared = forms.inputs.filter(
    (input) =>
      !/widget[\\/]src[\\/](forms|form|guard)\.ts$|functions[\\/]core[\\/]|node_modules[\\/]valibot/.test(
        input,
      ),
  );
  if (formShared.length > 0) throw new Error(`The form chunk imports ${formShared.join(', ')}; use the kit.`);
  // Before the first comment nothing of the form may load: no valibot, schemas or guard client.
  const early = main.inputs.filter((input) =>
    /valibot|schemas\.ts$|pow-solve|widget[\\/]src[\\/](form|guard)\.ts$/.test(input),
  );
  if (early.length > 0)
    throw new Error(`The main script includes ${early.join(', ')}; it belongs in the form chunk.`);
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [name, code] of [
    [chunk, wishes.code],
    [formChunk, forms.code],
    [complimentChunk, compliments.code],
    [creditChunk, credit.code],
    ['leserpost.js', main.code],
  ] as const) {
    // Write, then rename: parallel test workers build at the same time and must never read half a file.
    const path = join(outDir, name);
    writeFileSync(`${path}.${process.pid}.tmp`, code);
    renameSync(`${path}.${process.pid}.tmp`, path);
    files.push(path);
  }
  for (const old of readdirSync(outDir)) {
    if (
      /^leserpost-(wishes|form|compliments|credit)(\.[0-9a-f]+)?\.js$/.test(old) &&
      ![chunk, formChunk, complimentChunk, creditChunk].includes(old)
    )
      rmSync(join(outDir, old), { force: true });
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
