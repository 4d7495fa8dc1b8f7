/**
 * The stateless part: one Lambda per handler group behind the HTTP API, the notification pipeline
 * and the widget hosting. It holds no data (the table, key and secret come from the data stack by
 * props), so it can be destroyed and deployed again, or renamed, without losing anything.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { escapeHtml } from '../functions/core/html';
import { HANDLER_ENTRIES, type HandlerGroup } from '../functions/routes';
import { type LeserpostConfig, runtimeEnvironment } from './config';
import { type DataResources, grantTableAccess, type TableAccess } from './constructs/data-access';
import { EmailSealKey } from './constructs/email-seal-key';
import { LeserpostFunction } from './constructs/lambda-function';
import { Notifications } from './constructs/notifications';
import { PublicApi } from './constructs/public-api';
import { WidgetHosting } from './constructs/widget-hosting';
import { grantKeys } from './key-grants';

/**
 * What each group's code calls (test/infra/permissions.test.ts derives it from the bundles and
 * fails on any difference). Reader-facing groups query only public indexes, whose projection has
 * no private attribute; only the desk queries the private moderation index (and the author's command
 * line, with her own credentials); meta (OpenAPI document, 404/405) touches no data at all.
 */
/**
 * The desk unpacks and parses her uploads (a WordPress export of tens of MB) and writes restores:
 * more time and memory than a reader's request, still under API Gateway's 29 s. The other groups
 * keep LeserpostFunction's defaults (10 s, 512 MB).
 */
export const GROUP_SIZING: Partial<Record<HandlerGroup, { timeout: Duration; memorySize: number }>> = {
  desk: { timeout: Duration.seconds(28), memorySize: 1024 },
};

export const GROUP_ACCESS: Record<HandlerGroup, { table?: TableAccess }> = {
  comments: {
    table: {
      actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
      indexes: ['public', 'public2', 'recent'],
    },
  },
  wishes: {
    table: {
      // ConditionCheckItem: a voter's address joins her vote only while the wish is open.
      // BatchGetItem: what became of her waiting wishes (POST /wishes/status).
      actions: [
        'GetItem',
        'BatchGetItem',
        'Query',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'ConditionCheckItem',
      ],
      indexes: ['public', 'public2', 'ranked'],
    },
  },
  moderation: {
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [] },
  },
  // Reader link pages: the reader link key and hash keys; the confirmation request holds the
  // sealed address, which this group never opens (the notifier composes every mail). "Meine
  // Daten" reads her items on the reader index (by hash) and erases them as the desk does.
  readers: {
    table: {
      actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      indexes: ['reader'],
    },
  },
  meta: {},
  // The author's desk: her sessions and login links, the moderation index for her lists, the
  // same transitions the moderation links make, and the reader index for a reader's data (by hash).
  desk: {
    table: {
      // ConditionCheckItem: her reply is stored with putComment, as a reader's comment is.
      actions: [
        'GetItem',
        'BatchGetItem',
        'Query',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'ConditionCheckItem',
      ],
      // desk: her compliment collection (starred comments and entries by hand), private.
      indexes: ['moderation', 'reader', 'desk'],
    },
  },
};

const DESCRIPTIONS: Record<HandlerGroup, string> = {
  comments: 'Leserpost comments API: post, list, count, compliments, guard challenge',
  wishes: 'Leserpost topic wishes API: submit, board, votes, credit',
  moderation: 'Leserpost one-click moderation: confirmation page and signed-link actions',
  readers: 'Leserpost reader link pages: confirm an address, unsubscribe, "Meine Daten"',
  meta: 'Leserpost OpenAPI document and the JSON 404/405 for every other request',
  desk: "Leserpost author's desk: login links, sessions, inbox and wishes as HTML pages",
};

export interface ApiStackProps extends StackProps {
  config: LeserpostConfig;
  data: DataResources & { table: Table };
  /** Folder with the built widget (see widget/build.ts). */
  widgetDir: string;
}

export class ApiStack extends Stack {
  readonly api: PublicApi;
  readonly functions: Record<HandlerGroup, LeserpostFunction>;
  readonly notifications: Notifications;
  readonly widget: WidgetHosting;
  private readonly publicSealKey: () => string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const environment = {
      ...runtimeEnvironment(config),
      TABLE_NAME: data.table.tableName,
    };
    // Only where a group seals: a Lambda without it never waits for the deploy-time derivation.
    let sealKey: EmailSealKey | undefined;
    this.publicSealKey = () => {
      sealKey ??= new EmailSealKey(this, 'EmailSealKey', { data });
      return sealKey.publicKey;
    };

    this.functions = {
      comments: this.groupFunction('comments', data, environment),
      wishes: this.groupFunction('wishes', data, environment),
      moderation: this.groupFunction('moderation', data, environment),
      readers: this.groupFunction('readers', data, environment),
      meta: this.groupFunction('meta', data, environment),
      desk: this.groupFunction('desk', data, environment),
    };
    this.api = new PublicApi(this, 'Api', {
      allowedOrigins: config.allowedOrigins,
      fallback: this.functions.meta.function,
    });
    for (const [group, fn] of Object.entries(this.functions) as [HandlerGroup, LeserpostFunction][]) {
      this.api.addGroupRoutes(group, fn.function);
      // Links in mails and the OpenAPI servers entry. The API resource does not depend on the
      // functions (only its routes do), so this is no cycle.
      fn.function.addEnvironment('API_BASE_URL', this.api.url);
    }

    this.notifications = new Notifications(this, 'Notifications', {
      data,
      environment: { ...environment, API_BASE_URL: this.api.url },
      authorEmail: config.authorEmail,
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      mailFromDomain: config.mailFromDomain,
      useExistingIdentity: config.useExistingIdentity,
    });
    // The desk mails login links itself (one SendEmail, from the configured identity).
    this.notifications.grantSendMail(this.functions.desk.role);
    this.functions.desk.function.addEnvironment('MAIL_TRANSPORT', 'ses');
    this.functions.desk.function.addEnvironment(
      'SES_CONFIGURATION_SET',
      this.notifications.configurationSetName,
    );

    this.widget = new WidgetHosting(this, 'Widget', {
      assetDir: props.widgetDir,
      allowedOrigins: config.allowedOrigins,
      api: { url: this.api.url },
    });
    const readsUrl = this.widget.readsUrl ?? this.api.url;

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Leserpost API' });
    new CfnOutput(this, 'ReadsUrl', {
      value: readsUrl,
      description: 'Base URL of the public reads, cached at the edge (the widget reads from here)',
    });
    new CfnOutput(this, 'DeskUrl', {
      value: `${this.api.url}desk`,
      description: "The author's desk: log in with a link sent to the author's address",
    });
    new CfnOutput(this, 'WidgetUrl', {
      value: this.widget.scriptUrl,
      description: 'Widget, cached 5 minutes',
    });
    new CfnOutput(this, 'WidgetVersionedUrl', {
      value: this.widget.versionedScriptUrl,
      description: 'This exact widget build, cached for a year (immutable)',
    });
    // What `npm run admin -- doctor` and `mail-retry` read from the stack (bin/doctor.ts).
    new CfnOutput(this, 'NotifierFunctionName', {
      value: this.notifications.notifier.function.functionName,
      description: 'npm run admin -- mail-retry --table <TableName> --region <region> --notifier <this>',
    });
    new CfnOutput(this, 'MailIdentities', {
      value: this.notifications.sender.identityNames.join(','),
      description: 'The SES identities mail is sent from (and to, in the sandbox)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.notifications.alarmTopic.topicArn,
      description: 'Alarms mail the author through this topic once she confirmed its subscription',
    });
    new CfnOutput(this, 'AllowedOrigins', {
      value: config.allowedOrigins.join(','),
      description: 'Blog origins (CORS)',
    });
    new CfnOutput(this, 'SiteLang', { value: config.siteLang, description: 'Language of mails and pages' });
    new CfnOutput(this, 'EmbedSnippet', {
      value: embedSnippet(this.widget.scriptUrl, this.api.url, readsUrl, config.privacyUrl),
      description: 'Paste into the blog template where the comments should appear',
    });
  }

  private groupFunction(group: HandlerGroup, data: DataResources, environment: Record<string, string>) {
    const fn = new LeserpostFunction(this, `${capitalise(group)}Function`, {
      entry: HANDLER_ENTRIES[group],
      description: DESCRIPTIONS[group],
      environment,
      ...GROUP_SIZING[group],
    });
    const access = GROUP_ACCESS[group];
    if (access.table) grantTableAccess(fn.role, data, access.table);
    const keyEnvironment = grantKeys(this, group, fn.role, data, this.publicSealKey);
    for (const [name, value] of Object.entries(keyEnvironment)) fn.function.addEnvironment(name, value);
    return fn;
  }
}

/**
 * The two lines the blog author pastes into her template: the widget reads through the edge
 * (`data-reads`), writes to the API (`data-api`) and links the privacy page (`data-privacy-url`).
 */
export function embedSnippet(scriptUrl: string, apiUrl: string, readsUrl = apiUrl, privacyUrl = ''): string {
  const privacy = privacyUrl ? ` data-privacy-url="${escapeHtml(privacyUrl)}"` : '';
  return `<script src="${scriptUrl}" data-api="${apiUrl}" data-reads="${readsUrl}"${privacy} defer></script>\n<leserpost-comments></leserpost-comments>`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
