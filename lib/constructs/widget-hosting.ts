/**
 * Hosts the built widget: a private, encrypted S3 bucket that only CloudFront can read (origin
 * access control), served over HTTPS. Every build is uploaded twice:
 * - `v/<content hash>/leserpost.js` (+ its wish chunk), cached for a year, immutable: pin this URL
 *   and a page never gets a half-updated widget;
 * - `leserpost.js` (+ chunk) at the root, cached five minutes: the URL in the embed snippet, which
 *   picks up new versions by itself.
 * The widget loads its chunk relative to its own URL, so both layouts work unchanged.
 *
 * With `api`, the same distribution also answers the readers' GETs (every route of
 * functions/routes.ts with `edge`) from the HTTP API: the public reads cached for
 * LIMITS.edgeCache seconds (cache key: Origin and the route's query parameters, no cookie, no
 * Authorization), the guard passed through uncached. Writes go to the API's own URL, so the
 * per-IP limits keep seeing the reader's address rather than an edge server's.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { LIMITS } from '../../functions/core/limits';
import { EDGE_ROUTES } from '../../functions/routes';
import { acknowledge } from '../nag';
import { LOG_RETENTION } from './lambda-function';

export const WIDGET_SCRIPT = 'leserpost.js';
export const STABLE_MAX_AGE = Duration.minutes(5);
const CONTENT_TYPE = 'text/javascript; charset=utf-8';

export interface WidgetHostingProps {
  /** A folder with the built widget (widget/build.ts buildWidget): leserpost.js and its chunks. */
  assetDir: string;
  /** Blog origins that may load the wish chunk (a dynamic import is a CORS request). */
  allowedOrigins: string[];
  /** The HTTP API's base URL: its readers' GETs are then served through this distribution too. */
  api?: { url: string };
}

export class WidgetHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Content hash of the build: the versioned folder's name. */
  readonly version: string;
  /** Short-cached, stable URL (the one in the embed snippet). */
  readonly scriptUrl: string;
  /** Immutable URL of exactly this build. */
  readonly versionedScriptUrl: string;
  /** Base URL of the readers' GETs through the edge (with `api`), else undefined. */
  readonly readsUrl?: string;

  constructor(scope: Construct, id: string, props: WidgetHostingProps) {
    super(scope, id);
    this.version = buildVersion(props.assetDir);

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only build output lives here: the stateless stack may delete it with everything in it.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    acknowledge(this.bucket, {
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Holds only the public, reproducible widget build; CloudFront (origin access control) is the ' +
        'only reader and the CDK deployment the only writer, so object access logs would record ' +
        'nothing but CloudFront cache fills and need a second bucket.',
    });

    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Leserpost widget: CORS for the blog (module chunk), nosniff, HSTS',
      corsBehavior: {
        accessControlAllowOrigins: props.allowedOrigins,
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
      },
    });

    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Leserpost widget',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Honours the objects' Cache-Control (5 minutes or a year), compresses with gzip/brotli.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: props.api ? this.readBehaviours(props.api.url) : {},
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
    });
    acknowledge(
      this.distribution,
      {
        id: 'AwsSolutions::AwsSolutions-CFR1',
        reason: 'The widget serves the readers of a public blog wherever they are; no country is excluded.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR2',
        reason:
          'Serves two static, edge-cached JavaScript files from a private bucket: no dynamic origin or ' +
          'input for a WAF web ACL to protect; the API has its own throttling and guards.',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR3',
        reason:
          'CloudFront access logs would record the IP address and user agent of every blog reader; ' +
          'Leserpost deliberately does not track readers (data minimisation under the GDPR).',
      },
      {
        id: 'AwsSolutions::AwsSolutions-CFR4',
        reason:
          'Uses the default *.cloudfront.net certificate (no custom domain), for which CloudFront fixes ' +
          'the viewer security policy; browsers negotiate TLS 1.2 or 1.3 with it.',
      },
    );

    const deploymentRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Leserpost: copies the widget build into its bucket',
    });
    const deploymentLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    deploymentLogs.grantWrite(deploymentRole);
    const common = {
      destinationBucket: this.bucket,
      contentType: CONTENT_TYPE,
      // Never delete: pages that pinned an older version keep working.
      prune: false,
      role: deploymentRole,
      logGroup: deploymentLogs,
    };
    const versioned = new BucketDeployment(this, 'Versioned', {
      ...common,
      sources: [Source.asset(props.assetDir)],
      destinationKeyPrefix: `v/${this.version}/`,
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
    });
    const stable = new BucketDeployment(this, 'Stable', {
      ...common,
      sources: [Source.asset(props.assetDir)],
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(STABLE_MAX_AGE)],
    });
    // The stable names switch only once the new version is complete.
    stable.node.addDependency(versioned);
    acknowledgeDeploymentFindings(this, deploymentRole, this.bucket);

    const base = `https://${this.distribution.distributionDomainName}`;
    this.scriptUrl = `${base}/${WIDGET_SCRIPT}`;
    this.versionedScriptUrl = `${base}/v/${this.version}/${WIDGET_SCRIPT}`;
    if (props.api) this.readsUrl = base;
  }

  /**
   * One behaviour per reader GET, at the API's own path. The cache policies get no name here:
   * CDK makes one from the construct path and region, unique per stack in an account.
   */
  private readBehaviours(apiUrl: string): Record<string, BehaviorOptions> {
    // https://{id}.execute-api.{region}.amazonaws.com → its host name.
    const origin = new HttpOrigin(Fn.select(2, Fn.split('/', apiUrl)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    });
    const { maxAgeSeconds } = LIMITS.edgeCache;
    const policies = new Map<string, CachePolicy>();
    const behaviours: Record<string, BehaviorOptions> = {};
    for (const route of EDGE_ROUTES) {
      const common = {
        origin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        compress: true,
      };
      if (route.edge?.cache !== 'public') {
        // Fresh for every request; only the Origin header goes on, for the CORS answer.
        behaviours[route.path] = {
          ...common,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.CORS_CUSTOM_ORIGIN,
        };
        continue;
      }
      const query = route.edge.query.join(',');
      let policy = policies.get(query);
      if (!policy) {
        policy = new CachePolicy(this, `ReadCache${policies.size}`, {
          comment: `Leserpost public reads (query: ${query})`,
          // The API's s-maxage rules within these bounds; no answer outlives the limit.
          defaultTtl: Duration.seconds(maxAgeSeconds),
          minTtl: Duration.seconds(0),
          maxTtl: Duration.seconds(maxAgeSeconds),
          // The CORS answer depends on Origin: one entry per allowed origin. Nothing else.
          headerBehavior: CacheHeaderBehavior.allowList('Origin'),
          cookieBehavior: CacheCookieBehavior.none(),
          queryStringBehavior: CacheQueryStringBehavior.allowList(...route.edge.query),
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        });
        policies.set(query, policy);
      }
      // Without an origin request policy CloudFront forwards exactly the cache key.
      behaviours[route.path] = { ...common, cachePolicy: policy };
    }
    return behaviours;
  }
}

/**
 * BucketDeployment is CDK's own custom resource: its grants (asset bucket read, widget bucket write)
 * use S3 wildcards, and its Python handler's runtime is pinned by the aws-cdk-lib release.
 */
function acknowledgeDeploymentFindings(scope: Construct, role: Role, bucket: Bucket): void {
  const stack = Stack.of(scope);
  const reasonS3 =
    'Granted by CDK BucketDeployment, scoped to two buckets: it reads the widget asset zip from the ' +
    'CDK bootstrap asset bucket and syncs the files into the widget bucket (prune is off: no deletes).';
  const actions = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'];
  for (const action of actions) {
    acknowledge(role, { id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`, reason: reasonS3 });
  }
  const bucketLogicalId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
  acknowledge(role, {
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
    reason: 'The deployment writes the widget files, which are objects of this one bucket.',
  });
  // The stacks are environment-agnostic, so cdk-nag sees the bootstrap bucket's name with placeholders.
  const qualifier =
    stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  acknowledge(role, {
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
    reason: 'The deployment reads the widget asset zip, an object of the CDK bootstrap asset bucket.',
  });
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
      acknowledge(child, {
        id: 'AwsSolutions::AwsSolutions-L1',
        reason:
          "CDK BucketDeployment's handler (Python with the AWS CLI layer) runs only during a deploy; its " +
          'runtime is pinned and updated by the aws-cdk-lib release, not by this app.',
      });
    }
  }
}

/** A content hash of the build folder; refuses a folder that is not a widget build. */
export function buildVersion(assetDir: string): string {
  const files = readdirSync(assetDir).sort();
  const foreign = files.filter((file) => !file.endsWith('.js'));
  if (!files.includes(WIDGET_SCRIPT) || foreign.length > 0) {
    throw new Error(
      `${assetDir} is not a widget build: it needs ${WIDGET_SCRIPT} and only .js files` +
        (foreign.length > 0 ? ` (found ${foreign.join(', ')})` : '') +
        '. Build it with buildWidget() from widget/build.ts.',
    );
  }
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(assetDir, file)));
  return hash.digest('hex').slice(0, 16);
}
