import type { MethodDef } from '../contract/define.js';
import type { EventDef } from '../eventdef.js';

/**
 * The part of a domain that shared/ (and so the renderer) may see: its API methods, its event types and the push
 * topics its read models announce. The node adds handlers, projections and services (node/domain.ts).
 */
export interface SharedDomain {
  readonly name: string;
  readonly methods: readonly MethodDef[];
  readonly events: Readonly<Record<string, EventDef<unknown>>>;
  readonly topics: readonly string[];
}

export const defineSharedDomain = <const D extends SharedDomain>(domain: D): D => domain;
