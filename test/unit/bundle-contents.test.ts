/**
 * Which heavy libraries (and large modules of ours) each Lambda bundle may contain (built as deployed, lib/bundling.ts). Each
 * is pulled in by one import anywhere in a group's module graph, even if nothing calls it, so a
 * shared module that imports one (say, the markdown parser into store/comments.ts) silently adds
 * it to every group. The README's bundle sizes rest on these (see "What was trimmed").
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { HANDLER_ENTRIES, ROUTES, type RouteDefinition } from '../../functions/routes';
import { LAMBDA_ESBUILD_OPTIONS } from '../../lib/bundling';
import { NOTIFIER_ENTRY } from '../../lib/constructs/notifications';

const ROOT = join(__dirname, '../..');

const ENTRIES: Record<string, string> = { ...HANDLER_ENTRIES, notifier: NOTIFIER_ENTRY };

/** Library → the bundles that need it (all others must not contain a byte of it). */
const ALLOWED: Record<string, { pattern: RegExp; in: string[]; why: string }> = {
  'markdown-it': {
    pattern: /node_modules\/(markdown-it|mdurl|punycode\.js|linkify-it|uc\.micro|entities)\//,
    in: ['comments', 'wishes', 'notifier'],
    why: 'only groups that parse a text into its markdown tree (public comments, the wish feed, mails)',
  },
  hpke: {
    pattern: /node_modules\/@hpke\//,
    in: ['comments', 'wishes', 'readers', 'desk', 'notifier'],
    why: 'only groups that seal or open an address (runtime/email-keys.ts; readers seal the address of a "Meine Daten" request)',
  },
  mail: {
    pattern: /node_modules\/(nodemailer|@aws-sdk\/client-sesv2)\//,
    in: ['desk', 'notifier'],
    why: 'only groups that send mail themselves (the notifier; the desk its login link)',
  },
  webauthn: {
    pattern: /node_modules\/(@simplewebauthn|@peculiar|asn1js|tsyringe|reflect-metadata)\//,
    in: ['desk'],
    why: 'only the desk checks passkeys (about 350 KB with its certificate parsers)',
  },
  preact: {
    pattern: /node_modules\/preact(-render-to-string)?\//,
    in: [],
    why: 'every page renders through our own template layer (core/html-jsx), none with preact',
  },
  'page layer': {
    pattern: /functions\/core\/html-jsx\//,
    in: ['moderation', 'readers', 'desk'],
    why: 'only groups that answer HTML pages (moderation links, reader pages, the desk) render them',
  },
  'public page frame': {
    pattern: /functions\/core\/public-page/,
    in: ['moderation', 'readers'],
    why: 'only groups that answer public HTML pages (moderation links, reader pages) frame them',
  },
  'desk texts': {
    pattern: /functions\/core\/desk\/texts\.ts/,
    in: ['desk'],
    why: 'every desk text is for the desk; pages and mails elsewhere import the few they share',
  },
  'submission schemas': {
    pattern: /functions\/core\/schemas\.ts/,
    in: ['comments', 'wishes', 'readers', 'meta', 'desk'],
    why: 'the moderation links and the notifier read their few forms and the wish statuses from modules of their own (esbuild keeps every schema of schemas.ts that reads LIMITS)',
  },
  'route summaries': {
    pattern: /functions\/core\/route-summaries\.ts/,
    in: ['meta'],
    why: 'only the OpenAPI document reads them; each group bundles its own routes (below)',
  },
};

const inputs: Record<string, string[]> = {};
/** The minified code of each bundle. */
const code: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const result = await build({
      ...LAMBDA_ESBUILD_OPTIONS,
      mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
      external: [...LAMBDA_ESBUILD_OPTIONS.external],
      alias: { ...LAMBDA_ESBUILD_OPTIONS.alias },
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outfile: join(ROOT, 'unused.js'),
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    const output = Object.values(result.metafile.outputs)[0]!;
    inputs[name] = Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([path]) => path);
    code[name] = result.outputFiles[0]!.text;
  }
}, 180_000);

describe.each(Object.entries(ALLOWED))('%s', (_library, { pattern, in: allowed, why }) => {
  it.each(Object.keys(ENTRIES))(`is in the %s bundle only if it belongs there (${why})`, (name) => {
    const found = inputs[name]!.filter((path) => pattern.test(path));
    if (allowed.includes(name)) expect(found).not.toEqual([]);
    else expect(found).toEqual([]);
  });
});

/**
 * A route's entry in minified code: its path and operationId as neighbouring string literals (the
 * group in between, except in the desk's lists). Other code may name a path or an operationId
 * alone (a link to the desk's wishes, a token kind `confirm`), never the two together.
 */
function carriesRoute(bundle: string, route: RouteDefinition): boolean {
  const path = route.path.replace(/[{}]/g, '\\$&');
  return new RegExp(`"${path}",(?:"${route.group}",)?"${route.operationId}"`).test(bundle);
}

describe('the route list', () => {
  it.each(Object.keys(ENTRIES))(
    'is in the %s bundle with its own group’s routes only (meta: every route, for the 404 and 405 of the whole API)',
    (name) => {
      const carried = ROUTES.filter((route) => carriesRoute(code[name]!, route)).map((r) => r.operationId);
      const expected = ROUTES.filter((route) => name === 'meta' || route.group === name).map(
        (r) => r.operationId,
      );
      expect(carried).toEqual(expected);
    },
  );
});
