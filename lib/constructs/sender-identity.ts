/**
 * The SES identity mail is sent from. Three shapes, chosen by context:
 * - an address identity (senderEmail): SES mails a verification link; fine to start, but mail sent
 *   from it fails DMARC alignment at receivers that check it (the DKIM signature is SES's domain);
 * - a domain identity with Easy DKIM (senderDomain, optional custom MAIL FROM): the DNS records to
 *   create are stack outputs; DKIM then aligns with the From domain and DMARC passes;
 * - an identity that already exists in the account (useExistingIdentity): nothing is created
 *   (creating it again fails with AlreadyExists and rolls the stack back), the grant uses its ARN.
 * In the SES sandbox every recipient must be verified too, so the author's address gets its own
 * identity unless the sender identity already covers it.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import {
  type ConfigurationSet,
  EmailIdentity,
  Identity,
  MailFromBehaviorOnMxFailure,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface SenderIdentityProps {
  senderEmail: string;
  authorEmail: string;
  /** '' for an address identity. */
  senderDomain: string;
  /** '' for SES's own MAIL FROM domain. */
  mailFromDomain: string;
  useExistingIdentity: boolean;
  configurationSet: ConfigurationSet;
}

/** The stack outputs that carry the DNS records of a domain identity. */
export const DNS_OUTPUTS = {
  dkim: (n: 1 | 2 | 3) => `DkimRecord${n}`,
  mailFromMx: 'MailFromMxRecord',
  mailFromSpf: 'MailFromSpfRecord',
  dmarc: 'DmarcRecord',
};

export class SenderIdentity extends Construct {
  /** ARNs of the identities the notifier may send from (or to, in the sandbox). */
  readonly identityArns: string[];
  /** Their names (a domain or an address), for doctor's checks. */
  readonly identityNames: string[];
  /** The identity created here, if any. */
  readonly created?: EmailIdentity;

  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const senderName = props.senderDomain || props.senderEmail;
    const author = props.authorEmail.toLowerCase();
    const authorCovered =
      author === props.senderEmail.toLowerCase() ||
      (props.senderDomain !== '' && author.endsWith(`@${props.senderDomain}`));
    const arnOf = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });

    this.identityNames = [senderName, ...(authorCovered ? [] : [props.authorEmail])];
    if (props.useExistingIdentity) {
      // Existing identities: the author's (when separate) is expected to exist too; doctor checks both.
      this.identityArns = [arnOf(senderName), ...(authorCovered ? [] : [arnOf(props.authorEmail)])];
      return;
    }

    this.created = new EmailIdentity(this, 'Sender', {
      identity: props.senderDomain ? Identity.domain(props.senderDomain) : Identity.email(props.senderEmail),
      configurationSet: props.configurationSet,
      ...(props.mailFromDomain
        ? {
            mailFromDomain: props.mailFromDomain,
            // Until the MX record exists, mail goes out with SES's own MAIL FROM rather than bouncing.
            mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
          }
        : {}),
    });
    this.identityArns = [this.created.emailIdentityArn];
    if (!authorCovered) {
      const authorIdentity = new EmailIdentity(this, 'Author', {
        identity: Identity.email(props.authorEmail),
      });
      this.identityArns.push(authorIdentity.emailIdentityArn);
    }
    if (props.senderDomain) this.outputDnsRecords(stack, this.created, props);
  }

  /** The records to create at the DNS provider, one output each, as `name TYPE value`. */
  private outputDnsRecords(stack: Stack, identity: EmailIdentity, props: SenderIdentityProps): void {
    const tokens = [
      [identity.dkimDnsTokenName1, identity.dkimDnsTokenValue1],
      [identity.dkimDnsTokenName2, identity.dkimDnsTokenValue2],
      [identity.dkimDnsTokenName3, identity.dkimDnsTokenValue3],
    ] as const;
    tokens.forEach(([name, value], index) => {
      new CfnOutput(stack, DNS_OUTPUTS.dkim((index + 1) as 1 | 2 | 3), {
        value: `${name} CNAME ${value}`,
        description: `DNS record ${index + 1} of 3 for Easy DKIM of ${props.senderDomain}`,
      });
    });
    if (props.mailFromDomain) {
      new CfnOutput(stack, DNS_OUTPUTS.mailFromMx, {
        value: `${props.mailFromDomain} MX 10 feedback-smtp.${stack.region}.amazonses.com`,
        description: `DNS record for the custom MAIL FROM domain ${props.mailFromDomain}`,
      });
      new CfnOutput(stack, DNS_OUTPUTS.mailFromSpf, {
        value: `${props.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`,
        description: `SPF record for the custom MAIL FROM domain ${props.mailFromDomain}`,
      });
    }
    new CfnOutput(stack, DNS_OUTPUTS.dmarc, {
      value: `_dmarc.${props.senderDomain} TXT "v=DMARC1; p=none;"`,
      description: 'A DMARC record to start with, if the domain has none (DKIM of this identity aligns)',
    });
  }
}
