/**
 * The deployment configuration: context values are validated before anything is built, a mistake
 * names the key and shows a working example, and no context at all gives the documented defaults.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig as readRuntimeConfig } from '../../functions/runtime/config';
import { CONFIG_KEYS, ConfigError, parseConfig, runtimeEnvironment } from '../../lib/config';
import { createLeserpost } from '../../lib/leserpost';
import { newApp, widgetFixture } from './synth';

describe('deployment configuration from CDK context', () => {
  it('falls back to defaults that synthesise offline, and names the placeholders', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      allowedOrigins: ['https://blog.example'],
      authorEmail: 'autorin@blog.example',
      senderEmail: 'leserpost@blog.example',
      siteLang: 'de',
      moderation: 'first-time',
      browserGuards: true,
      privacyUrl: '',
    });
    expect(config.placeholders).toEqual(['allowedOrigins', 'authorEmail', 'senderEmail']);
  });

  it('normalises origins: case, trailing slash, duplicates, spaces, lists from cdk.json', () => {
    expect(
      parseConfig({
        allowedOrigins: ' https://Blog.Example/, https://blog.example,https://www.blog.example:8443',
      }).allowedOrigins,
    ).toEqual(['https://blog.example', 'https://www.blog.example:8443']);
    expect(
      parseConfig({ allowedOrigins: ['https://a.example', 'https://b.example'] }).allowedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    // A local blog may talk to a deployed API during development.
    expect(parseConfig({ allowedOrigins: 'http://localhost:3000' }).allowedOrigins).toEqual([
      'http://localhost:3000',
    ]);
  });

  it.each([
    ['http://blog.example', 'plain http'],
    ['https://blog.example/blog', 'a path'],
    ['https://*.blog.example', 'a wildcard'],
    ['*', 'a bare wildcard'],
    ['https://blog.example?x=1', 'a query'],
    [' , ', 'nothing'],
  ])('refuses %s as an origin (%s)', (origin) => {
    expect(() => parseConfig({ allowedOrigins: origin })).toThrow(
      /allowedOrigins: .*Example: -c allowedOrigins=/,
    );
  });

  it('accepts on/off and booleans for browserGuards, and an https privacy page', () => {
    expect(parseConfig({ browserGuards: 'off' }).browserGuards).toBe(false);
    expect(parseConfig({ browserGuards: false }).browserGuards).toBe(false);
    expect(parseConfig({ privacyUrl: 'https://blog.example/datenschutz' }).privacyUrl).toBe(
      'https://blog.example/datenschutz',
    );
  });

  it('lists every bad key in one message, each with an example', () => {
    let error: unknown;
    try {
      parseConfig({
        authorEmail: 'jana at blog',
        siteLang: 'fr',
        moderation: 'sometimes',
        browserGuards: 'yes',
        privacyUrl: 'http://blog.example/datenschutz',
        siteName: 'Blog\r\nBcc: x@y.example',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('authorEmail: "jana at blog" is not an email address');
    expect(message).toContain('siteLang: must be de or en. Example: -c siteLang=de');
    expect(message).toContain('moderation: must be all, first-time or none');
    expect(message).toContain('browserGuards: must be on or off');
    expect(message).toContain('privacyUrl: must be an https URL');
    expect(message).toContain('siteName: must not contain control characters');
    expect(message).not.toContain('senderEmail');
  });

  it('every key a Lambda reads reaches the runtime configuration it is documented for', () => {
    const config = parseConfig({
      allowedOrigins: 'https://herz.example',
      authorEmail: 'jana@herz.example',
      senderEmail: 'post@herz.example',
      siteName: 'Herz',
      siteLang: 'en',
      moderation: 'all',
      browserGuards: 'off',
      deskEmails: 'assistenz@herz.example, zweite@herz.example',
      timeZone: 'America/New_York',
    });
    // What the API stack puts into each Lambda's environment, read as the Lambda reads it.
    const runtime = readRuntimeConfig({ ...runtimeEnvironment(config), TABLE_NAME: 't' });
    expect(runtime).toMatchObject({
      allowedOrigins: ['https://herz.example'],
      authorEmail: 'jana@herz.example',
      senderEmail: 'post@herz.example',
      siteName: 'Herz',
      siteLang: 'en',
      moderation: 'all',
      browserGuards: false,
      deskEmails: ['assistenz@herz.example', 'zweite@herz.example'],
      timeZone: 'America/New_York',
    });
  });

  it('without a key, each Lambda runs with the README table’s default', () => {
    const runtime = (context: Record<string, string>) =>
      readRuntimeConfig({ ...runtimeEnvironment(parseConfig(context)), TABLE_NAME: 't' });
    const authorOnly = { authorEmail: 'jana@herz.example' };
    expect(runtime(authorOnly)).toMatchObject({
      senderEmail: 'jana@herz.example',
      siteName: 'Blog',
      siteLang: 'de',
      moderation: 'first-time',
      browserGuards: true,
      guards: { honeypot: true, fillTime: true, proofOfWork: true, content: true },
      deskEmails: [],
      timeZone: 'Europe/Berlin',
    });
    expect(runtime({ ...authorOnly, siteLang: 'en' }).timeZone).toBe('Europe/London');
  });

  it('takes exactly the context keys the README’s Configuration and Deploy tables document', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const sections = readme.slice(
      readme.indexOf('\n## Configuration\n'),
      readme.indexOf('\n## Mit WordPress\n'),
    );
    const documented = new Set(
      sections
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .flatMap((line) => line.split('|').slice(1, 3))
        .flatMap((cell) => /^`([a-z][A-Za-z]+)`$/.exec(cell.trim())?.[1] ?? []),
    );
    expect([...documented].sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('every environment variable the README’s Configuration names changes what the handlers read', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration\n'), readme.indexOf('\n## Deploy\n'));
    const named = new Set([...section.matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]!));
    const samples: Record<string, string> = {
      ALLOWED_ORIGINS: 'https://herz.example',
      AUTHOR_EMAIL: 'jana@herz.example',
      SENDER_EMAIL: 'post@herz.example',
      SITE_NAME: 'Herz',
      SITE_LANG: 'en',
      MODERATION: 'all',
      BROWSER_GUARDS: 'off',
      DESK_EMAILS: 'assistenz@herz.example',
      TIME_ZONE: 'America/New_York',
      DESK_URL: 'https://desk.herz.example/desk',
      GUARD_HONEYPOT: 'off',
      GUARD_FILL_TIME: 'off',
      GUARD_PROOF_OF_WORK: 'off',
      GUARD_CONTENT: 'off',
      POW_MAX_NUMBER: '5000',
      AKISMET_API_KEY: 'akismet-key',
    };
    expect(named.size).toBeGreaterThanOrEqual(Object.keys(samples).length);
    const base = { TABLE_NAME: 't', API_BASE_URL: 'https://api.herz.example' };
    const without = readRuntimeConfig(base);
    for (const name of named) {
      expect(samples[name] ?? `no sample for ${name}`).not.toMatch(/^no sample/);
      expect(readRuntimeConfig({ ...base, [name]: samples[name] })).not.toEqual(without);
    }
  });

  it('stops the app before any stack is built when the context is bad', () => {
    const app = newApp({ senderEmail: 'not-an-address' });
    expect(() => createLeserpost(app, { widgetDir: widgetFixture() })).toThrow(
      /Invalid Leserpost configuration \(CDK context\):\n {2}- senderEmail: "not-an-address" is not an email address/,
    );
    expect(app.node.children).toHaveLength(0);
  });
});
