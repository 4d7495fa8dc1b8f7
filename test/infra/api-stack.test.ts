/**
 * The stateless API stack: one arm64 Node 24 Lambda per handler group, every route of
 * functions/routes.ts on the HTTP API plus $default, CORS and configuration from context, stage
 * throttling, access logs without PII, and grants no wider than each group needs.
 */
import { LIMITS } from '../../functions/core/limits';
import { DESK_CATCH_ALL_PATHS, HANDLER_ENTRIES, type HandlerGroup, ROUTES } from '../../functions/routes';
import { TABLE_DEFINITION } from '../../functions/store/table-definition';
import { LAMBDA_NODE_MAJOR } from '../../lib/bundling';
import {
  asArray,
  FULL_CONTEXT,
  resourceNamed,
  resourcesOf,
  type Synthesised,
  statementsOfRole,
  synthLeserpost,
} from './synth';

let synthesised: Synthesised;
beforeAll(() => {
  synthesised = synthLeserpost(FULL_CONTEXT);
}, 120_000);

const GROUPS = Object.keys(HANDLER_ENTRIES) as HandlerGroup[];
const logicalPrefix = (group: HandlerGroup) => `${group.charAt(0).toUpperCase()}${group.slice(1)}Function`;

const groupFunction = (group: HandlerGroup) =>
  resourceNamed(synthesised.apiTemplate, 'AWS::Lambda::Function', logicalPrefix(group));

/** Logical id of the resource an intrinsic ({Ref} or {Fn::GetAtt}) points at. */
const target = (value: any): string => value?.Ref ?? value?.['Fn::GetAtt']?.[0];

describe('the Lambda functions', () => {
  it('are one per handler group plus the notifier and the deploy-time key derivation, all arm64 on Node.js 24', () => {
    const functions = resourcesOf(synthesised.apiTemplate, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Runtime?.startsWith('nodejs') && fn.Properties.Handler === 'index.handler',
    );
    const ours = functions.filter(([id]) =>
      /^(\w+Function|NotificationsNotifier|EmailSealKeyDerive)/.test(id),
    );
    expect(ours).toHaveLength(GROUPS.length + 2);
    for (const group of GROUPS) expect(groupFunction(group)).toBeDefined();
    for (const [, fn] of ours) {
      expect(fn.Properties).toMatchObject({
        // The bundles (lib/bundling.ts) target the runtime they run on.
        Runtime: `nodejs${LAMBDA_NODE_MAJOR}.x`,
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
    }
  });

  it('get the configuration from context, the table, the secret and the API URL', () => {
    const [, fn] = groupFunction('comments');
    const variables = fn.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      ALLOWED_ORIGINS: FULL_CONTEXT.allowedOrigins,
      SITE_NAME: 'Marketing mit Herz',
      SITE_LANG: 'en',
      AUTHOR_EMAIL: FULL_CONTEXT.authorEmail,
      SENDER_EMAIL: FULL_CONTEXT.senderEmail,
      MODERATION: 'all',
      BROWSER_GUARDS: 'off',
    });
    // Only the widget links the privacy page (embed snippet); no Lambda reads it.
    expect(variables).not.toHaveProperty('PRIVACY_URL');
    expect(JSON.stringify(variables.TABLE_NAME)).toMatch(/"StackName":"LeserpostData".*Table/);
    expect(JSON.stringify(variables.HASH_KEYS_SECRET_ARN)).toMatch(/"StackName":"LeserpostData".*HashKeys/);
    const [apiId] = resourceNamed(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Api', 'ApiHttpApi');
    expect(variables.API_BASE_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
  });

  it('log to their own log groups with a retention', () => {
    for (const group of GROUPS) {
      const [, fn] = groupFunction(group);
      const [, logGroup] = resourceNamed(
        synthesised.apiTemplate,
        'AWS::Logs::LogGroup',
        target(fn.Properties.LoggingConfig.LogGroup),
      );
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });
});

describe('a database that hangs', () => {
  it('ends each DynamoDB call (timeouts × attempts, LIMITS.dynamo) well before any Lambda, and API Gateway, give up', () => {
    // The SDK's pauses between attempts stay far under a second here; 1 s covers them.
    const worstCallMs = LIMITS.dynamo.maxAttempts * LIMITS.dynamo.requestTimeoutMs + 1000;
    const apiGatewayMs = 29_000;
    const functions = resourcesOf(synthesised.apiTemplate, 'AWS::Lambda::Function').filter(([id]) =>
      /^(\w+Function|NotificationsNotifier)/.test(id),
    );
    expect(functions.length).toBeGreaterThan(GROUPS.length);
    for (const [, fn] of functions) expect(fn.Properties.Timeout * 1000).toBeGreaterThan(worstCallMs);
    for (const group of GROUPS)
      expect(groupFunction(group)[1].Properties.Timeout * 1000).toBeLessThan(apiGatewayMs);
    expect(LIMITS.dynamo.connectionTimeoutMs).toBeLessThanOrEqual(LIMITS.dynamo.requestTimeoutMs);
  });

  it('gives the desk, which parses uploads and writes restores, more time and memory than a reader request', () => {
    const desk = groupFunction('desk')[1].Properties;
    expect(desk.Timeout).toBe(28);
    expect(desk.MemorySize).toBe(1024);
    expect(groupFunction('comments')[1].Properties).toMatchObject({ Timeout: 10, MemorySize: 512 });
  });
});

describe('the HTTP API', () => {
  const routes = () =>
    new Map(
      resourcesOf(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
        route.Properties.RouteKey as string,
        route,
      ]),
    );
  /** The Lambda (logical id) behind a route, via its integration. */
  const lambdaOf = (route: any): string => {
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
    const [, integration] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::ApiGatewayV2::Integration',
      integrationId,
    );
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    return target(integration.Properties.IntegrationUri);
  };

  it('has a route for every entry of ROUTES, served by its group’s Lambda', () => {
    const byKey = routes();
    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      expect(byKey.has(key)).toBe(true);
      expect(lambdaOf(byKey.get(key))).toBe(groupFunction(route.group)[0]);
    }
  });

  it('sends any other path under /desk to the desk Lambda, for its HTML 404 and 405 pages', () => {
    const byKey = routes();
    for (const path of DESK_CATCH_ALL_PATHS)
      expect(lambdaOf(byKey.get(`ANY ${path}`))).toBe(groupFunction('desk')[0]);
  });

  it('sends everything else ($default) to the meta Lambda, for the JSON 404 and 405', () => {
    const byKey = routes();
    expect(lambdaOf(byKey.get('$default'))).toBe(groupFunction('meta')[0]);
    expect(byKey.size).toBe(ROUTES.length + DESK_CATCH_ALL_PATHS.length + 1);
  });

  it('allows CORS from the configured origins only, with the methods and headers the widget uses', () => {
    const [, api] = resourceNamed(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Api', 'ApiHttpApi');
    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: FULL_CONTEXT.allowedOrigins.split(','),
      AllowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      AllowHeaders: ['content-type', 'idempotency-key', 'accept-language'],
    });
    expect(api.Properties.CorsConfiguration.AllowCredentials).toBeUndefined();
  });

  it('throttles the stage and writes JSON access logs without IP address or user agent', () => {
    const [, stage] = resourceNamed(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Stage', 'ApiStage');
    expect(stage.Properties.StageName).toBe('$default');
    // README (Deploy, "Lambda concurrency of new accounts"): 25 requests per second, bursts of 50.
    expect(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit).toBe(25);
    expect(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit).toBe(50);
    const format: string = stage.Properties.AccessLogSettings.Format;
    const fields = JSON.parse(format) as Record<string, string>;
    expect(fields.requestId).toBe('$context.requestId');
    expect(fields.status).toBe('$context.status');
    expect(format).not.toMatch(/sourceIp|userAgent|identity\.|querystring|header/i);
    const [logsId] = resourceNamed(synthesised.apiTemplate, 'AWS::Logs::LogGroup', 'ApiAccessLogs');
    expect(JSON.stringify(stage.Properties.AccessLogSettings.DestinationArn)).toContain(logsId);
  });

  it('outputs its URL and the embed snippet', () => {
    const outputs = synthesised.apiTemplate.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'DeskUrl', 'EmbedSnippet', 'WidgetUrl']),
    );
  });
});

describe('least privilege', () => {
  const statements = (roleLogicalIdPrefix: string) => {
    const [roleId] = resourceNamed(synthesised.apiTemplate, 'AWS::IAM::Role', roleLogicalIdPrefix);
    return statementsOfRole(synthesised.apiTemplate, roleId);
  };
  const actionsOf = (list: Record<string, any>[]) =>
    list.flatMap((s) => asArray(s.Action as string | string[]));

  it('gives the meta Lambda nothing but its own log group', () => {
    const actions = actionsOf(statements('MetaFunctionRole'));
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('lets no API Lambda but the desk query a private index (the notifier only its due digests, "Meine Daten" only her items); reader groups get the public ones', () => {
    const privateIndexes = Object.entries(TABLE_DEFINITION.indexes)
      .filter(([, index]) => !index.public)
      .map(([name]) => `/index/${name}`);
    expect(privateIndexes).toEqual(['/index/moderation', '/index/reader', '/index/desk']);
    for (const [id, policy] of resourcesOf(synthesised.apiTemplate, 'AWS::IAM::Policy')) {
      const text = JSON.stringify(policy.Properties.PolicyDocument);
      // The desk is the author's own page behind her session: it lists her queues and a reader's data.
      if (text.includes('DeskFunctionLogs')) continue;
      // The readers group finds a reader's own items by her lookup hash, behind her signed data link.
      const allowed = id.startsWith('NotificationsNotifierRole')
        ? ['/index/moderation']
        : id.startsWith('ReadersFunctionRole')
          ? ['/index/reader']
          : [];
      for (const index of privateIndexes) {
        if (!allowed.includes(index)) expect(text).not.toContain(`"${index}"`);
      }
    }
    expect(JSON.stringify(statements('DeskFunctionRole'))).toContain('"/index/moderation"');
    expect(JSON.stringify(statements('DeskFunctionRole'))).toContain('"/index/reader"');
    expect(JSON.stringify(statements('DeskFunctionRole'))).toContain('"/index/desk"');
    expect(JSON.stringify(statements('ReadersFunctionRole'))).toContain('"/index/reader"');
    for (const group of ['comments', 'wishes'] as const) {
      expect(JSON.stringify(statements(`${logicalPrefix(group)}Role`))).toContain('"/index/public"');
    }
  });

  it('grants item-level DynamoDB actions only: no Scan, no batch writes, no table management', () => {
    for (const [, policy] of resourcesOf(synthesised.apiTemplate, 'AWS::IAM::Policy')) {
      for (const action of actionsOf(policy.Properties.PolicyDocument.Statement)) {
        expect(action).not.toBe('*');
        if (!action.startsWith('dynamodb:')) continue;
        expect(action).toMatch(
          /^dynamodb:(GetItem|BatchGetItem|Query|PutItem|UpdateItem|DeleteItem|ConditionCheckItem|DescribeStream|GetRecords|GetShardIterator|ListStreams)$/,
        );
      }
    }
  });

  it('lets each group read only its own key secrets (lib/key-grants.ts), and nothing else in Secrets Manager', () => {
    const expected: Record<string, RegExp[]> = {
      comments: [/HashKeys/],
      wishes: [/HashKeys/],
      moderation: [/AuthorLinkKey/],
      meta: [],
    };
    for (const [group, secrets] of Object.entries(expected)) {
      const secretStatements = statements(`${logicalPrefix(group as 'comments')}Role`).filter((s) =>
        actionsOf([s]).some((a) => a.startsWith('secretsmanager:')),
      );
      const resources = secretStatements.flatMap((s) => asArray(s.Resource)).map((r) => JSON.stringify(r));
      expect(resources).toHaveLength(secrets.length);
      for (const secret of secrets) expect(resources.some((r) => secret.test(r))).toBe(true);
      if (secrets.length > 0) expect(actionsOf(secretStatements)).toEqual(['secretsmanager:GetSecretValue']);
    }
  });

  it('gives the reader-facing groups the public sealing key only, derived at deploy from the seed', () => {
    for (const group of ['comments', 'wishes'] as const) {
      const variables = groupFunction(group)[1].Properties.Environment.Variables;
      expect(variables.EMAIL_SEAL_PUBLIC_KEY).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^EmailSealKeyPublicKey/), 'PublicKey'],
      });
      expect(variables.SEAL_PRIVATE_KEY_SECRET_ARN).toBeUndefined();
      expect(variables.LEGACY_MASTER_SECRET_ARN).toBeUndefined();
    }
    const [deriveRole] = resourceNamed(synthesised.apiTemplate, 'AWS::IAM::Role', 'EmailSealKeyDeriveRole');
    const readable = statementsOfRole(synthesised.apiTemplate, deriveRole)
      .filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => asArray(s.Resource));
    expect(readable).toHaveLength(1);
    expect(JSON.stringify(readable)).toMatch(/EmailSealKey/);
  });
});
