/**
 * How every Lambda is bundled, as plain data (no CDK import): the CDK API stack and `npm run bench`
 * both read it, so the bundle the bench measures is the bundle that is deployed.
 *
 * Each option is here because the bench showed it pays (see bench/README-performance.md):
 * - mainFields module first: the SDK's ES module builds tree-shake, its CommonJS builds do not.
 * - minify: smaller file, less for V8 to parse on a cold start.
 * - aliases (LAMBDA_ALIASES): the SDK's default credential chain becomes an environment-only
 *   provider (about 130 KB less and a third less cold-start require time), and the event-stream
 *   codec none of our operations uses is left out (about 15 KB), and the DynamoDB client's
 *   endpoint cache gets a Map-based LRU instead of mnemonist's (about 7 KB), and the Secrets
 *   Manager client, of which we send one command, becomes that one signed request
 *   (functions/runtime/aws-call.ts; about 13 KB of every bundle with keys: the SDK keeps every
 *   command's schema of a client), and the signing hash is node's crypto without
 *   the SDK's pure-JavaScript fallback (about 3 KB). Why each is safe: the files they point to.
 * - CommonJS output: a cold `require` of the minified bundle is faster than `import` of the same
 *   code as an ES module (no module linking), and it needs no createRequire banner.
 * - The SDK is bundled, never taken from the runtime: one tested version, tree-shaken.
 */

/** Lambda runtime the functions run on; also the esbuild target. */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * Packages replaced in the Lambda bundles, by what replaces them. Paths are relative to the project
 * root, which is esbuild's working directory in CDK and in the bench.
 */
export const LAMBDA_ALIASES = {
  '@aws-sdk/credential-provider-node': './functions/runtime/lambda-credentials.ts',
  '@smithy/core/event-streams': './functions/runtime/no-event-streams.ts',
  'mnemonist/lru-cache': './functions/runtime/lru-cache.ts',
  // One call (GetSecretValue on a cold start): a signed request instead of a whole client. SES v2
  // stays the real client: only the notifier sends mail, and no reader waits on its cold start.
  '@aws-sdk/client-secrets-manager': './functions/runtime/lite-secrets-manager.ts',
  // Node's crypto only, without the pure-JavaScript SHA-256 fallback Lambda never needs.
  '@smithy/core/checksum': './functions/runtime/sha256.ts',
};

/** esbuild options (names as in esbuild's JS API) for every Lambda entry. */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: `node${LAMBDA_NODE_MAJOR}`,
  format: 'cjs',
  minify: true,
  mainFields: ['module', 'main'],
  alias: LAMBDA_ALIASES,
  external: [] as string[],
  define: {} as Record<string, string>,
  banner: {} as Record<string, string>,
  charset: 'utf8',
} as const;

/**
 * The same options in the shape of NodejsFunction's `bundling` props: what CDK has a prop for goes
 * there, the rest as esbuild CLI flags (`esbuildArgs`). `format` is OutputFormat's string value.
 */
export function nodejsFunctionBundling() {
  const o = LAMBDA_ESBUILD_OPTIONS;
  return {
    minify: o.minify,
    target: o.target,
    format: o.format,
    mainFields: [...o.mainFields],
    externalModules: [...o.external],
    define: { ...o.define },
    esbuildArgs: {
      ...Object.fromEntries(Object.entries(o.alias).map(([from, to]) => [`--alias:${from}`, to])),
      '--charset': o.charset,
    },
  };
}
