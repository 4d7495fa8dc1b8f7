/**
 * The readers' GETs through the widget's CloudFront distribution: which routes are cached, their
 * cache policies (lifetime from LIMITS.edgeCache, Origin and the route's query parameters only, no
 * cookie, no Authorization), compression, and that writes, moderation and the OpenAPI document
 * stay off the edge. cdk-nag stays clean (test/infra/nag.test.ts synthesises the same app).
 */
import { LIMITS } from '../../functions/core/limits';
import { ROUTES } from '../../functions/routes';
import { FULL_CONTEXT, resourceNamed, resourcesOf, type Synthesised, synthLeserpost } from './synth';

let synthesised: Synthesised;
beforeAll(() => {
  synthesised = synthLeserpost(FULL_CONTEXT);
}, 120_000);

const config = () =>
  resourceNamed(synthesised.apiTemplate, 'AWS::CloudFront::Distribution', 'WidgetCdn')[1].Properties
    .DistributionConfig;
const behaviours = (): Record<string, any> =>
  Object.fromEntries((config().CacheBehaviors as any[]).map((b) => [b.PathPattern, b]));
const policies = () =>
  Object.fromEntries(resourcesOf(synthesised.apiTemplate, 'AWS::CloudFront::CachePolicy'));
/** The cache policy a behaviour refers to (ours by Ref, a managed one by its id). */
const policyOf = (behaviour: any) => policies()[behaviour.CachePolicyId.Ref]?.Properties.CachePolicyConfig;

// AWS's managed policies: CachingDisabled and the CORS-CustomOrigin origin request policy.
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CORS_CUSTOM_ORIGIN = '59781a5b-3903-41f3-afcb-af62929ccde1';

describe('reads through the edge', () => {
  it('has a behaviour for each reader GET, and none for writes, moderation or the API description', () => {
    const reads = ROUTES.filter((route) => route.edge).map((route) => route.path);
    expect(Object.keys(behaviours()).sort()).toEqual([...reads].sort());
    for (const path of ['/moderate', '/openapi.json', '/wishes/{id}/vote']) {
      expect(Object.keys(behaviours())).not.toContain(path);
    }
    for (const behaviour of Object.values(behaviours())) {
      expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(behaviour.ViewerProtocolPolicy).toBe('https-only');
      expect(behaviour.Compress).toBe(true);
    }
  });

  it('goes to the HTTP API over HTTPS, by its host name', () => {
    const origins = config().Origins as any[];
    const [apiId] = resourceNamed(synthesised.apiTemplate, 'AWS::ApiGatewayV2::Api', 'ApiHttpApi');
    const api = origins.find((origin) => JSON.stringify(origin.DomainName).includes(apiId));
    expect(api.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(api.DomainName['Fn::Select'][0]).toBe(2);
    const target = api.Id;
    for (const behaviour of Object.values(behaviours())) expect(behaviour.TargetOriginId).toBe(target);
  });

  it.each(ROUTES.filter((route) => route.edge?.cache === 'public').map((r) => [r.path, r] as const))(
    'caches GET %s for the limit, keyed on Origin and its own query parameters only',
    (path, route) => {
      const behaviour = behaviours()[path];
      // No origin request policy: CloudFront forwards exactly the cache key, so no cookie,
      // no Authorization and no other header reaches the API.
      expect(behaviour.OriginRequestPolicyId).toBeUndefined();
      const policy = policyOf(behaviour);
      expect(policy).toBeDefined();
      // Cache policy names are unique per account: this one is made from the stack's construct path
      // and the region, so several stacks (and instances) can live in one account.
      expect(JSON.stringify(policy.Name)).toContain(synthesised.api.node.id);
      expect(policy).toMatchObject({
        DefaultTTL: LIMITS.edgeCache.maxAgeSeconds,
        MaxTTL: LIMITS.edgeCache.maxAgeSeconds,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: {
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin'] },
          QueryStringsConfig: {
            QueryStringBehavior: 'whitelist',
            QueryStrings: [...(route.edge as any).query],
          },
        },
      });
    },
  );

  it('shares one cache policy among the reads with the same query parameters (few are allowed per account)', () => {
    const keys = new Set(
      ROUTES.flatMap((route) => (route.edge?.cache === 'public' ? [route.edge.query.join(',')] : [])),
    );
    expect(Object.keys(policies())).toHaveLength(keys.size);
    // Both feeds are cached like the other public reads, with the policy of /wishes/credit.
    const credit = behaviours()['/wishes/credit'].CachePolicyId;
    expect(behaviours()['/feeds/comments'].CachePolicyId).toEqual(credit);
    expect(behaviours()['/feeds/wishes'].CachePolicyId).toEqual(credit);
  });

  it('passes the guard through uncached, with only the Origin header', () => {
    const guard = behaviours()['/guard'];
    expect(guard.CachePolicyId).toBe(CACHING_DISABLED);
    expect(guard.OriginRequestPolicyId).toBe(CORS_CUSTOM_ORIGIN);
  });

  it('keeps the widget files as they were (default behaviour to the bucket)', () => {
    expect(config().DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    const bucket = (config().Origins as any[]).find((origin) => origin.S3OriginConfig);
    expect(config().DefaultCacheBehavior.TargetOriginId).toBe(bucket.Id);
  });

  it('outputs the reads URL (the distribution)', () => {
    const reads = synthesised.apiTemplate.findOutputs('ReadsUrl').ReadsUrl!.Value;
    const [distributionId] = resourceNamed(
      synthesised.apiTemplate,
      'AWS::CloudFront::Distribution',
      'WidgetCdn',
    );
    expect(reads['Fn::Join'][1]).toEqual(['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]);
  });
});
