import { usersDomain } from '../../shared/domains/users.js';
import { defineNodeDomain } from '../domain.js';
import { usersHandlers } from './handlers.js';
import { usersProjection } from './projection.js';

/** People, roles, sign-in, supervisor approvals and the audit log (credentials and security records stay local). */
export const usersNode = defineNodeDomain({
  shared: usersDomain,
  handlers: usersHandlers,
  projections: [usersProjection],
  services: [],
});
