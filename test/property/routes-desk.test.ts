import '../support/error-log';
import { issueLoginToken } from '../../functions/core/desk/login-token';
import { ROUTES } from '../../functions/routes';
import { linkKey } from '../../functions/runtime/keys';
import { logInWithLink } from '../../functions/usecases/desk';
import { csrfIn, DESK_URL, deskGet } from '../support/desk';
import { describeRoutes } from './requests';
import { propertyStack } from './setup';

// Logged in, with a valid form token: generated requests reach the desk's use cases, not only
// its login redirect. Logging out ends the session, so that route runs last.
const deskRoutes = ROUTES.filter((route) => route.group === 'desk').sort(
  (a, b) => Number(a.operationId === 'deskLogout') - Number(b.operationId === 'deskLogout'),
);

describeRoutes('every desk route with generated input, logged in', deskRoutes, async () => {
  const { stack, fixtures } = await propertyStack({ DESK_URL });
  const login = await logInWithLink(issueLoginToken(await linkKey('author'), new Date()), new Date());
  if (!login.ok) throw new Error('no desk session');
  const csrf = csrfIn((await deskGet('/desk', login.sessionId)).text);
  return { stack, fixtures: { ...fixtures, desk: { session: login.sessionId, csrf } } };
});
