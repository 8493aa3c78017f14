import { systemDomain } from '../../shared/domains/system.js';
import { defineNodeDomain, type DomainHandlers } from '../domain.js';

const handlers: DomainHandlers<typeof systemDomain> = {
  'system.status': (_input, ctx) => ctx.node.status(),
};

/** The node itself: its status. (The planner statistics are a job of the runner: node/runtime/maintenance.ts.) */
export const systemNode = defineNodeDomain({
  shared: systemDomain,
  handlers,
  projections: [],
  services: [],
});
