/**
 * The first deploy: a synth without context keeps its placeholders, but the templates refuse to be
 * deployed with them (a CloudFormation rule naming the keys); the sender falls back to the author's
 * address; the privacy page reaches the widget; cross-stack references are weak (no exports); SES
 * can verify a whole domain with Easy DKIM or use an identity that exists; and two instances in one
 * account share no physical name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { embedSnippet } from '../../lib/api-stack';
import { parseConfig } from '../../lib/config';
import { grantSecretRead } from '../../lib/constructs/data-access';
import { createLeserpost } from '../../lib/leserpost';
import { PLACEHOLDER_PARAMETER, PLACEHOLDER_RULE } from '../../lib/placeholder-guard';
import {
  asArray,
  FULL_CONTEXT,
  newApp,
  resourceNamed,
  resourcesOf,
  type Synthesised,
  statementsOfRole,
  synthLeserpost,
  widgetFixture,
} from './synth';

const ROOT = join(__dirname, '..', '..');

let demo: Synthesised;
let full: Synthesised;
beforeAll(() => {
  const warn = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    demo = synthLeserpost({});
  } finally {
    warn.mockRestore();
  }
  full = synthLeserpost(FULL_CONTEXT);
}, 180_000);

/**
 * What CloudFormation does with a template's Rules before it creates anything: evaluates each
 * assertion with the parameter values (here the defaults) and fails with the AssertDescription.
 * Only the functions the templates use; anything else fails this test.
 */
function failedAssertions(template: Template): string[] {
  const json = template.toJSON() as {
    Parameters?: Record<string, { Default?: string }>;
    Rules?: Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;
  };
  const evaluate = (expression: any): unknown => {
    if (typeof expression === 'string') return expression;
    if ('Ref' in expression) return json.Parameters?.[expression.Ref]?.Default;
    if ('Fn::Equals' in expression) {
      const [a, b] = expression['Fn::Equals'].map(evaluate);
      return a === b;
    }
    if ('Fn::Not' in expression) return !evaluate(expression['Fn::Not'][0]);
    throw new Error(`This test does not know ${JSON.stringify(expression)}`);
  };
  // CDK's own BootstrapVersion rule checks the bootstrap stack, not the configuration.
  const rules = Object.entries(json.Rules ?? {}).filter(([name]) => name !== 'CheckBootstrapVersion');
  return rules
    .map(([, rule]) => rule)
    .flatMap((rule) =>
      rule.Assertions.filter((assertion) => evaluate(assertion.Assert) !== true).map(
        (assertion) => assertion.AssertDescription,
      ),
    );
}

describe('placeholders', () => {
  it('the sender falls back to the author’s address, not to a placeholder', () => {
    const config = parseConfig({ authorEmail: 'jana@marketing-mit-herz.de' });
    expect(config.senderEmail).toBe('jana@marketing-mit-herz.de');
    expect(config.placeholders).toEqual(['allowedOrigins']);
  });

  it('a synth without context works; deploying its templates fails before anything is created, naming the keys', () => {
    for (const template of [demo.dataTemplate, demo.apiTemplate]) {
      const failures = failedAssertions(template);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain('allowedOrigins, authorEmail, senderEmail');
      expect(failures[0]).toContain('-c authorEmail=');
    }
    // The demo still creates its SES identity for the placeholder, which is why the rule must hold.
    expect(JSON.stringify(demo.apiTemplate.toJSON())).toContain('leserpost@blog.example');
  });

  it('names only the key left at a placeholder', () => {
    const app = newApp({ authorEmail: 'jana@marketing-mit-herz.de' });
    const { api } = createLeserpost(app, { widgetDir: widgetFixture() });
    const warn = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      app.synth();
    } finally {
      warn.mockRestore();
    }
    const failures = failedAssertions(Template.fromStack(api));
    expect(failures).toEqual([expect.stringMatching(/^Leserpost: allowedOrigins still at a placeholder/)]);
  }, 120_000);

  it('a full configuration deploys without rule or parameter', () => {
    for (const template of [full.dataTemplate, full.apiTemplate]) {
      const json = template.toJSON();
      expect(json.Rules?.[PLACEHOLDER_RULE]).toBeUndefined();
      expect(json.Parameters?.[PLACEHOLDER_PARAMETER]).toBeUndefined();
      expect(failedAssertions(template)).toEqual([]);
    }
  });
});

describe('the privacy page', () => {
  it('is in the embed snippet, as the attribute the widget reads', () => {
    const snippet = JSON.stringify(full.apiTemplate.findOutputs('EmbedSnippet').EmbedSnippet!.Value);
    expect(snippet).toContain(`data-privacy-url=\\"${FULL_CONTEXT.privacyUrl}\\"`);
    // data-privacy-url is dataset.privacyUrl in the widget's script-tag configuration.
    expect(readFileSync(join(ROOT, 'widget/src/main.ts'), 'utf8')).toContain('dataset.privacyUrl');
  });

  it('is left out without one, and escaped inside the attribute', () => {
    expect(embedSnippet('https://cdn/leserpost.js', 'https://api/')).not.toContain('privacy');
    expect(embedSnippet('s', 'a', 'r', 'https://blog.example/p?a=1&b="x"')).toContain(
      'data-privacy-url="https://blog.example/p?a=1&amp;b=&quot;x&quot;"',
    );
  });
});

describe('cross-stack references', () => {
  it('are weak: the data stack exports nothing and the API stack imports nothing', () => {
    const outputs = Object.values(full.dataTemplate.toJSON().Outputs ?? {}) as { Export?: unknown }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) expect(output.Export).toBeUndefined();
    const api = JSON.stringify(full.apiTemplate.toJSON());
    expect(api).not.toContain('Fn::ImportValue');
    expect(api).toContain('"Fn::GetStackOutput":{"StackName":"LeserpostData"');
  });

  it('let the API stack change (another grant) without touching the data stack', () => {
    const app = newApp(FULL_CONTEXT);
    const { api, data } = createLeserpost(app, { widgetDir: widgetFixture() });
    const role = new Role(api, 'AnotherRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [data.table.tableArn] }),
    );
    grantSecretRead(role, data, ['hashKeys']);
    app.synth();
    expect(Template.fromStack(data).toJSON()).toEqual(full.dataTemplate.toJSON());
    expect(JSON.stringify(Template.fromStack(api).toJSON())).toContain('AnotherRole');
  }, 120_000);
});

describe('SES', () => {
  const DOMAIN = 'marketing-mit-herz.example';
  let domain: Synthesised;
  let existing: Synthesised;
  beforeAll(() => {
    domain = synthLeserpost({ ...FULL_CONTEXT, senderDomain: DOMAIN, mailFromDomain: `mail.${DOMAIN}` });
    existing = synthLeserpost({ ...FULL_CONTEXT, senderDomain: DOMAIN, useExistingIdentity: 'true' });
  }, 180_000);

  it('verifies a whole domain with Easy DKIM and a custom MAIL FROM, covering the author on it', () => {
    const identities = resourcesOf(domain.apiTemplate, 'AWS::SES::EmailIdentity');
    expect(identities).toHaveLength(1);
    const [, identity] = identities[0]!;
    expect(identity.Properties.EmailIdentity).toBe(DOMAIN);
    expect(identity.Properties.DkimAttributes?.SigningEnabled ?? true).toBe(true);
    expect(identity.Properties.DkimSigningAttributes?.DomainSigningSelector).toBeUndefined();
    expect(identity.Properties.MailFromAttributes).toEqual({
      MailFromDomain: `mail.${DOMAIN}`,
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
  });

  it('outputs the DNS records to create: three DKIM CNAMEs, MAIL FROM MX and SPF, a DMARC start', () => {
    const outputs = domain.apiTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    const [identityId] = resourcesOf(domain.apiTemplate, 'AWS::SES::EmailIdentity')[0]!;
    for (const n of [1, 2, 3]) {
      const value = JSON.stringify(outputs[`DkimRecord${n}`]!.Value);
      expect(value).toContain(`"Fn::GetAtt":["${identityId}","DkimDNSTokenName${n}"]`);
      expect(value).toContain(' CNAME ');
      expect(value).toContain(`"Fn::GetAtt":["${identityId}","DkimDNSTokenValue${n}"]`);
    }
    expect(JSON.stringify(outputs.MailFromMxRecord!.Value)).toMatch(
      new RegExp(`mail\\.${DOMAIN} MX 10 feedback-smtp\\.".*AWS::Region.*"\\.amazonses\\.com`),
    );
    expect(outputs.MailFromSpfRecord!.Value).toBe(`mail.${DOMAIN} TXT "v=spf1 include:amazonses.com ~all"`);
    expect(outputs.DmarcRecord!.Value).toBe(`_dmarc.${DOMAIN} TXT "v=DMARC1; p=none;"`);
    // An address identity has no DNS records to publish.
    expect(Object.keys(full.apiTemplate.toJSON().Outputs)).not.toContain('DkimRecord1');
  });

  it('uses an identity that exists: creates none, grants sending on its ARN', () => {
    expect(resourcesOf(existing.apiTemplate, 'AWS::SES::EmailIdentity')).toEqual([]);
    const [roleId] = resourceNamed(existing.apiTemplate, 'AWS::IAM::Role', 'NotificationsNotifierRole');
    const send = statementsOfRole(existing.apiTemplate, roleId).find((s) =>
      asArray(s.Action).includes('ses:SendEmail'),
    )!;
    const resources = JSON.stringify(send.Resource);
    expect(resources).toContain(`:identity/${DOMAIN}"`);
    expect(resources).toContain('configuration-set/');
  });

  it.each([
    [{ senderDomain: 'other.example' }, /senderDomain: the sender address .* is not on other\.example/],
    [{ mailFromDomain: 'mail.marketing-mit-herz.example' }, /mailFromDomain: needs senderDomain/],
    [
      { senderDomain: 'marketing-mit-herz.example', mailFromDomain: 'mail.elsewhere.example' },
      /mailFromDomain: must be a subdomain of marketing-mit-herz\.example/,
    ],
    [{ senderDomain: 'not a domain' }, /senderDomain: "not a domain" is not a domain/],
    [{ useExistingIdentity: 'maybe' }, /useExistingIdentity: must be true or false/],
    [{ instance: 'zwei blogs' }, /instance: "zwei blogs" is not an instance name/],
  ])('refuses %j with a message naming the key', (context, message) => {
    expect(() => parseConfig({ ...FULL_CONTEXT, ...context })).toThrow(message);
  });
});

/** Properties that name a resource uniquely within an account (and region). */
const NAME_KEYS = new Set([
  'AlarmName',
  'TableName',
  'TopicName',
  'QueueName',
  'FunctionName',
  'RoleName',
  'LogGroupName',
  'BucketName',
  'AliasName',
  'ConfigurationSetName',
]);
const NAMED_TYPES = new Set(['AWS::SSM::Parameter', 'AWS::SecretsManager::Secret']);

/** Every physical name a resource sets, explicitly or generated by CDK (not by CloudFormation). */
function physicalNames(template: Template): string[] {
  const names: string[] = [];
  const visit = (value: unknown, key: string, parent: string, type: string) => {
    if (typeof value === 'string') {
      const configName = key === 'Name' && (parent.endsWith('Config') || NAMED_TYPES.has(type));
      if (NAME_KEYS.has(key) || configName) names.push(value);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) if (!k.startsWith('Fn::')) visit(v, k, key, type);
    }
  };
  const resources = Object.values(template.toJSON().Resources ?? {}) as {
    Type: string;
    Properties?: object;
  }[];
  for (const resource of resources) visit(resource.Properties ?? {}, '', '', resource.Type);
  return names;
}

describe('instances', () => {
  it('keeps the default stack names without an instance', () => {
    expect([full.data.stackName, full.api.stackName]).toEqual(['LeserpostData', 'LeserpostApi']);
  });

  it('lets two blogs live side by side in one account: other stacks, no shared physical name', () => {
    const one = synthLeserpost({ ...FULL_CONTEXT, instance: 'herz' });
    const two = synthLeserpost({ ...FULL_CONTEXT, instance: 'zweiterBlog' });
    expect([one.data.stackName, one.api.stackName]).toEqual(['LeserpostHerzData', 'LeserpostHerzApi']);
    expect(two.api.stackName).toBe('LeserpostZweiterBlogApi');
    const namesOf = (s: Synthesised) => [...physicalNames(s.dataTemplate), ...physicalNames(s.apiTemplate)];
    const [a, b] = [namesOf(one), namesOf(two)];
    // The account-global ones the issue is about are among them.
    const globalNames = (s: Synthesised) => [
      resourceNamed(s.apiTemplate, 'AWS::CloudFront::ResponseHeadersPolicy', 'WidgetHeaders')[1].Properties
        .ResponseHeadersPolicyConfig.Name,
      ...resourcesOf(s.apiTemplate, 'AWS::CloudFront::OriginAccessControl').map(
        ([, oac]) => oac.Properties.OriginAccessControlConfig.Name,
      ),
    ];
    expect(globalNames(one)).toHaveLength(2);
    for (const name of globalNames(one)) expect(a).toContain(name);
    expect(a.filter((name) => b.includes(name))).toEqual([]);
    // The API stack reads the data stack of its own instance.
    expect(JSON.stringify(one.apiTemplate.toJSON())).toContain('"StackName":"LeserpostHerzData"');
  }, 240_000);
});
