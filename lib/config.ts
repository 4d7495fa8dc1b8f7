/**
 * The deployment's configuration, read from CDK context (`-c key=value` or cdk.json) and validated
 * with valibot before any construct is built: a bad or missing value stops the synth with a message
 * that names the key, says what is expected and how to set it.
 *
 * Every key has a demo default, so `npx cdk synth` works offline on a fresh clone; the defaults use
 * the reserved `.example` domain, so a deploy with them is useless, and the app warns about each one.
 */
import * as v from 'valibot';

export type SiteLang = 'de' | 'en';
export type ModerationPolicy = 'all' | 'first-time' | 'none';

export interface LeserpostConfig {
  /** Origins (scheme://host[:port]) of the blog, lower-case, without a trailing slash. */
  allowedOrigins: string[];
  /** Receives the moderation mails and the operational alarms. */
  authorEmail: string;
  /** From address of every mail; defaults to authorEmail. */
  senderEmail: string;
  /** A domain to verify in SES (Easy DKIM) instead of the sender address alone; '' for none. */
  senderDomain: string;
  /** Custom MAIL FROM subdomain of senderDomain (e.g. mail.blog.example); '' for SES's own. */
  mailFromDomain: string;
  /** The SES identity exists already in the account: grant on it, do not create it. */
  useExistingIdentity: boolean;
  /** Name of this deployment when one account hosts several blogs; '' for the only one. */
  instance: string;
  siteName: string;
  siteLang: SiteLang;
  moderation: ModerationPolicy;
  browserGuards: boolean;
  /** The blog's privacy page, linked from the consent checkbox; '' for none. */
  privacyUrl: string;
  /** Further addresses that may log in to the desk, besides the author's. */
  deskEmails: string[];
  /** IANA time zone of dates in desk pages and mails; '' for the language's default. */
  timeZone: string;
  /** Keys left at a placeholder (.example) default: synth works, a deploy would be useless. */
  placeholders: ConfigKey[];
}

export const CONFIG_KEYS = [
  'allowedOrigins',
  'authorEmail',
  'senderEmail',
  'siteName',
  'siteLang',
  'moderation',
  'browserGuards',
  'privacyUrl',
  'senderDomain',
  'mailFromDomain',
  'useExistingIdentity',
  'instance',
  'deskEmails',
  'timeZone',
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/**
 * Defaults: the last four are real defaults for a German blog; the first three are placeholders on the
 * reserved .example domain that let `cdk synth` run offline with no context (the app warns about them).
 */
export const DEFAULTS: Record<ConfigKey, string> = {
  allowedOrigins: 'https://blog.example',
  authorEmail: 'autorin@blog.example',
  senderEmail: 'leserpost@blog.example',
  siteName: 'Blog',
  siteLang: 'de',
  moderation: 'first-time',
  browserGuards: 'on',
  privacyUrl: '',
  senderDomain: '',
  mailFromDomain: '',
  useExistingIdentity: 'false',
  instance: '',
  deskEmails: '',
  timeZone: '',
};

const PLACEHOLDERS: readonly ConfigKey[] = ['allowedOrigins', 'authorEmail', 'senderEmail'];

/** Example values for the error message, so the fix can be copied. */
const EXAMPLES: Record<ConfigKey, string> = {
  allowedOrigins: 'https://blog.example,https://www.blog.example',
  authorEmail: 'autorin@blog.example',
  senderEmail: 'leserpost@blog.example',
  siteName: '"Marketing mit Herz"',
  siteLang: 'de',
  moderation: 'first-time',
  browserGuards: 'on',
  privacyUrl: 'https://blog.example/datenschutz',
  senderDomain: 'blog.example',
  mailFromDomain: 'mail.blog.example',
  useExistingIdentity: 'true',
  instance: 'zweiterblog',
  deskEmails: 'assistenz@blog.example',
  timeZone: 'Europe/Berlin',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** One origin: https (http only for a local blog), nothing after the host and port. */
const Origin = v.pipe(
  v.string(),
  v.trim(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    let url: URL;
    try {
      url = new URL(dataset.value);
    } catch {
      addIssue({ message: `"${dataset.value}" is not a URL` });
      return NEVER;
    }
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
    const bare =
      !url.username &&
      !url.password &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !url.hostname.includes('*');
    if (!secure || !bare) {
      addIssue({
        message: `"${dataset.value}" is not an origin like https://blog.example (https, no path, no wildcard)`,
      });
      return NEVER;
    }
    return url.origin;
  }),
);

const Origins = v.pipe(
  v.union([v.string(), v.array(v.string())], 'must be a comma-separated list of origins'),
  v.transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((origin) => origin.trim()).filter(Boolean),
  ),
  v.minLength(1, 'needs at least one origin'),
  v.array(Origin),
  v.transform((origins) => [...new Set(origins)]),
);

const Email = v.pipe(
  v.string('must be an email address'),
  v.trim(),
  v.maxLength(254, 'is longer than an email address can be'),
  v.email((issue) => `"${issue.input}" is not an email address`),
);

const SiteName = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(100, 'must be at most 100 characters'),
  // It reaches mail subjects and pages: no control characters.
  v.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
);

const OnOff = v.pipe(
  v.union([v.picklist(['on', 'off']), v.boolean()], 'must be on or off'),
  v.transform((value) => value === true || value === 'on'),
);

const PrivacyUrl = v.union(
  [
    v.literal(''),
    v.pipe(
      v.string(),
      v.trim(),
      v.url((issue) => `"${issue.input}" is not a URL`),
      v.startsWith('https://', 'must be an https URL'),
    ),
  ],
  (issue) => `"${String(issue.input)}" is not an https URL (or empty for none)`,
);

/** A DNS name (lower-case, at least two labels), as SES takes it for a domain identity. */
const Domain = v.union(
  [
    v.literal(''),
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.maxLength(253),
      v.regex(
        /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
        (issue) => `"${String(issue.input)}" is not a domain like blog.example (or empty for none)`,
      ),
    ),
  ],
  (issue) => `"${String(issue.input)}" is not a domain like blog.example (or empty for none)`,
);

const TrueFalse = v.pipe(
  v.union([v.picklist(['true', 'false']), v.boolean()], 'must be true or false'),
  v.transform((value) => value === true || value === 'true'),
);

const instanceMessage = (issue: { input: unknown }) =>
  `"${String(issue.input)}" is not an instance name (letters and digits, starting with a letter, at most 20)`;

/** Becomes part of stack and resource names: letters and digits, starting with a letter. */
const Instance = v.union(
  [v.literal(''), v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, instanceMessage))],
  instanceMessage,
);

const DeskEmails = v.pipe(
  v.union([v.string(), v.array(v.string())], 'must be a comma-separated list of email addresses'),
  v.transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((email) => email.trim()).filter(Boolean),
  ),
  v.array(Email),
);

const TimeZone = v.pipe(
  v.string('must be a time zone name'),
  v.trim(),
  v.check(
    (zone) => {
      if (zone === '') return true;
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    (issue) => `"${String(issue.input)}" is not a time zone like Europe/Berlin`,
  ),
);

const SCHEMAS = {
  allowedOrigins: Origins,
  authorEmail: Email,
  senderEmail: Email,
  siteName: SiteName,
  siteLang: v.picklist(['de', 'en'], 'must be de or en'),
  moderation: v.picklist(['all', 'first-time', 'none'], 'must be all, first-time or none'),
  browserGuards: OnOff,
  privacyUrl: PrivacyUrl,
  senderDomain: Domain,
  mailFromDomain: Domain,
  useExistingIdentity: TrueFalse,
  instance: Instance,
  deskEmails: DeskEmails,
  timeZone: TimeZone,
} satisfies Record<ConfigKey, v.GenericSchema>;

/**
 * Validates raw context values (strings from `-c`, or JSON values from cdk.json). Keys that are
 * undefined or '' take their default.
 */
export function parseConfig(raw: Partial<Record<ConfigKey, unknown>>): LeserpostConfig {
  const problems: string[] = [];
  const placeholders: ConfigKey[] = [];
  const values: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    let input = raw[key];
    if (isBlank(input)) {
      // The sender is the author unless set (taken after the loop, validated once, as authorEmail).
      if (key === 'senderEmail' && !isBlank(raw.authorEmail)) continue;
      input = DEFAULTS[key];
      if (PLACEHOLDERS.includes(key)) placeholders.push(key);
    }
    const result = v.safeParse(SCHEMAS[key], input);
    if (result.success) {
      values[key] = result.output;
    } else {
      const message = [...new Set(result.issues.map((issue) => issue.message))].join('; ');
      problems.push(`  - ${key}: ${message}. Example: -c ${key}=${EXAMPLES[key]}`);
    }
  }
  values.senderEmail ??= values.authorEmail;
  problems.push(
    ...sesProblems(values as Pick<LeserpostConfig, 'senderEmail' | 'senderDomain' | 'mailFromDomain'>),
  );
  if (problems.length > 0) {
    throw new ConfigError(`Invalid Leserpost configuration (CDK context):\n${problems.join('\n')}`);
  }
  return { ...(values as Omit<LeserpostConfig, 'placeholders'>), placeholders };
}

const isBlank = (value: unknown) => value === undefined || value === '';

/** How the SES keys fit together; each problem names its key. */
function sesProblems(
  values: Pick<LeserpostConfig, 'senderEmail' | 'senderDomain' | 'mailFromDomain'>,
): string[] {
  const { senderEmail, senderDomain, mailFromDomain } = values;
  const problems: string[] = [];
  if (typeof senderEmail !== 'string') return problems;
  const senderHost = senderEmail.slice(senderEmail.lastIndexOf('@') + 1).toLowerCase();
  if (senderDomain && senderHost !== senderDomain) {
    problems.push(
      `  - senderDomain: the sender address ${senderEmail} is not on ${senderDomain}; SES sends only from ` +
        `addresses of a verified domain. Example: -c senderEmail=leserpost@${senderDomain}`,
    );
  }
  if (mailFromDomain && !senderDomain) {
    problems.push(
      `  - mailFromDomain: needs senderDomain (a custom MAIL FROM belongs to a domain identity). Example: -c senderDomain=${senderHost}`,
    );
  } else if (mailFromDomain && !mailFromDomain.endsWith(`.${senderDomain}`)) {
    problems.push(
      `  - mailFromDomain: must be a subdomain of ${senderDomain}. Example: -c mailFromDomain=mail.${senderDomain}`,
    );
  }
  return problems;
}

/**
 * Stack ids and account-global names (CloudFront policies, OAC, alarms, parameters) of one
 * instance: `Leserpost` plus the instance name, so two blogs can live side by side in one account.
 */
export function namePrefix(config: Pick<LeserpostConfig, 'instance'>): string {
  return `Leserpost${config.instance ? config.instance.charAt(0).toUpperCase() + config.instance.slice(1) : ''}`;
}

/** Reads the configuration keys from a construct's context (app context, cdk.json, `-c`). */
export function readConfig(node: { tryGetContext(key: string): unknown }): LeserpostConfig {
  return parseConfig(Object.fromEntries(CONFIG_KEYS.map((key) => [key, node.tryGetContext(key)])));
}

/**
 * The environment every Lambda reads in functions/runtime/config.ts. The privacy page is not among
 * them: only the widget links it, from the embed snippet's data-privacy-url.
 */
export function runtimeEnvironment(config: LeserpostConfig): Record<string, string> {
  return {
    ALLOWED_ORIGINS: config.allowedOrigins.join(','),
    SITE_NAME: config.siteName,
    SITE_LANG: config.siteLang,
    AUTHOR_EMAIL: config.authorEmail,
    SENDER_EMAIL: config.senderEmail,
    MODERATION: config.moderation,
    BROWSER_GUARDS: config.browserGuards ? 'on' : 'off',
    DESK_EMAILS: config.deskEmails.join(','),
    TIME_ZONE: config.timeZone,
  };
}
