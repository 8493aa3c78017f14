import { cashDomain } from '../../shared/domains/cash.js';
import { defineNodeDomain } from '../domain.js';
import { cashHandlers } from './cash.handlers.js';
import { cashEntriesProjection, cashSessionsProjection } from './cash.projection.js';

// THE SEAM for the sales domain (import from 'node/cash/index.js'): the session read model, and the check that a
// command's terminal has its till open.
export { cashEntriesProjection, cashSessionsProjection } from './cash.projection.js';
export { findOpenSession, requireOpenSession, thisDeviceId } from './session.js';
export type { CashSessionRow } from './sessions.model.js';

/** The till as the node runs it: sessions per terminal, what moved money in each, the X and the Z. */
export const cashNode = defineNodeDomain({
  shared: cashDomain,
  handlers: cashHandlers,
  projections: [cashSessionsProjection, cashEntriesProjection],
  services: [],
});
