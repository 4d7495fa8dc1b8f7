import '../support/error-log';
import { ROUTES } from '../../functions/routes';
import { describeRoutes } from './requests';
import { propertyStack } from './setup';

describeRoutes(
  'every GET route with generated input',
  ROUTES.filter((route) => route.method === 'GET'),
  () => propertyStack(),
);
