import type { z } from 'zod';
import { sharedDomains, type AllMethodDefs } from '../domains/index.js';
import { joinMethods, type MethodDef } from './define.js';

export * from './define.js';
export * from './products.js';
export * from './system.js';
export * from './federation.js';
export * from './push.js';
export * from './sales.js';
export * from './settings.js';
export * from './cash.js';
export * from './users.js';
export * from './audit.js';
export * from './tickets.js';
export * from './tickets.js';
export * from './users.js';
export * from './audit.js';

/** Every method of the local node's API, by name. Node implements each; the client is typed from it. */
export const contract = joinMethods(sharedDomains.flatMap((d): readonly MethodDef[] => d.methods) as unknown as AllMethodDefs);

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type InputOf<K extends MethodName> = z.input<Contract[K]['input']>;
export type ParsedInputOf<K extends MethodName> = z.output<Contract[K]['input']>;
export type OutputOf<K extends MethodName> = z.output<Contract[K]['output']>;
export type CommandName = { [K in MethodName]: Contract[K]['kind'] extends 'command' ? K : never }[MethodName];

export const methodOf = (name: string): MethodDef | undefined =>
  Object.hasOwn(contract, name) ? (contract as Record<string, MethodDef>)[name] : undefined;

/** The HTTP shape of a call: `POST /api/<name>` with this body. */
export interface CallBody {
  input: unknown;
  /** Required for commands: the client-made id (uuid v7), reused when the same command is retried. */
  commandId?: string;
}
