import { cashDomain } from './cash.js';
import { catalogDomain } from './catalog.js';
import { salesDomain } from './sales.js';
import { settingsDomain } from './settings.js';
import { systemDomain } from './system.js';
import { ticketsDomain } from './tickets.js';
import { usersDomain } from './users.js';

export type { SharedDomain } from './define.js';

/**
 * Every domain, as shared/ sees it: the contract, the event registry and the push topics are derived from this list.
 * A new domain adds one line here (and one in node/domains.ts); a new command or event touches only its domain.
 */
export const sharedDomains = [systemDomain, catalogDomain, usersDomain, settingsDomain, cashDomain, salesDomain, ticketsDomain] as const;

type Domains = (typeof sharedDomains)[number];
export type Topic = Domains['topics'][number];
export type AllMethodDefs = ReadonlyArray<Domains['methods'][number]>;

/** Every push topic, for checking what arrives over the wire. */
export const topics: readonly Topic[] = sharedDomains.flatMap((d): readonly Topic[] => d.topics);
export const isTopic = (value: unknown): value is Topic => typeof value === 'string' && (topics as readonly string[]).includes(value);
