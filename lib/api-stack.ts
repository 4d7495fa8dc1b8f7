/**
 * The stateless part: one Lambda per handler group behind the HTTP API, the notification pipeline
 * and the widget hosting. It holds no data (the table, key and secret come from the data stack by
 * props), so it can be destroyed and deployed again, or renamed, without losing anything.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { HANDLER_ENTRIES, type HandlerGroup } from '../functions/routes';
import { type LeserpostConfig, runtimeEnvironment } from './config';
import {
  type DataResources,
  grantSecretRead,
  grantTableAccess,
  type TableAccess,
} from './constructs/data-access';
import { LeserpostFunction } from './constructs/lambda-function';
import { Notifications } from './constructs/notifications';
import { PublicApi } from './constructs/public-api';
import { WidgetHosting } from './constructs/widget-hosting';

/**
 * What each group's code calls (test/infra/permissions.test.ts derives it from the bundles and
 * fails on any difference). Reader-facing groups query only public indexes, whose projection has
 * no private attribute; no Lambda queries the private moderation index (only the author's command
 * line does, with her own credentials); meta (OpenAPI document, 404/405) touches no data at all.
 */
export const GROUP_ACCESS: Record<HandlerGroup, { table?: TableAccess; secret: boolean }> = {
  comments: {
    table: {
      actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
      indexes: ['public', 'public2', 'recent'],
    },
    secret: true,
  },
  wishes: {
    table: {
      actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      indexes: ['public', 'public2', 'ranked'],
    },
    secret: true,
  },
  moderation: {
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: [] },
    secret: true,
  },
  meta: { secret: false },
};

const DESCRIPTIONS: Record<HandlerGroup, string> = {
  comments: 'Leserpost comments API: post, list, count, compliments, guard challenge',
  wishes: 'Leserpost topic wishes API: submit, board, votes, credit',
  moderation: 'Leserpost one-click moderation: confirmation page and signed-link actions',
  meta: 'Leserpost OpenAPI document and the JSON 404/405 for every other request',
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

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const environment = {
      ...runtimeEnvironment(config),
      TABLE_NAME: data.table.tableName,
      MASTER_SECRET_ARN: data.masterSecret.secretArn,
    };

    this.functions = {
      comments: this.groupFunction('comments', data, environment),
      wishes: this.groupFunction('wishes', data, environment),
      moderation: this.groupFunction('moderation', data, environment),
      meta: this.groupFunction('meta', data, environment),
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
    });

    this.widget = new WidgetHosting(this, 'Widget', {
      assetDir: props.widgetDir,
      allowedOrigins: config.allowedOrigins,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Leserpost API' });
    new CfnOutput(this, 'WidgetUrl', {
      value: this.widget.scriptUrl,
      description: 'Widget, cached 5 minutes',
    });
    new CfnOutput(this, 'WidgetVersionedUrl', {
      value: this.widget.versionedScriptUrl,
      description: 'This exact widget build, cached for a year (immutable)',
    });
    new CfnOutput(this, 'EmbedSnippet', {
      value: embedSnippet(this.widget.scriptUrl, this.api.url),
      description: 'Paste into the blog template where the comments should appear',
    });
  }

  private groupFunction(group: HandlerGroup, data: DataResources, environment: Record<string, string>) {
    const fn = new LeserpostFunction(this, `${capitalise(group)}Function`, {
      entry: HANDLER_ENTRIES[group],
      description: DESCRIPTIONS[group],
      environment,
    });
    const access = GROUP_ACCESS[group];
    if (access.table) grantTableAccess(fn.role, data, access.table);
    if (access.secret) grantSecretRead(fn.role, data);
    return fn;
  }
}

/** The two lines the blog author pastes into her template. */
export function embedSnippet(scriptUrl: string, apiUrl: string): string {
  return `<script src="${scriptUrl}" data-api="${apiUrl}" defer></script>\n<leserpost-comments></leserpost-comments>`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
