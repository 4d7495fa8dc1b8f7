/**
 * Where built mails go: SES v2 as a raw message on AWS (MAIL_TRANSPORT=ses), `.eml` files in
 * OUTBOX_DIR locally (MAIL_TRANSPORT=outbox). Both take the very same MIME bytes.
 * MAIL_FAIL_TIMES=n makes the first n sends fail (fault injection for the local stack); tests
 * can also swap the transport with useTransport().
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { BuiltMail } from '../core/mail/mime';

export interface MailTransport {
  /** Sends one message; resolves with the provider's message id, rejects when it was not taken. */
  send(mail: BuiltMail): Promise<string>;
}

let override: MailTransport | undefined;
let fromEnvironment: MailTransport | undefined;

/** Tests swap the transport (e.g. a failing one); `undefined` restores the configured one. */
export function useTransport(transport: MailTransport | undefined): void {
  override = transport;
  fromEnvironment = undefined;
}

export function transport(): MailTransport {
  if (override) return override;
  fromEnvironment ??= configuredTransport(process.env);
  return fromEnvironment;
}

function configuredTransport(env: NodeJS.ProcessEnv): MailTransport {
  const kind = env.MAIL_TRANSPORT ?? 'ses';
  let base: MailTransport;
  if (kind === 'ses') base = sesTransport(env.SES_CONFIGURATION_SET || undefined);
  else if (kind === 'outbox') {
    if (!env.OUTBOX_DIR) throw new Error('MAIL_TRANSPORT=outbox needs OUTBOX_DIR.');
    base = outboxTransport(env.OUTBOX_DIR);
  } else throw new Error(`MAIL_TRANSPORT must be ses or outbox, not "${kind}".`);
  const failTimes = Number(env.MAIL_FAIL_TIMES ?? 0);
  return failTimes > 0 ? failingTransport(base, failTimes) : base;
}

/**
 * SendEmail is not idempotent: after a timeout or a lost connection SES may have taken the mail.
 * So the client never retries by itself (maxAttempts 1); deliver.ts decides, with its delivery
 * marker as the guard (an ambiguous failure keeps the claim, see there). Timeouts keep a hanging
 * connection from eating the notifier's 30 seconds.
 */
export const SES_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000 };

export function sesTransport(configurationSetName?: string): MailTransport {
  const client = new SESv2Client({ maxAttempts: 1, requestHandler: SES_TIMEOUTS });
  return {
    async send(mail) {
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          Content: { Raw: { Data: mail.raw } },
          ConfigurationSetName: configurationSetName,
        }),
      );
      return result.MessageId ?? '';
    },
  };
}

/** One `.eml` per mail, named so that names sort by time: `<ISO time>-<id>.eml`. */
export function outboxTransport(outboxDir: string): MailTransport {
  return {
    async send(mail) {
      mkdirSync(outboxDir, { recursive: true });
      const id = randomBytes(6).toString('hex');
      const name = `${new Date().toISOString().replace(/:/g, '-')}-${id}.eml`;
      // Written under a temporary name first, so a reader of the folder never sees half a mail.
      const temporary = join(outboxDir, `.${name}.tmp`);
      writeFileSync(temporary, mail.raw);
      renameSync(temporary, join(outboxDir, name));
      return name;
    },
  };
}

/** Fails the first `times` sends, as a throttled or unreachable SES would, then passes through. */
export function failingTransport(inner: MailTransport, times: number): MailTransport & { attempts: number } {
  const wrapper = {
    attempts: 0,
    async send(mail: BuiltMail) {
      wrapper.attempts++;
      if (wrapper.attempts <= times) {
        const error = new Error('Injected mail failure (MAIL_FAIL_TIMES).');
        error.name = 'InjectedMailFailure';
        throw error;
      }
      return inner.send(mail);
    },
  };
  return wrapper;
}
