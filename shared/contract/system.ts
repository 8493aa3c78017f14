import { z } from 'zod';
import { everyone, query } from './define.js';

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
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

export const systemMethods = [
  query({
    name: 'system.status',
    summary: "The node's version, device, data folder, database size and uptime.",
    input: z.strictObject({}),
    output: nodeStatusSchema,
    roles: everyone,
  }),
] as const;
