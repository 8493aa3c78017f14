import type { StaffRole } from '../../shared/contract/index.js';
import { assertNever } from '../../shared/errors.js';
import type { EventOf } from '../../shared/events.js';

/** A row of the users read model; `fieldHlc` holds, per field, the clock of the event that last set it. */
export interface UserRow {
  id: string;
  name: string;
  role: StaffRole;
  active: boolean;
  version: number;
  fieldHlc: Record<string, string>;
  /** Null while only updates have arrived from another terminal (such a row is kept, not listed). */
  createdAt: string | null;
  updatedAt: string;
  updatedBy: string;
}

export type UserEvent = EventOf<'UserCreated' | 'UserUpdated'>;
type Fields = Pick<UserRow, 'name' | 'role' | 'active'>;

const LAST = '_last';

/** Pure: the row after one event. Fields resolve last-writer-wins by HLC, so terminals converge in any order. */
export function applyUserEvent(row: UserRow | undefined, event: UserEvent, id: string): UserRow {
  const base: UserRow = row ?? { id, name: '', role: 'cashier', active: false, version: 0, fieldHlc: {}, createdAt: null, updatedAt: event.created_at, updatedBy: event.actor_id };
  switch (event.type) {
    case 'UserCreated': {
      const { userId: _id, ...fields } = event.payload;
      const next = setFields(base, fields, event);
      return base.createdAt !== null && base.createdAt <= event.created_at ? next : { ...next, createdAt: event.created_at };
    }
    case 'UserUpdated':
      return setFields(base, event.payload.changes, event);
    default:
      return assertNever(event, 'user event');
  }
}

function setFields(row: UserRow, changes: Partial<Fields>, event: UserEvent): UserRow {
  const next: UserRow = { ...row, fieldHlc: { ...row.fieldHlc }, version: row.version + 1 };
  for (const [field, value] of Object.entries(changes) as [keyof Fields, Fields[keyof Fields] | undefined][]) {
    if (value === undefined || event.hlc <= (next.fieldHlc[field] ?? '')) continue;
    (next as unknown as Record<string, unknown>)[field] = value;
    next.fieldHlc[field] = event.hlc;
  }
  if (event.hlc > (next.fieldHlc[LAST] ?? '')) {
    next.fieldHlc[LAST] = event.hlc;
    next.updatedAt = event.created_at;
    next.updatedBy = event.actor_id;
  }
  return next;
}
