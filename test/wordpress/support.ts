/**
 * A real WordPress for the plugin's tests: Debian's `wordpress` package served by PHP's built-in
 * web server, on a throwaway MariaDB (its own data folder and socket, no grant tables, no network),
 * the plugin installed from the zip `npm run build:wordpress` makes. Nothing touches system
 * services or /etc; stop() ends both processes and removes the folder.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const WORDPRESS_DIR = process.env.WORDPRESS_DIR ?? '/usr/share/wordpress';
const MARIADBD = process.env.MARIADBD_PATH ?? '/usr/sbin/mariadbd';
const PHPCS = '/usr/bin/phpcs';
const HERE = __dirname;

/** What this machine lacks for the WordPress tests (Debian: wordpress, php-cli, php-mysql, mariadb-server). */
export function wordpressMissing(): string[] {
  const missing: string[] = [];
  if (!existsSync(join(WORDPRESS_DIR, 'wp-load.php'))) missing.push(`WordPress at ${WORDPRESS_DIR}`);
  // The block theme test needs one (Debian: wordpress-theme-twentytwentythree).
  else if (!existsSync(join(WORDPRESS_DIR, 'wp-content/themes/twentytwentythree')))
    missing.push('the block theme Twenty Twenty-Three');
  if (!existsSync(MARIADBD)) missing.push(`MariaDB at ${MARIADBD}`);
  if (!existsSync(PHPCS)) missing.push('PHP_CodeSniffer (php-codesniffer)');
  try {
    const modules = execFileSync('php', ['-m'], { encoding: 'utf8' });
    if (!/^mysqli$/m.test(modules)) missing.push("PHP's mysqli (php-mysql)");
  } catch {
    missing.push('php (php-cli)');
  }
  return missing;
}

/**
 * Like the browser tests: without PHP, MariaDB or WordPress the tests skip with a loud notice;
 * with CI=true a missing piece fails the run instead.
 */
export function describeWithWordPress(name: string, body: () => void): void {
  const missing = wordpressMissing();
  if (missing.length === 0) {
    jest.setTimeout(120_000);
    describe(name, body);
    return;
  }
  if (process.env.CI && process.env.CI !== 'false') {
    describe(name, () => {
      it('needs PHP, MariaDB and WordPress', () => {
        throw new Error(`CI is set but this machine lacks ${missing.join(', ')} (see .ci/run).`);
      });
    });
    return;
  }
  console.warn(
    `\n${'!'.repeat(72)}\n!! SKIPPED WordPress tests "${name}": no ${missing.join(', ')}.\n` +
      `!! apt-get install wordpress wordpress-theme-twentytwentythree php-cli php-mysql php-codesniffer mariadb-server. CI=true turns this into a failure.\n${'!'.repeat(72)}\n`,
  );
  describe.skip(name, body);
}

export interface WordPress {
  /** http://127.0.0.1:PORT — the blog's origin and home. */
  url: string;
  /** Runs PHP with WordPress loaded (admin includes too); returns what it printed. */
  php: (code: string) => string;
  /** PHP warnings and notices WordPress logged (WP_DEBUG_LOG). */
  debugLog: () => string;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startWordPress(options: {
  port: number;
  zip: string;
  locale?: string;
}): Promise<WordPress> {
  const dir = mkdtempSync(join(tmpdir(), 'leserpost-wp-'));
  const processes: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map(ended));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const socket = join(dir, 'mysql.sock');
    processes.push(await startMariaDb(dir, socket));
    const root = wordpressTree(dir, socket, options.port);
    const host = `127.0.0.1:${options.port}`;
    const php = (code: string): string =>
      execFileSync('php', [join(HERE, 'wp-run.php'), root, host], {
        input: `${code}\n`,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    execFileSync('php', ['-r', createDatabase(socket)]);
    // Installed as a German blog, the plugin unpacked from the zip as "Upload plugin" would.
    php(`
      wp_install('Marketing mit Herz', 'jana', 'jana@example.org', true, '', 'leserpost-test', ${phpString(options.locale ?? 'de_DE')});
      update_option('permalink_structure', '/%postname%/');
      // A classic theme to start with (Debian's block theme, when installed, would be WordPress's
      // default); the block theme has its own test.
      switch_theme('twentytwentyone');
      WP_Filesystem();
      $unzipped = unzip_file(${phpString(options.zip)}, WP_PLUGIN_DIR);
      if (is_wp_error($unzipped)) { fwrite(STDERR, $unzipped->get_error_message()); exit(1); }
      $activated = activate_plugin('leserpost/leserpost.php');
      if (is_wp_error($activated)) { fwrite(STDERR, $activated->get_error_message()); exit(1); }
    `);
    processes.push(await startPhpServer(root, options.port));
    return {
      url: `http://${host}`,
      php,
      debugLog: () => {
        const log = join(dir, 'debug.log');
        return existsSync(log) ? execFileSync('cat', [log], { encoding: 'utf8' }) : '';
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function phpString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function startMariaDb(dir: string, socket: string): Promise<ChildProcess> {
  const data = join(dir, 'db');
  mkdirSync(data);
  const child = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'mysql.pid')}`,
      '--skip-networking',
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      `--user=${userInfo().username}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let log = '';
  child.stderr!.on('data', (chunk) => {
    log += chunk;
  });
  await waitFor(
    () => /ready for connections/.test(log),
    () => `MariaDB did not start:\n${log}`,
    child,
  );
  return child;
}

function createDatabase(socket: string): string {
  return `$db = new mysqli('localhost', 'root', '', '', 0, ${phpString(socket)});
    $db->query('CREATE DATABASE wordpress CHARACTER SET utf8mb4');`;
}

/**
 * ROOT: every entry of Debian's WordPress as a symlink, but our own wp-config.php and wp-content
 * (Debian's themes and languages linked in, an empty plugins folder for the zip).
 */
function wordpressTree(dir: string, socket: string, port: number): string {
  const root = join(dir, 'wordpress');
  const content = join(root, 'wp-content');
  mkdirSync(join(content, 'plugins'), { recursive: true });
  mkdirSync(join(content, 'uploads'));
  for (const entry of readdirSync(WORDPRESS_DIR)) {
    if (entry !== 'wp-config.php' && entry !== 'wp-content')
      symlinkSync(join(WORDPRESS_DIR, entry), join(root, entry));
  }
  for (const entry of ['themes', 'languages'])
    symlinkSync(join(WORDPRESS_DIR, 'wp-content', entry), join(content, entry));
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(root, 'wp-config.php'),
    `<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', ${phpString(`localhost:${socket}`)});
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', '${url}');
define('WP_SITEURL', '${url}');
define('WP_CONTENT_DIR', ${phpString(content)});
define('WP_CONTENT_URL', '${url}/wp-content');
define('FS_METHOD', 'direct');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_ACCESSIBLE_HOSTS', 'localhost,127.0.0.1');
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', ${phpString(join(dir, 'debug.log'))});
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
`,
  );
  return root;
}

async function startPhpServer(root: string, port: number): Promise<ChildProcess> {
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root, join(HERE, 'router.php')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: stopping it ends the server's worker processes too.
    detached: true,
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
  });
  let log = '';
  child.stderr!.on('data', (chunk) => {
    log += chunk;
  });
  await waitFor(
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/wp-login.php`)).ok;
      } catch {
        return false;
      }
    },
    () => `PHP's web server did not answer:\n${log}`,
    child,
  );
  return child;
}

async function waitFor(
  ready: () => boolean | Promise<boolean>,
  failure: () => string,
  child: ChildProcess,
): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) break;
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signal(child, 'SIGKILL');
  throw new Error(failure());
}

/** SIGTERM, and SIGKILL if it lingers; resolves when the process is gone. */
function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signal(child, 'SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signal(child, 'SIGTERM');
  });
}

/** To the child's whole process group (it was spawned detached, as the group's leader). */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name);
  } catch {
    child.kill(name);
  }
}
