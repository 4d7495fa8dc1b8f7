/**
 * cdk-nag (AwsSolutions) on every synth, and the one way to acknowledge a finding: on the narrowest
 * construct, with a reason that says why this resource may differ from the rule.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

export interface Acknowledgement {
  /** Rule id, or `Rule[Finding]` for one finding of a rule that reports several (IAM5). */
  id: string;
  reason: string;
}

export function acknowledge(scope: IConstruct, ...acknowledgements: Acknowledgement[]): void {
  for (const { id, reason } of acknowledgements) {
    // A vague reason is no reason: make the author of an acknowledgement say something specific.
    if (reason.trim().length < 40) throw new Error(`The acknowledgement of ${id} needs a specific reason.`);
    Validations.of(scope).acknowledge({ id, reason });
  }
}
