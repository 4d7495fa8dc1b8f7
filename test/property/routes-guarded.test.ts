import '../support/error-log';
import { ROUTES } from '../../functions/routes';
import { describeRoutes } from './requests';
import { propertyStack } from './setup';

// As deployed: honeypot, form token and proof of work checked, default rate limits.
describeRoutes(
  'every POST and DELETE route with generated input, browser guards on',
  ROUTES.filter((route) => route.method !== 'GET'),
  () => propertyStack({ BROWSER_GUARDS: 'on', RATE_LIMIT_SCALE: '1' }),
);
