/**
 * The zip the author uploads, and the plugin's PHP and German texts — checked without WordPress.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { buildWordPressZip, crc32, PLUGIN_DIR, parsePo } from '../../wordpress/build';
import { describeWithWordPress } from './support';

/** The files of a zip, read from its central directory, as an unzip program would. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const [size, nameLength, extra, comment] = [24, 28, 30, 32].map((o) =>
      o === 24 ? zip.readUInt32LE(at + o) : zip.readUInt16LE(at + o),
    );
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength!);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const content = inflateRawSync(zip.subarray(dataStart, dataStart + zip.readUInt32LE(at + 20)));
    expect(content.length).toBe(size);
    expect(crc32(content)).toBe(zip.readUInt32LE(at + 16));
    files.set(name, content);
    at += 46 + nameLength! + extra! + comment!;
  }
  return files;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
  );
}

const ROOT = join(__dirname, '../..');
const PHP_FILES = [...walk(PLUGIN_DIR), ...walk(__dirname)].filter((file) => file.endsWith('.php'));

/** Every text the plugin passes through WordPress's translation functions. */
function pluginTexts(): Set<string> {
  const texts = new Set<string>();
  for (const file of PHP_FILES.filter((f) => f.startsWith(PLUGIN_DIR))) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'([^']*)'/g,
    )) {
      expect(match[2]).toBe('leserpost');
      texts.add(match[1]!.replace(/\\'/g, "'"));
    }
  }
  return texts;
}

describe('the WordPress plugin zip', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leserpost-zip-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds every plugin file under the folder leserpost/, byte for byte, and the compiled German', () => {
    const files = unzip(readFileSync(buildWordPressZip(join(dir, 'plugin.zip'))));
    for (const file of walk(PLUGIN_DIR)) {
      const inZip = `leserpost/${file.slice(PLUGIN_DIR.length + 1)}`;
      expect(files.get(inZip)?.equals(readFileSync(file))).toBe(true);
    }
    expect([...files.keys()].every((name) => name.startsWith('leserpost/'))).toBe(true);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['leserpost/leserpost.php', 'leserpost/readme.txt', 'leserpost/uninstall.php']),
    );
    const mo = files.get('leserpost/languages/leserpost-de_DE.mo')!;
    expect(mo.readUInt32LE(0)).toBe(0x950412de);
    expect(mo.toString('utf8')).toContain('Zum Kommentieren bitte JavaScript einschalten.');
  });

  it('has a German text for every text of the plugin', () => {
    const german = parsePo(readFileSync(join(PLUGIN_DIR, 'languages/leserpost-de_DE.po'), 'utf8'));
    const texts = pluginTexts();
    expect(texts.size).toBeGreaterThan(20);
    const missing = [...texts].filter((text) => !german.get(text));
    expect(missing).toEqual([]);
  });

  it('reads readme.txt as WordPress does: name, stable tag and version match the plugin header', () => {
    const readme = readFileSync(join(PLUGIN_DIR, 'readme.txt'), 'utf8');
    const header = readFileSync(join(PLUGIN_DIR, 'leserpost.php'), 'utf8');
    expect(readme).toMatch(/^=== Leserpost ===/);
    const version = /Version:\s+(\S+)/.exec(header)![1];
    expect(readme).toContain(`Stable tag: ${version}`);
    for (const section of ['== Description ==', '== Installation ==', '== Changelog =='])
      expect(readme).toContain(section);
  });
});

/**
 * WordPress's coding standard (WPCS) is not packaged for Debian, so its output-escaping rule runs
 * here in small: every `echo` prints an escaping function's result, a choice between two literal
 * strings, or says with a phpcs:ignore why its value is escaped already.
 */
it('escapes everything the plugin echoes', () => {
  const unescaped = PHP_FILES.filter((file) => file.startsWith(PLUGIN_DIR)).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line) => [...line.matchAll(/\becho\s+([^;]*);([^\n]*)/g)].map((m) => ({ file, line, m })))
      .filter(
        ({ m }) =>
          !/^esc_(html|attr|url)\(/.test(m[1]!) &&
          !/^\$\w+(\['\w+'\])? \? '[\w-]*' : '[\w-]*'$/.test(m[1]!.trim()) &&
          !/phpcs:ignore WordPress\.Security\.EscapeOutput\.OutputNotEscaped -- \S/.test(m[2]!),
      )
      .map(({ file, line }) => `${relative(ROOT, file)}: ${line.trim()}`),
  );
  expect(unescaped).toEqual([]);
});

describeWithWordPress('the plugin PHP', () => {
  it("passes the coding checks of wordpress/phpcs.xml (Debian's PHP_CodeSniffer)", () => {
    const run = spawnSync('phpcs', [`--standard=${join(ROOT, 'wordpress/phpcs.xml')}`, '--report=emacs'], {
      cwd: join(ROOT, 'wordpress'),
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.each(PHP_FILES.map((file) => [relative(ROOT, file)]))('passes php -l: %s', (file) => {
    expect(execFileSync('php', ['-l', join(ROOT, file)], { encoding: 'utf8' })).toContain('No syntax errors');
  });
});
