import type { sharedDomains } from '../shared/domains/index.js';
import type { EventType } from '../shared/events.js';
import { cashNode } from './cash/index.js';
import { catalogNode } from './catalog/index.js';
import type { AnyNodeDomain } from './domain.js';
import { federationNode } from './system/federation.js';
import { routeOf, type AnyProjection, type Projection } from './journal/projection.js';
import { salesNode } from './sales/index.js';
import { settingsNode } from './settings/index.js';
import { systemNode } from './system/index.js';
import { usersNode } from './users/index.js';
import { ticketsNode } from './tickets/index.js';

/**
 * Every domain the node runs. The API's handlers, the routing of events to read models, remote apply, the
 * verifier and the CLI are derived from this list; adding a command touches only its domain, the contract and the UI.
 */
export const nodeDomains = [systemNode, catalogNode, settingsNode, cashNode, salesNode, usersNode, ticketsNode, federationNode] as const satisfies readonly AnyNodeDomain[];

/** Every read model, in the order the rebuild verifier checks them. */
export const allProjections: readonly AnyProjection[] = nodeDomains.flatMap((d): readonly AnyProjection[] => d.projections);

/** Which read models an event changes, derived from what each projection handles. */
export const route = routeOf(allProjections);

// Compile-time checks: a shared domain the node does not run, or an event type no read model handles, fails to build.
type Handled = (typeof nodeDomains)[number]['projections'][number] extends infer P ? (P extends Projection<unknown, infer T> ? T : never) : never;
type Unrouted = Exclude<EventType, Handled>;
type NotRun = Exclude<(typeof sharedDomains)[number]['name'], (typeof nodeDomains)[number]['shared']['name']>;
export const everyEventRouted: [Unrouted] extends [never] ? true : { unrouted: Unrouted } = true;
export const everyDomainRun: [NotRun] extends [never] ? true : { notRun: NotRun } = true;
