/**
 * Synthesises the real app (lib/leserpost.ts) with the context flags of cdk.json, cdk-nag on, and
 * Lambda bundling skipped, as unit tests of CDK apps do. The widget is a tiny fixture build in a
 * temporary folder, so these tests need neither esbuild output nor the widget sources.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createLeserpost, type Leserpost } from '../../lib/leserpost';

const ROOT = join(__dirname, '..', '..');
const CDK_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;

/** A stand-in for buildWidget()'s output: the two files the real build makes. */
export function widgetFixture(contents = 'console.log("leserpost")'): string {
  const dir = mkdtempSync(join(tmpdir(), 'leserpost-widget-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'leserpost.js'), contents);
  writeFileSync(join(dir, 'leserpost-wishes.js'), 'export const wishes = () => {};');
  return dir;
}

export interface Synthesised extends Leserpost {
  app: App;
  dataTemplate: Template;
  apiTemplate: Template;
  /** The policy validation report (cdk-nag findings and acknowledgements) of the cloud assembly. */
  report: ValidationReport;
}

export interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: { ruleName: string; severity?: string; violatingConstructs?: { constructPath: string }[] }[];
    suppressedViolations?: {
      ruleName: string;
      acknowledgedId: string;
      acknowledgedAt: string;
      reason: string;
    }[];
  }[];
}

export interface SynthOptions {
  widgetDir?: string;
  /**
   * CDK's built-in CloudFormation validation, as in `cdk synth`. Slow (seconds per synth) and about
   * template validity rather than content, so only the cdk-nag tests, which mirror the real synth, turn it on.
   */
  cloudFormationValidation?: boolean;
}

export function newApp(context: Record<string, unknown> = {}, options: SynthOptions = {}): App {
  return new App({
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
}

export function synthLeserpost(
  context: Record<string, unknown> = {},
  options: SynthOptions = {},
): Synthesised {
  const widgetDir = options.widgetDir ?? widgetFixture();
  const app = newApp(context, options);
  const leserpost = createLeserpost(app, { widgetDir });
  const assembly = app.synth();
  const report = JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return {
    ...leserpost,
    app,
    dataTemplate: Template.fromStack(leserpost.data),
    apiTemplate: Template.fromStack(leserpost.api),
    report,
  };
}

/** A context that sets every key, with values unlike the defaults. */
export const FULL_CONTEXT = {
  allowedOrigins: 'https://marketing-mit-herz.example,https://www.marketing-mit-herz.example',
  authorEmail: 'jana@marketing-mit-herz.example',
  senderEmail: 'leserpost@marketing-mit-herz.example',
  siteName: 'Marketing mit Herz',
  siteLang: 'en',
  moderation: 'all',
  browserGuards: 'off',
  privacyUrl: 'https://marketing-mit-herz.example/datenschutz',
};

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

/** Resources of one type as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

/** The single resource of a type whose logical id starts with `prefix`. */
export function resourceNamed(template: Template, type: string, prefix: string): [string, Resource] {
  const found = resourcesOf(template, type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`Expected one ${type} named ${prefix}*, found ${found.length}`);
  return found[0]!;
}

/** Every statement of the IAM policies attached to a role (by the role's logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): Record<string, any>[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties.Roles as unknown[]).some((role) =>
        JSON.stringify(role).includes(`"${roleLogicalId}"`),
      ),
    )
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, any>[]);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
