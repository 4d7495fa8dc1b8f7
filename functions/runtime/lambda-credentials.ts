/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles only (esbuild alias in
 * lib/bundling.ts; the dev server and the tests never load this file).
 *
 * Why: every SDK client imports the full default credential chain (SSO, INI files, STS web
 * identity, login, process, container and instance metadata), about 130 KB minified with its
 * nested STS/SSO clients, and loads it on every cold start. Lambda always hands the function its
 * role credentials as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, the first
 * link of that chain, so the rest can never be reached there.
 *
 * Same export name and call shape as the package it replaces: clients call
 * `credentialDefaultProvider(config)` and get a provider back.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
