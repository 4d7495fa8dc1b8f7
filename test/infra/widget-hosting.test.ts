/**
 * Widget hosting: a private bucket only CloudFront reads (origin access control), the build
 * uploaded under an immutable versioned path and under the short-cached stable name, and the
 * embed snippet as a stack output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVersion } from '../../lib/constructs/widget-hosting';
import {
  asArray,
  FULL_CONTEXT,
  resourceNamed,
  resourcesOf,
  type Synthesised,
  synthLeserpost,
  widgetFixture,
} from './synth';

let synthesised: Synthesised;
const widgetDir = widgetFixture('console.log("version one")');
beforeAll(() => {
  synthesised = synthLeserpost(FULL_CONTEXT, { widgetDir });
}, 120_000);

const bucket = () => resourceNamed(synthesised.apiTemplate, 'AWS::S3::Bucket', 'WidgetBucket');
const distribution = () =>
  resourceNamed(synthesised.apiTemplate, 'AWS::CloudFront::Distribution', 'WidgetCdn')[1].Properties
    .DistributionConfig;

describe('the widget bucket', () => {
  it('is private, encrypted and owner-enforced', () => {
    expect(bucket()[1].Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('refuses plain HTTP and lets CloudFront read only for this distribution', () => {
    const [bucketId] = bucket();
    const [, policy] = resourcesOf(synthesised.apiTemplate, 'AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === bucketId,
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    const [distributionId] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::CloudFront::Distribution',
      'WidgetCdn',
    );
    const cloudfrontRead = statements.find((s) => s.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(asArray(cloudfrontRead.Action)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(cloudfrontRead.Condition)).toContain(distributionId);
    // Nobody else is allowed anything.
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      expect(statement.Principal).not.toBe('*');
    }
  });
});

describe('the distribution', () => {
  it('reads the bucket through an origin access control, never publicly', () => {
    const config = distribution();
    const [oacId] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::CloudFront::OriginAccessControl',
      'WidgetCdnOrigin',
    );
    // The bucket, and the HTTP API for the readers' GETs (test/infra/edge-reads.test.ts).
    const buckets = config.Origins.filter((origin: any) => origin.S3OriginConfig);
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({
      OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: buckets[0].Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
    });
  });

  it('allows the blog origins to load the wish chunk (a CORS request)', () => {
    const [, policy] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::CloudFront::ResponseHeadersPolicy',
      'WidgetHeaders',
    );
    const cors = policy.Properties.ResponseHeadersPolicyConfig.CorsConfig;
    expect(cors.AccessControlAllowOrigins.Items).toEqual(FULL_CONTEXT.allowedOrigins.split(','));
    expect(cors.AccessControlAllowCredentials).toBe(false);
  });
});

describe('the deployments', () => {
  const deployments = () =>
    resourcesOf(synthesised.apiTemplate, 'Custom::CDKBucketDeployment').map(([, d]) => d.Properties);
  const version = () => buildVersion(widgetDir);

  it('upload the build under an immutable versioned path, cached for a year', () => {
    const versioned = deployments().find((d) => d.DestinationBucketKeyPrefix === `v/${version()}/`);
    expect(versioned).toBeDefined();
    expect(versioned!.SystemMetadata['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(versioned!.Prune).toBe(false);
  });

  it('and under the stable names, cached five minutes, never deleting older versions', () => {
    const stable = deployments().find((d) => d.DestinationBucketKeyPrefix === undefined);
    expect(stable).toBeDefined();
    expect(stable!.SystemMetadata['cache-control']).toBe('public, max-age=300');
    expect(stable!.SystemMetadata['content-type']).toBe('text/javascript; charset=utf-8');
    expect(stable!.Prune).toBe(false);
  });

  it('output the exact embed snippet: the widget, reads through the edge, writes to the API', () => {
    const snippet = synthesised.apiTemplate.findOutputs('EmbedSnippet').EmbedSnippet!.Value;
    const text = JSON.stringify(snippet);
    const [distributionId] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::CloudFront::Distribution',
      'WidgetCdn',
    );
    const [apiId] = resourceNamed(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Api', 'ApiHttpApi');
    expect(snippet['Fn::Join'][1]).toEqual([
      '<script src="https://',
      { 'Fn::GetAtt': [distributionId, 'DomainName'] },
      '/leserpost.js" data-api="',
      { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] },
      '" data-reads="https://',
      { 'Fn::GetAtt': [distributionId, 'DomainName'] },
      `" data-privacy-url="${FULL_CONTEXT.privacyUrl}" defer></script>\n<leserpost-comments></leserpost-comments>`,
    ]);
    expect(text).not.toContain('undefined');
    const versioned = synthesised.apiTemplate.findOutputs('WidgetVersionedUrl').WidgetVersionedUrl!.Value;
    expect(JSON.stringify(versioned)).toContain(`/v/${version()}/leserpost.js`);
  });
});

describe('the build version', () => {
  it('changes with the content of any file and is stable otherwise', () => {
    const a = widgetFixture('console.log("a")');
    const b = widgetFixture('console.log("b")');
    expect(buildVersion(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(buildVersion(a)).toBe(buildVersion(widgetFixture('console.log("a")')));
    expect(buildVersion(a)).not.toBe(buildVersion(b));
    writeFileSync(join(a, 'leserpost-wishes.js'), 'export const wishes = 2;');
    expect(buildVersion(a)).not.toBe(buildVersion(widgetFixture('console.log("a")')));
  });

  it('refuses a folder that is not a widget build', () => {
    const empty = mkdtempSync(join(tmpdir(), 'leserpost-not-widget-'));
    expect(() => buildVersion(empty)).toThrow(/needs leserpost\.js/);
    const withMap = widgetFixture();
    writeFileSync(join(withMap, 'leserpost.js.map'), '{}');
    expect(() => buildVersion(withMap)).toThrow(/found leserpost\.js\.map/);
  });
});
