import type { StaffRole } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { EventDraft } from '../../shared/events.js';
import type { UserRow } from './model.js';

export interface UserChanges {
  name?: string;
  role?: StaffRole;
  active?: boolean;
}

export const isManager = (role: StaffRole): boolean => role === 'owner' || role === 'supervisor';

export const decideCreate = (userId: string, name: string, role: StaffRole): EventDraft[] => [
  { type: 'UserCreated', payload: { userId, name, role, active: true } },
];

/**
 * Pure: the UserUpdated a patch makes (only the fields that change; none when nothing does). The store must keep an
 * active owner, so the last one cannot be demoted or deactivated (`activeOwners` counts them, this one included).
 */
export function decideUpdate(current: UserRow | undefined, userId: string, patch: UserChanges, activeOwners: number): EventDraft[] {
  if (!current || current.createdAt === null) throw AppError.t('NotFound', 'userNotFound');
  const changes: UserChanges = {};
  if (patch.name !== undefined && patch.name !== current.name) changes.name = patch.name;
  if (patch.role !== undefined && patch.role !== current.role) changes.role = patch.role;
  if (patch.active !== undefined && patch.active !== current.active) changes.active = patch.active;
  const stopsBeingOwner = current.role === 'owner' && current.active && (changes.active === false || (changes.role !== undefined && changes.role !== 'owner'));
  if (stopsBeingOwner && activeOwners <= 1) throw AppError.t('Conflict', 'lastOwner');
  return Object.keys(changes).length === 0 ? [] : [{ type: 'UserUpdated', payload: { userId, changes } }];
}
