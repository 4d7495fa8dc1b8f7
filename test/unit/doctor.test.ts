/**
 * `npm run admin -- doctor` against the real SDK clients with recorded AWS answers (shapes from
 * the API references, test/fixtures/aws/SOURCES.md) and a local HTTP server standing in for the
 * widget's CloudFront URL and the API's CORS preflight. Each check says what it found and, when
 * something is open, what to do next, in German or English.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { DEFAULT_STACK, formatReport, reportLang, runDoctor } from '../../bin/doctor';
import { API_STACK_ID } from '../../lib/leserpost';
import { fixture, RECORDED_CREDENTIALS, type RecordedAnswer, recordedHandler } from '../support/recorded-aws';

const BLOG = 'https://marketing-mit-herz.example';
const DOMAIN = 'marketing-mit-herz.example';

let server: Server;
let base: string;
const preflights: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  // The widget file and the API's answer to a CORS preflight, as CloudFront and API Gateway give them.
  server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/leserpost.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end('/* widget */');
    } else if (request.method === 'OPTIONS' && request.url === '/api/comments') {
      preflights.push(request.headers);
      const allowed = request.headers.origin === BLOG;
      response
        .writeHead(
          204,
          allowed ? { 'access-control-allow-origin': BLOG, 'access-control-allow-methods': 'GET,POST' } : {},
        )
        .end();
    } else response.writeHead(404, { 'content-type': 'application/xml' }).end('<Error>NoSuchKey</Error>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Scenario {
  stack?: RecordedAnswer;
  /** Answers for other stacks by name (the data stack); the rest get `stack`. */
  otherStacks?: Record<string, RecordedAnswer>;
  identities?: string;
  identity?: Record<string, RecordedAnswer>;
  account?: string;
  subscriptions?: string;
  widgetPath?: string;
  origins?: string;
  lang?: string;
}

function clientsFor(scenario: Scenario) {
  const stack = scenario.stack ?? {
    body: fixture('cloudformation-describe-stacks.xml', {
      API_URL: `${base}/api/`,
      WIDGET_URL: `${base}${scenario.widgetPath ?? '/leserpost.js'}`,
      IDENTITIES: scenario.identities ?? DOMAIN,
      ORIGINS: scenario.origins ?? `${BLOG},https://www.${DOMAIN}`,
      LANG: scenario.lang ?? 'de',
    }),
  };
  const handler = recordedHandler((request) => {
    if (request.operation === 'DescribeStacks') {
      const name = decodeURIComponent(/(?:^|&)StackName=([^&]*)/.exec(request.body)?.[1] ?? '');
      return scenario.otherStacks?.[name] ?? stack;
    }
    if (request.operation === 'ListSubscriptionsByTopic')
      return { body: fixture(scenario.subscriptions ?? 'sns-subscriptions-confirmed.xml') };
    if (request.operation === 'GET /v2/email/account')
      return { body: fixture(scenario.account ?? 'ses-account-production.json') };
    const identity = /^GET \/v2\/email\/identities\/(.+)$/.exec(request.operation)?.[1];
    if (identity)
      return (
        scenario.identity?.[decodeURIComponent(identity)] ?? {
          body: fixture('ses-identity-domain-verified.json'),
        }
      );
    return undefined;
  });
  const common = { region: 'eu-central-1', credentials: RECORDED_CREDENTIALS, requestHandler: handler };
  return {
    handler,
    clients: {
      cloudFormation: new CloudFormationClient(common),
      ses: new SESv2Client(common),
      sns: new SNSClient(common),
    },
  };
}

async function report(scenario: Scenario, lang: 'de' | 'en' = 'en') {
  return reportFor(DEFAULT_STACK, scenario, lang);
}

async function reportFor(stackName: string, scenario: Scenario, lang: 'de' | 'en' = 'en') {
  const { clients, handler } = clientsFor(scenario);
  const { checks, lang: siteLang } = await runDoctor(stackName, clients);
  return { checks, siteLang, text: formatReport(checks, lang), seen: handler.seen };
}

it('looks up the default API stack', () => {
  expect(DEFAULT_STACK).toBe(API_STACK_ID);
});

it('says all is set when SES, the alarm subscription, the widget and CORS are ready', async () => {
  const { checks, text, seen } = await report({});
  expect(checks.every((check) => check.ok)).toBe(true);
  expect(text).toContain(`✓ ${DOMAIN}: verified with SES.`);
  expect(text).toContain(`✓ ${DOMAIN}: DKIM active.`);
  expect(text).toContain('✓ MAIL FROM mail.marketing-mit-herz.example active.');
  expect(text).toContain('✓ SES: production access');
  expect(text).toContain('✓ Alarms: subscription confirmed.');
  expect(text).toContain(`✓ Widget answers: ${base}/leserpost.js`);
  expect(text).toContain(`✓ The API allows requests from ${BLOG}.`);
  expect(text).toMatch(/All set: comments and mail work\.\n$/);
  // It asked AWS about this stack and this identity.
  expect(seen.find((r) => r.operation === 'DescribeStacks')!.body).toContain('StackName=LeserpostApi');
  expect(seen.map((r) => r.operation)).toContain(`GET /v2/email/identities/${DOMAIN}`);
  // The preflight is the one a browser sends for the widget's POST.
  expect(preflights.at(-1)).toMatchObject({
    origin: BLOG,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  });
});

it('reports in the site’s language; LESERPOST_LANG overrides it (README, Deploy step 7)', async () => {
  const { siteLang } = await report({ lang: 'en' });
  expect(siteLang).toBe('en');
  // Her machine's LANG is German, the blog is English: the blog's language.
  expect(reportLang(siteLang, 'de', { LANG: 'de_DE.UTF-8' })).toBe('en');
  expect(reportLang(siteLang, 'de', { LESERPOST_LANG: 'de' })).toBe('de');
  // A stack without the output: the command line's own language.
  expect(reportLang(undefined, 'de', {})).toBe('de');
});

it('right after a first deploy: lists each open item with the next step, in German', async () => {
  const { checks, siteLang, text } = await report(
    {
      identity: { [DOMAIN]: { body: fixture('ses-identity-domain-pending.json') } },
      account: 'ses-account-sandbox.json',
      subscriptions: 'sns-subscriptions-pending.xml',
      widgetPath: '/noch-nicht-da.js',
      origins: `https://www.${DOMAIN}`,
    },
    'de',
  );
  expect(siteLang).toBe('de');
  expect(checks.filter((check) => !check.ok)).toHaveLength(7);
  expect(text).toContain(
    `✗ ${DOMAIN}: noch nicht bei SES bestätigt.\n    → Die drei DKIM-CNAME-Einträge (Ausgaben DkimRecord1–3)`,
  );
  expect(text).toContain(`✗ ${DOMAIN}: DKIM-Status PENDING.`);
  expect(text).toContain(
    'Den MX- und den SPF-Eintrag (Ausgaben MailFromMxRecord, MailFromSpfRecord) anlegen',
  );
  expect(text).toContain('✗ SES-Sandbox: Mails gehen nur an bestätigte Adressen.');
  expect(text).toContain('„Request production access“');
  expect(text).toContain('✗ Warnmeldungen: Abo noch nicht bestätigt.\n    → Den Link „Confirm subscription“');
  expect(text).toContain('jana@marketing-mit-herz.example');
  expect(text).toContain('✗ Widget nicht erreichbar (HTTP 404');
  expect(text).toContain(
    `✗ API erlaubt https://www.${DOMAIN} nicht (HTTP 204).\n    → Die Adresse des Blogs genau so angeben`,
  );
  expect(text).toMatch(/7 Punkt\(e\) offen\. Danach erneut: npm run admin -- doctor\n$/);
});

it('asks to click the verification link of an address identity', async () => {
  const author = 'jana@marketing-mit-herz.example';
  const { text } = await report({
    identities: `${DOMAIN},${author}`,
    identity: { [author]: { body: fixture('ses-identity-email-pending.json') } },
  });
  expect(text).toContain(
    `✗ ${author}: not verified with SES yet.\n    → Click the verification link in the mail from Amazon Web Services to ${author}`,
  );
  expect(text).not.toContain(`${author}: DKIM`);
});

it('says when an identity to be used does not exist', async () => {
  const { text } = await report({
    identity: {
      [DOMAIN]: {
        status: 404,
        headers: {
          'x-amzn-errortype': 'NotFoundException:http://internal.amazon.com/coral/com.amazonaws.sesv2/',
        },
        body: fixture('ses-identity-not-found.json', { NAME: DOMAIN }),
      },
    },
  });
  expect(text).toContain(
    `✗ The SES identity ${DOMAIN} does not exist.\n    → Deploy without -c useExistingIdentity=true`,
  );
});

it('says to deploy first when the stack is not there', async () => {
  const { checks, text } = await report({
    stack: { status: 400, body: fixture('cloudformation-stack-missing.xml') },
  });
  expect(checks).toHaveLength(1);
  expect(text).toContain(
    '✗ There is no stack LeserpostApi in this region.\n    → Run `npx cdk deploy --all` first',
  );
});

describe('a failed first deploy (ROLLBACK_COMPLETE)', () => {
  const missing = { status: 400, body: fixture('cloudformation-stack-missing.xml') };
  const rolledBack = (name: string, protectedStack: boolean) => ({
    body: fixture('cloudformation-stack-rolled-back.xml', { NAME: name, PROTECTED: String(protectedStack) }),
  });

  it('says the API stack must be deleted before the next deploy, and how', async () => {
    const { checks, text, seen } = await report({ stack: rolledBack('LeserpostApi', false) });
    expect(checks).toHaveLength(1);
    expect(text).toContain(
      '✗ The stack LeserpostApi failed on its first deploy and was rolled back (ROLLBACK_COMPLETE): it cannot be deployed again until it is deleted.',
    );
    expect(text).toContain('The following resource(s) failed to create: [EmailIdentity]');
    expect(text).toContain(
      '→ Read the reason under the stack\'s "Events" in the CloudFormation console and fix it, delete the stack (`aws cloudformation delete-stack --stack-name LeserpostApi`), then run `npx cdk deploy --all` again.',
    );
    // Nothing else is checked: a rolled-back stack has no outputs to check.
    expect(seen.map((request) => request.operation)).toEqual(['DescribeStacks']);
  });

  it('finds a rolled-back data stack when there is no API stack yet, in German', async () => {
    const { checks, text, seen } = await report(
      { stack: missing, otherStacks: { LeserpostData: rolledBack('LeserpostData', true) } },
      'de',
    );
    expect(seen.map((request) => request.body)).toEqual([
      expect.stringContaining('StackName=LeserpostApi'),
      expect.stringContaining('StackName=LeserpostData'),
    ]);
    expect(checks).toHaveLength(1);
    expect(text).toContain(
      '✗ Der Stack LeserpostData ist beim ersten Deploy gescheitert und wurde zurückgerollt (ROLLBACK_COMPLETE)',
    );
    expect(text).toContain('--no-enable-termination-protection --stack-name LeserpostData');
    expect(text).toContain('`aws cloudformation delete-stack --stack-name LeserpostData`');
    expect(text).not.toContain('gibt es in dieser Region nicht');
  });

  it('looks for the data stack of the named instance', async () => {
    const { text } = await reportFor('LeserpostHerzApi', {
      stack: missing,
      otherStacks: { LeserpostHerzData: rolledBack('LeserpostHerzData', true) },
    });
    expect(text).toContain('The stack LeserpostHerzData failed on its first deploy');
  });

  it('leaves a stack that is deployed alone, whatever its data stack', async () => {
    const { checks } = await report({ otherStacks: { LeserpostData: rolledBack('LeserpostData', true) } });
    expect(checks.every((check) => check.ok)).toBe(true);
  });
});
