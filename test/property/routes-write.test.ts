import '../support/error-log';
import { ROUTES } from '../../functions/routes';
import { describeRoutes } from './requests';
import { propertyStack } from './setup';

const writes = ROUTES.filter((route) => route.method !== 'GET');

describeRoutes('every POST and DELETE route with generated input, guards off (local stack)', writes, () =>
  propertyStack(),
);
