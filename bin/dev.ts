/**
 * `npm start`: the local stack. DynamoDB Local (data kept in .leserpost/), the API handlers, the
 * demo blog, and the outbox for mail. Ctrl-C stops everything cleanly.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { javaVersionProblem } from '../dev/dynamo-local';
import { notifierEnvironment, startLocalStack, startOptionsFromEnvironment } from '../dev/local-stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(): Promise<void> {
  const problem = javaVersionProblem();
  if (problem) {
    console.error(`\n✗ ${problem}\n`);
    process.exit(1);
  }
  const dataDir = resolve(process.env.LESERPOST_DATA ?? '.leserpost');
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 3000),
    dataDir,
    // Mail goes to the outbox (see /dev/mail) through the same notifier handler as on AWS.
    notifier: 'LATEST',
    ...startOptionsFromEnvironment(process.env),
  });
  // The author's command line finds the running local stack through this file.
  writeFileSync(
    join(dataDir, 'local.json'),
    JSON.stringify(
      {
        endpoint: stack.dynamoEndpoint,
        tableName: stack.tableName,
        apiUrl: stack.apiUrl,
        deskUrl: stack.deskUrl,
        notifierEnv: notifierEnvironment(),
      },
      null,
      2,
    ),
  );
  console.log(`
Leserpost läuft lokal / is running locally

  Demo-Blog / demo blog   ${stack.url}/
  API                     ${stack.apiUrl}   (${stack.apiUrl}/openapi.json)
  Schreibtisch / desk     ${stack.deskUrl}   (Anmelde-Link / login link: npm run admin -- desk-link)
  Postausgang / outbox    ${stack.url}/dev/mail
  DynamoDB Local          ${stack.dynamoEndpoint}   (table ${stack.tableName})
  Daten / data            ${dataDir}

  Freigeben / moderate:   npm run admin -- pending
Ctrl-C beendet / stops.
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping DynamoDB Local and the server …');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`\n✗ Could not start the local stack: ${error.message}\n`);
  process.exit(1);
});
