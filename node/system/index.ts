import { systemDomain } from '../../shared/domains/system.js';
import { defineNodeDomain, type DomainHandlers } from '../domain.js';
import { scheduleMaintenance } from '../runtime/maintenance.js';

const handlers: DomainHandlers<typeof systemDomain> = {
  'system.status': (_input, ctx) => ctx.node.status(),
};

/** The node itself: its status, and keeping the engine's planner statistics fresh. */
export const systemNode = defineNodeDomain({
  shared: systemDomain,
  handlers,
  projections: [],
  services: [{ name: 'planner statistics', start: ({ db }) => scheduleMaintenance(db) }],
});
