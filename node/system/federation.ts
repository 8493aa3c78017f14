import { federationDomain } from '../../shared/domains/federation.js';
import { AppError } from '../../shared/errors.js';
import { defineNodeDomain, type DomainHandlers, type FederationControl, type QueryContext } from '../domain.js';

/** The relay of this node, or a 4xx saying why there is none (the central, or a node started without one). */
const relayOf = (ctx: QueryContext): FederationControl => {
  if (!ctx.node.federation) throw AppError.t('Conflict', 'notATerminal');
  return ctx.node.federation;
};

const handlers: DomainHandlers<typeof federationDomain> = {
  'federation.status': (_input, ctx) => relayOf(ctx).status(),
  'federation.enroll': (input, ctx) => relayOf(ctx).enroll(input),
  'federation.syncNow': (_input, ctx) => relayOf(ctx).syncNow(),
  'federation.resetBreaker': (_input, ctx) => relayOf(ctx).resetBreaker(),
  'federation.reconcileNow': (_input, ctx) => relayOf(ctx).reconcileNow(),
  'federation.retryDeadLetter': (_input, ctx) => relayOf(ctx).retryDeadLetter(),
};

/** The federation's methods (here, not in node/federation/, which domains may not reach); the relay runs beside the API (node/federation/index.ts, wired by app.ts). */
export const federationNode = defineNodeDomain({
  shared: federationDomain,
  handlers,
  projections: [],
  services: [],
});
