import { z } from 'zod';
import { auditMethods } from '../contract/audit.js';
import { staffRoleSchema, userMethods } from '../contract/users.js';
import { eventDef } from '../eventdef.js';
import { defineSharedDomain } from './define.js';

/**
 * The people of a store and their roles. Their PINs and passwords are NOT here: credentials live in their own
 * table, outside the journal and its export (DESIGN.md "Identity and sessions").
 */
export const userEvents = {
  UserCreated: eventDef(z.object({ userId: z.string().uuid(), name: z.string(), role: staffRoleSchema, active: z.boolean() })),
  UserUpdated: eventDef(
    z.object({
      userId: z.string().uuid(),
      changes: z.object({ name: z.string(), role: staffRoleSchema, active: z.boolean() }).partial(),
    }),
  ),
};

/** People, sign-in, supervisor approvals and the audit log. */
export const usersDomain = defineSharedDomain({
  name: 'users',
  methods: [...userMethods, ...auditMethods],
  events: userEvents,
  topics: ['users'],
});
