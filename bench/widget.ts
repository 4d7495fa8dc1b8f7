/**
 * What a blog page downloads for Leserpost: the widget's files (JS; the CSS is inlined into it),
 * raw, gzip (level 9) and brotli, built into a temporary folder with the widget's own build; then
 * per moment a reader waits for: on a post, everything before the first comment is visible (the
 * main script), then until the form is usable (plus the form chunk, one more request); on the
 * wishes page, until the board is visible (main script + wish chunk).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ROOT } from './dynamo-env';
import { atMost, kb, progress, type Row } from './report';

/** Everything a post's page loads before the first comment is visible. */
export const WIDGET_GOAL_GZIP_BYTES = 6_000;
/** The wishes page until the board is visible. */
export const WISHES_GOAL_GZIP_BYTES = 8_000;

export interface FileWeight {
  file: string;
  kind: 'js' | 'css' | 'other';
  raw: number;
  gzip: number;
  brotli: number;
}

export function weigh(file: string): FileWeight {
  const contents = readFileSync(file);
  const extension = extname(file);
  return {
    file: basename(file),
    kind: extension === '.js' || extension === '.mjs' ? 'js' : extension === '.css' ? 'css' : 'other',
    raw: contents.length,
    gzip: gzipSync(contents, { level: 9 }).length,
    brotli: brotliCompressSync(contents, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: contents.length },
    }).length,
  };
}

/** The wish board chunk, imported only where a `<leserpost-wishes>` element is placed. */
const isWishChunk = (w: FileWeight) => w.file.startsWith('leserpost-wishes');
/** The form chunk, imported after the comments (or the board) are visible. */
const isFormChunk = (w: FileWeight) => w.file.startsWith('leserpost-form');
/** The compliments chunk, imported only where a `<leserpost-compliments>` element is placed. */
const isComplimentChunk = (w: FileWeight) => w.file.startsWith('leserpost-compliments');
/** The wish credit's chunk, imported only on an article with a `<leserpost-wish-credit>` element. */
const isCreditChunk = (w: FileWeight) => w.file.startsWith('leserpost-credit');
const isChunk = (w: FileWeight) =>
  isWishChunk(w) || isFormChunk(w) || isComplimentChunk(w) || isCreditChunk(w);
/** Content hashes in names change with every build; the table names the file, not the build. */
const nameOf = (w: FileWeight) => w.file.replace(/\.[0-9a-f]{8,}\./, '.<hash>.');

export async function benchWidget(): Promise<{ rows: Row[]; files: FileWeight[] }> {
  const buildFile = join(ROOT, 'widget/build.ts');
  const goal = `≤ ${kb(WIDGET_GOAL_GZIP_BYTES)} gzip before the first comment`;
  if (!existsSync(buildFile)) {
    return {
      rows: [
        {
          section: 'widget',
          figure: 'Widget weight',
          measured: 'not built yet',
          goal,
          verdict: 'not measured',
        },
      ],
      files: [],
    };
  }
  progress('widget: building');
  const outDir = mkdtempSync(join(tmpdir(), 'leserpost-bench-widget-'));
  try {
    const { buildWidget } = (await import(buildFile)) as {
      buildWidget: (outDir: string) => Promise<{ files: string[] }>;
    };
    const { files } = await buildWidget(outDir);
    // The main script first: it is what every page loads.
    const weights = files.map(weigh).sort((a, b) => Number(isChunk(a)) - Number(isChunk(b)));
    const rows: Row[] = weights.map((w) => ({
      section: 'widget',
      figure: `Widget file \`${nameOf(w)}\` (raw / gzip / brotli)`,
      measured: `${kb(w.raw)} / ${kb(w.gzip)} / ${kb(w.brotli)}`,
      goal: 'part of a page',
      verdict: 'info',
    }));
    const css = weights.some((w) => w.kind === 'css') ? '' : ', CSS inlined in the JS';
    const pages = [
      [
        'post, before the first comment is visible',
        weights.filter((w) => !isChunk(w)),
        WIDGET_GOAL_GZIP_BYTES,
      ],
      [
        'post, until the form is usable',
        weights.filter((w) => !isChunk(w) || isFormChunk(w)),
        'the form chunk',
      ],
      [
        'wishes page, before the board is visible',
        weights.filter((w) => !isChunk(w) || isWishChunk(w)),
        WISHES_GOAL_GZIP_BYTES,
      ],
      [
        'compliments page, before they are visible',
        weights.filter((w) => !isChunk(w) || isComplimentChunk(w)),
        'the compliments chunk',
      ],
      [
        'article that fulfilled a wish, before the credit is visible',
        weights.filter((w) => !isChunk(w) || isCreditChunk(w)),
        'the credit chunk',
      ],
    ] as const;
    for (const [page, loaded, limit] of pages) {
      const total = (key: 'raw' | 'gzip' | 'brotli') => loaded.reduce((sum, w) => sum + w[key], 0);
      rows.push({
        section: 'widget',
        figure: `Widget, ${page}: ${loaded.map(nameOf).join(' + ')}${css}, gzip; raw / brotli for information`,
        measured: `${kb(total('gzip'))} in ${loaded.length} file${loaded.length > 1 ? 's' : ''} (raw ${kb(total('raw'))}, brotli ${kb(total('brotli'))})`,
        goal: typeof limit === 'number' ? `≤ ${kb(limit)} gzip all-in` : `one more small request (${limit})`,
        verdict:
          typeof limit === 'number'
            ? atMost(total('gzip'), limit, kb)
            : loaded.length === 2
              ? 'met'
              : 'missed',
      });
    }
    return { rows, files: weights };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
