/**
 * `npm run admin -- doctor`: after a deploy, checks what the deploy itself cannot — the SES
 * identities and their DKIM and MAIL FROM status, sandbox or production access, the alarm topic's
 * subscription, that the widget URL answers and that the API's CORS allows the blog — and says in
 * plain words (German or English) what to do next. Everything it needs comes from the API stack's
 * outputs; it changes nothing.
 */
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import {
  GetAccountCommand,
  GetEmailIdentityCommand,
  type GetEmailIdentityCommandOutput,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
/** lib/leserpost.ts API_STACK_ID, without loading the CDK here (test/unit/doctor.test.ts ties them). */
export const DEFAULT_STACK = 'LeserpostApi';

type Lang = 'de' | 'en';
type Text = readonly [de: string, en: string];

export interface Check {
  ok: boolean;
  /** What was checked and what was found. */
  found: Text;
  /** What to do next (for a failed check). */
  next?: Text;
}

export interface DoctorClients {
  cloudFormation: CloudFormationClient;
  ses: SESv2Client;
  sns: SNSClient;
  fetch?: typeof fetch;
}

const errorName = (error: unknown) => (error as Error)?.name ?? '';

/**
 * Runs every check; stops early only when the stack (and with it every output) is missing, or a
 * failed first deploy left it (or the data stack) rolled back.
 */
export async function runDoctor(
  stackName: string,
  clients: DoctorClients,
): Promise<{ checks: Check[]; lang?: Lang }> {
  const stack = await describeStack(clients.cloudFormation, stackName);
  if (stack?.StackStatus === 'ROLLBACK_COMPLETE') return { checks: [rolledBack(stack, false)] };
  if (!stack) {
    // A failed first deploy of the data stack leaves no API stack, only the data stack rolled back.
    const dataStackName = dataStackOf(stackName);
    const data = dataStackName ? await describeStack(clients.cloudFormation, dataStackName) : undefined;
    if (data?.StackStatus === 'ROLLBACK_COMPLETE') return { checks: [rolledBack(data, true)] };
    return {
      checks: [
        {
          ok: false,
          found: [
            `Den Stack ${stackName} gibt es in dieser Region nicht.`,
            `There is no stack ${stackName} in this region.`,
          ],
          next: [
            'Erst `npx cdk deploy --all` ausführen, oder --stack und --region angeben.',
            'Run `npx cdk deploy --all` first, or pass --stack and --region.',
          ],
        },
      ],
    };
  }
  const outputs: Record<string, string> = Object.fromEntries(
    (stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
  );
  const checks: Check[] = [];
  for (const identity of (outputs.MailIdentities ?? '').split(',').filter(Boolean)) {
    checks.push(...(await identityChecks(clients.ses, identity)));
  }
  checks.push(await accountCheck(clients.ses));
  if (outputs.AlarmTopicArn) checks.push(await subscriptionCheck(clients.sns, outputs.AlarmTopicArn));
  const http = clients.fetch ?? fetch;
  if (outputs.WidgetUrl) checks.push(await widgetCheck(http, outputs.WidgetUrl));
  const origin = (outputs.AllowedOrigins ?? '').split(',')[0];
  if (outputs.ApiUrl && origin) checks.push(await corsCheck(http, outputs.ApiUrl, origin));
  const lang = outputs.SiteLang === 'en' || outputs.SiteLang === 'de' ? outputs.SiteLang : undefined;
  return { checks, lang };
}

/** The stack as CloudFormation describes it, or undefined when there is none of that name. */
async function describeStack(cloudFormation: CloudFormationClient, name: string): Promise<Stack | undefined> {
  try {
    const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
    return answer.Stacks?.[0];
  } catch (error) {
    if (errorName(error) !== 'ValidationError') throw error;
    return undefined;
  }
}

/** LeserpostApi → LeserpostData, LeserpostHerzApi → LeserpostHerzData (lib/leserpost.ts names them so). */
const dataStackOf = (apiStackName: string) =>
  apiStackName.endsWith('Api') ? `${apiStackName.slice(0, -'Api'.length)}Data` : undefined;

/**
 * A first deploy that failed leaves the stack in ROLLBACK_COMPLETE: CloudFormation can neither
 * update it nor create it again, so the next deploy fails until it is deleted. The data stack
 * has termination protection, which must be turned off first.
 */
function rolledBack(stack: Stack, protectedStack: boolean): Check {
  const name = stack.StackName ?? '';
  const reason = stack.StackStatusReason ? ` (CloudFormation: "${stack.StackStatusReason}")` : '';
  const unprotect = `aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${name}`;
  const remove = `aws cloudformation delete-stack --stack-name ${name}`;
  return {
    ok: false,
    found: [
      `Der Stack ${name} ist beim ersten Deploy gescheitert und wurde zurückgerollt (ROLLBACK_COMPLETE): so lässt er sich nicht mehr deployen, er muss erst gelöscht werden.${reason}`,
      `The stack ${name} failed on its first deploy and was rolled back (ROLLBACK_COMPLETE): it cannot be deployed again until it is deleted.${reason}`,
    ],
    next: [
      `Den Grund in der CloudFormation-Konsole unter „Events“ des Stacks lesen und beheben, ${protectedStack ? `den Löschschutz ausschalten (\`${unprotect}\`), ` : ''}den Stack löschen (\`${remove}\`), dann erneut \`npx cdk deploy --all\`.${protectedStack ? ' Der Deploy schaltet den Schutz wieder ein; die Daten gehen nicht verloren, der Stack hatte noch keine.' : ''}`,
      `Read the reason under the stack's "Events" in the CloudFormation console and fix it, ${protectedStack ? `turn termination protection off (\`${unprotect}\`), ` : ''}delete the stack (\`${remove}\`), then run \`npx cdk deploy --all\` again.${protectedStack ? ' The deploy turns the protection back on; no data is lost, the stack never held any.' : ''}`,
    ],
  };
}

async function identityChecks(ses: SESv2Client, name: string): Promise<Check[]> {
  let identity: GetEmailIdentityCommandOutput;
  try {
    identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
  } catch (error) {
    if (errorName(error) !== 'NotFoundException') throw error;
    return [
      {
        ok: false,
        found: [`Die SES-Identität ${name} gibt es nicht.`, `The SES identity ${name} does not exist.`],
        next: [
          'Ohne -c useExistingIdentity=true deployen (dann legt der Stack sie an), oder sie in der SES-Konsole anlegen.',
          'Deploy without -c useExistingIdentity=true (the stack then creates it), or create it in the SES console.',
        ],
      },
    ];
  }
  const domain = identity.IdentityType === 'DOMAIN';
  const checks: Check[] = [];
  if (identity.VerifiedForSendingStatus) {
    checks.push({ ok: true, found: [`${name}: bei SES bestätigt.`, `${name}: verified with SES.`] });
  } else {
    checks.push({
      ok: false,
      found: [`${name}: noch nicht bei SES bestätigt.`, `${name}: not verified with SES yet.`],
      next: domain
        ? [
            'Die drei DKIM-CNAME-Einträge (Ausgaben DkimRecord1–3) beim DNS-Anbieter anlegen; SES prüft sie selbst, das kann bis zu 72 Stunden dauern.',
            'Create the three DKIM CNAME records (outputs DkimRecord1–3) at your DNS provider; SES checks them by itself, which can take up to 72 hours.',
          ]
        : [
            `Den Bestätigungslink in der Mail von Amazon Web Services an ${name} anklicken (auch im Spam-Ordner nachsehen). Abgelaufen? In der SES-Konsole unter „Identities“ erneut senden.`,
            `Click the verification link in the mail from Amazon Web Services to ${name} (check the spam folder too). Expired? Resend it in the SES console under "Identities".`,
          ],
    });
  }
  if (domain) {
    const status = identity.DkimAttributes?.Status;
    checks.push(
      status === 'SUCCESS'
        ? { ok: true, found: [`${name}: DKIM aktiv.`, `${name}: DKIM active.`] }
        : {
            ok: false,
            found: [
              `${name}: DKIM-Status ${status ?? 'unbekannt'}.`,
              `${name}: DKIM status ${status ?? 'unknown'}.`,
            ],
            next: [
              'Die DKIM-CNAME-Einträge (DkimRecord1–3) genau so anlegen, wie die Ausgaben sie nennen, und später erneut prüfen.',
              'Create the DKIM CNAME records (DkimRecord1–3) exactly as the outputs give them, then check again later.',
            ],
          },
    );
    const mailFrom = identity.MailFromAttributes;
    if (mailFrom?.MailFromDomain) {
      checks.push(
        mailFrom.MailFromDomainStatus === 'SUCCESS'
          ? {
              ok: true,
              found: [
                `MAIL FROM ${mailFrom.MailFromDomain} aktiv.`,
                `MAIL FROM ${mailFrom.MailFromDomain} active.`,
              ],
            }
          : {
              ok: false,
              found: [
                `MAIL FROM ${mailFrom.MailFromDomain}: Status ${mailFrom.MailFromDomainStatus}.`,
                `MAIL FROM ${mailFrom.MailFromDomain}: status ${mailFrom.MailFromDomainStatus}.`,
              ],
              next: [
                'Den MX- und den SPF-Eintrag (Ausgaben MailFromMxRecord, MailFromSpfRecord) anlegen; bis dahin sendet SES mit seiner eigenen Absenderdomain.',
                'Create the MX and SPF records (outputs MailFromMxRecord, MailFromSpfRecord); until then SES uses its own MAIL FROM domain.',
              ],
            },
      );
    }
  }
  return checks;
}

async function accountCheck(ses: SESv2Client): Promise<Check> {
  const account = await ses.send(new GetAccountCommand({}));
  if (account.SendingEnabled === false) {
    return {
      ok: false,
      found: ['SES hat das Senden für dieses Konto angehalten.', 'SES has paused sending for this account.'],
      next: [
        'In der SES-Konsole unter „Reputation metrics“ den Grund lesen und den AWS-Support anschreiben.',
        'Read the reason in the SES console under "Reputation metrics" and contact AWS Support.',
      ],
    };
  }
  if (account.ProductionAccessEnabled) {
    return {
      ok: true,
      found: [
        'SES: Produktionszugang, Mails an alle Adressen.',
        'SES: production access, mail to any address.',
      ],
    };
  }
  return {
    ok: false,
    found: [
      'SES-Sandbox: Mails gehen nur an bestätigte Adressen. Deine Benachrichtigungen kommen an, die Mail „Dein Wunschthema ist erschienen“ an Leser:innen nicht.',
      'SES sandbox: mail reaches verified addresses only. Your notifications arrive; the "your topic was written" mail to readers does not.',
    ],
    next: [
      'SES-Konsole → „Get set up“ → „Request production access“; kurz beschreiben: Benachrichtigungen an die Autorin und an Leser:innen, die darum gebeten haben.',
      'SES console → "Get set up" → "Request production access"; describe briefly: notifications to the author and to readers who asked for them.',
    ],
  };
}

async function subscriptionCheck(sns: SNSClient, topicArn: string): Promise<Check> {
  const answer = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  const email = (answer.Subscriptions ?? []).filter((subscription) => subscription.Protocol === 'email');
  if (email.some((subscription) => subscription.SubscriptionArn?.startsWith('arn:'))) {
    return { ok: true, found: ['Warnmeldungen: Abo bestätigt.', 'Alarms: subscription confirmed.'] };
  }
  return {
    ok: false,
    found: email.length
      ? ['Warnmeldungen: Abo noch nicht bestätigt.', 'Alarms: subscription not confirmed yet.']
      : ['Warnmeldungen: kein Mail-Abo.', 'Alarms: no mail subscription.'],
    next: [
      `Den Link „Confirm subscription“ in der Mail „AWS Notification - Subscription Confirmation“ an ${email[0]?.Endpoint ?? 'deine Adresse'} anklicken; sonst erfährst du nicht, wenn Mails scheitern.`,
      `Click "Confirm subscription" in the mail "AWS Notification - Subscription Confirmation" to ${email[0]?.Endpoint ?? 'your address'}; otherwise you will not hear when mail fails.`,
    ],
  };
}

async function widgetCheck(http: typeof fetch, url: string): Promise<Check> {
  try {
    const response = await http(url);
    const type = response.headers.get('content-type') ?? '';
    if (response.ok && /javascript/.test(type)) {
      return { ok: true, found: [`Widget erreichbar: ${url}`, `Widget answers: ${url}`] };
    }
    return widgetProblem(url, `HTTP ${response.status} ${type}`);
  } catch (error) {
    return widgetProblem(url, (error as Error).message);
  }
}

const widgetProblem = (url: string, what: string): Check => ({
  ok: false,
  found: [`Widget nicht erreichbar (${what}): ${url}`, `Widget does not answer (${what}): ${url}`],
  next: [
    'Ein paar Minuten warten (CloudFront verteilt neu angelegte Adressen erst) und erneut prüfen; bleibt es so, `npx cdk deploy --all` wiederholen.',
    'Wait a few minutes (CloudFront takes a while to spread a new distribution) and check again; if it stays, run `npx cdk deploy --all` again.',
  ],
});

/** A browser's CORS preflight for a comment from the blog, as the widget sends it. */
async function corsCheck(http: typeof fetch, apiUrl: string, origin: string): Promise<Check> {
  const url = `${apiUrl.replace(/\/$/, '')}/comments`;
  let allowed = '';
  let what = '';
  try {
    const response = await http(url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    allowed = response.headers.get('access-control-allow-origin') ?? '';
    what = `HTTP ${response.status}`;
  } catch (error) {
    what = (error as Error).message;
  }
  if (allowed === origin || allowed === '*') {
    return {
      ok: true,
      found: [`API erlaubt Anfragen von ${origin}.`, `The API allows requests from ${origin}.`],
    };
  }
  return {
    ok: false,
    found: [`API erlaubt ${origin} nicht (${what}).`, `The API does not allow ${origin} (${what}).`],
    next: [
      'Die Adresse des Blogs genau so angeben, wie sie im Browser steht (mit oder ohne www): -c allowedOrigins=https://… und erneut deployen.',
      'Give the blog address exactly as the browser shows it (with or without www): -c allowedOrigins=https://… and deploy again.',
    ],
  };
}

/** The report in plain words, one line per check and the next step under each failed one. */
export function formatReport(checks: Check[], lang: Lang): string {
  const pick = (text: Text) => text[lang === 'de' ? 0 : 1];
  const lines = checks.map(
    (check) =>
      `${check.ok ? '✓' : '✗'} ${pick(check.found)}${check.next ? `\n    → ${pick(check.next)}` : ''}`,
  );
  const open = checks.filter((check) => !check.ok).length;
  const summary = open
    ? pick([
        `${open} Punkt(e) offen. Danach erneut: npm run admin -- doctor`,
        `${open} item(s) open. Afterwards again: npm run admin -- doctor`,
      ])
    : pick(['Alles bereit: Kommentare und Mails funktionieren.', 'All set: comments and mail work.']);
  return `${lines.join('\n')}\n\n${summary}\n`;
}

/** The site's language (the stack's SiteLang output), unless LESERPOST_LANG asks for `asked`. */
export function reportLang(siteLang: Lang | undefined, asked: Lang, env = process.env): Lang {
  return env.LESERPOST_LANG ? asked : (siteLang ?? asked);
}

/** The command: real clients for the caller's credentials and region. */
export async function doctor(options: { stackName?: string; region?: string; lang: Lang }): Promise<number> {
  const region = options.region ?? process.env.AWS_REGION;
  const clients = {
    cloudFormation: new CloudFormationClient({ region }),
    ses: new SESv2Client({ region }),
    sns: new SNSClient({ region }),
  };
  const { checks, lang } = await runDoctor(options.stackName ?? DEFAULT_STACK, clients);
  process.stdout.write(formatReport(checks, reportLang(lang, options.lang)));
  return checks.every((check) => check.ok) ? 0 : 1;
}
