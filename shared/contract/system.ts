import { z } from 'zod';
import { everyone, query } from './define.js';
import { federationStatusSchema } from './federation.js';

export const diskStatusSchema = z.object({
  /** Free bytes on the data folder's disk. */
  freeBytes: z.number().int().nonnegative(),
  /** Below this many free bytes the node refuses writes (reads go on). */
  reserveBytes: z.number().int().nonnegative(),
  /** `low`: warn the owner; `full`: writes are refused until space returns. */
  state: z.enum(['ok', 'low', 'full']),
});
export type DiskStatus = z.infer<typeof diskStatusSchema>;

export const journalStatusSchema = z.object({
  /** Operations recorded by this device (its journal's length). */
  events: z.number().int().nonnegative(),
  /** When this device recorded its last operation. */
  lastEventAt: z.string().nullable(),
  /** The last check of this device's hash chain by the running node; null until the first one finishes. */
  verification: z.object({ at: z.string(), ok: z.boolean(), checked: z.number().int().nonnegative() }).nullable(),
});

export const remoteStatusSchema = z.object({
  /** Events from other devices waiting because this build cannot apply them yet (a newer release wrote them). */
  parkedEvents: z.number().int().nonnegative(),
  /** How far ahead of this node's clock the most skewed other device was (ms; null until one was heard from). */
  maxClockSkewMs: z.number().int().nullable(),
});

export const exportStatusSchema = z.object({ at: z.string(), file: z.string(), bytes: z.number().int().nonnegative() });

export const nodeStatusSchema = z.object({
  version: z.string(),
  role: z.enum(['terminal', 'central']),
  deviceId: z.string(),
  storeId: z.string(),
  currency: z.string(),
  dataDir: z.string(),
  databaseBytes: z.number().int(),
  startedAt: z.string(),
  uptimeSeconds: z.number().int(),
  engine: z.string(),
  disk: diskStatusSchema,
  journal: journalStatusSchema,
  /** The newest journal export in the data folder's `exports/`, or null when there has never been one. */
  lastExport: exportStatusSchema.nullable(),
  remote: remoteStatusSchema,
  /** The relay to the central (a terminal only). */
  federation: federationStatusSchema.optional(),
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

export const systemMethods = [
  query({
    name: 'system.status',
    summary: "The node's version, device, data folder, database size, uptime, free disk space, journal and last export.",
    input: z.strictObject({}),
    output: nodeStatusSchema,
    roles: everyone,
  }),
] as const;
