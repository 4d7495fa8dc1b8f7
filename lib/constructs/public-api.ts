/**
 * The HTTP API (payload 2.0): one route per entry of functions/routes.ts to its group's Lambda,
 * any other path under /desk to the desk Lambda (its HTML 404/405 pages), `$default` to the meta
 * Lambda (so other unknown paths and wrong methods get our JSON 404/405), CORS for
 * the blog's origins, stage throttling as the outer guard, and access logs without any PII.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_POLICY } from '../../functions/http/cors-policy';
import { DESK_CATCH_ALL_PATHS, type HandlerGroup, ROUTES } from '../../functions/routes';
import { acknowledge } from '../nag';
import { LOG_RETENTION } from './lambda-function';

/** Outer guard for the whole API; the per-IP and per-page limits in DynamoDB are the fine ones. */
export const THROTTLE = { rateLimit: 25, burstLimit: 50 };

/** From the one CORS policy the handlers answer with locally (functions/http/cors-policy.ts). */
export const CORS_METHODS = CORS_POLICY.allowMethods.map((method) => CorsHttpMethod[method]);
export const CORS_HEADERS = [...CORS_POLICY.allowHeaders];

/**
 * One JSON line per request. Deliberately absent: $context.identity.sourceIp, userAgent, the query
 * string (page paths, tokens) and any header: nothing that identifies a reader.
 */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

export interface PublicApiProps {
  allowedOrigins: string[];
  /** The Lambda that answers /openapi.json and every request no other route takes. */
  fallback: IFunction;
}

export class PublicApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Base URL without a trailing slash (the $default stage serves at the root). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Leserpost: comments and topic wishes for the blog',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Fallback', props.fallback),
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: CORS_METHODS,
        allowHeaders: CORS_HEADERS,
        exposeHeaders: [...CORS_POLICY.exposeHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.httpApi.apiEndpoint;
    // On this construct: it covers the $default route and every route added below.
    acknowledge(this, {
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'A public comment API: readers are anonymous by design (no accounts). Writes are protected by ' +
        'validation, spam guards, per-IP rate limits and stage throttling; moderation actions by ' +
        'single-use HMAC-signed link tokens checked in the handler.',
    });
  }

  /** Routes every entry of ROUTES that belongs to `group` to `handler`. */
  addGroupRoutes(group: HandlerGroup, handler: IFunction): void {
    const routes = ROUTES.filter((route) => route.group === group);
    if (routes.length === 0) return;
    const integration = new HttpLambdaIntegration(`${group}Integration`, handler);
    for (const route of routes) {
      new HttpRoute(this, `${route.operationId}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
      });
    }
    if (group !== 'desk') return;
    DESK_CATCH_ALL_PATHS.forEach((path, i) => {
      new HttpRoute(this, `deskCatchAll${i}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, HttpMethod.ANY),
        integration,
      });
    });
  }
}
