import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { commandCall, queryCall } from '../../test/support/calls.js';
import { tempDir } from '../../test/support/tmp.js';
import { wireDomains } from '../dispatch.js';
import type { Handlers, StoreScope } from '../handlers.js';
import type { CommandHandler, CommandRunner } from '../journal/command.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { grantApproval, requireApproval, type ApprovalAction } from './approvals.js';

describe('supervisor approvals, spent inside the command that uses them', () => {
  const tmp = tempDir('mostrador-approvals-');
  let store: OpenStore;
  let handlers: Handlers;
  let runner: CommandRunner;
  let own: StoreScope;
  let supervisorId: string;
  let cashierId: string;

  /** A command of the counter's shape: asks for an approval, then may still refuse (an over-refund, say). */
  const spending = (approvalId: string | undefined, action: ApprovalAction, refuseAfter = false): CommandHandler<'users.update'> =>
    async (ctx) => {
      const ref = await requireApproval(ctx, approvalId, action);
      if (refuseAfter) throw new Error('refused after the approval was checked');
      return { events: [], result: async () => ref as never };
    };
  const run = (handler: CommandHandler<'users.update'>, commandId = newId(), input = { id: supervisorId, patch: {} }) =>
    runner.run('users.update', handler, input as never, commandCall(own, 'owner', commandId) as never);
  const approve = (pin: string, action: ApprovalAction = 'void', who = supervisorId) =>
    handlers['users.approve']({ supervisorId: who, pin, action }, queryCall(own, 'cashier'));
  const usedBy = async (id: string) => (await store.db.query<{ used_by: string | null }>('SELECT used_by FROM approval WHERE id = $1', [id]))[0]?.used_by;

  beforeAll(async () => {
    store = await openDataDir(tmp.dir);
    ({ commands: runner, handlers, own } = wireDomains(store, { status: () => Promise.reject(new Error('not used')) }));
    supervisorId = (await handlers['users.create']({ name: 'Sara Supervisora', role: 'supervisor', pin: '9876' }, commandCall(own, 'owner'))).id;
    cashierId = (await handlers['users.create']({ name: 'Beto Cajero', role: 'cashier', pin: '4321' }, commandCall(own, 'owner'))).id;
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  it('grants an approval for one action with the supervisor’s PIN, for 2 minutes', async () => {
    const granted = await approve('9876', 'refund');
    expect(granted).toMatchObject({ action: 'refund', supervisorId, supervisorName: 'Sara Supervisora' });
    const ms = Date.parse(granted.expiresAt) - Date.now();
    expect(ms).toBeGreaterThan(100_000);
    expect(ms).toBeLessThanOrEqual(120_000);
  });

  it('refuses a wrong PIN (counted) and a person who may not approve', async () => {
    await expect(approve('0000')).rejects.toMatchObject({ code: 'Unauthorized' });
    const [row] = await store.db.query<{ failures: number }>('SELECT failures FROM user_lockout WHERE user_id = $1', [supervisorId]);
    expect(row!.failures).toBe(1);
    await expect(approve('4321', 'void', cashierId)).rejects.toMatchObject({ code: 'Forbidden' });
    expect(await approve('9876')).toMatchObject({ action: 'void' });
  });

  it('is spent once by the command that uses it; a retry of that command answers again; another command is refused', async () => {
    const { approvalId } = await approve('9876', 'void');
    const commandId = newId();
    const ref = await run(spending(approvalId, 'void'), commandId);
    expect(ref).toEqual({ approvalId, action: 'void', supervisorId });
    expect(await usedBy(approvalId)).toBe(commandId);
    expect(await run(spending(approvalId, 'void'), commandId)).toEqual(ref);
    await expect(run(spending(approvalId, 'void'))).rejects.toMatchObject({ code: 'Forbidden', key: 'approvalInvalid' });
  });

  it('is not spent by a command that is refused after checking it', async () => {
    const { approvalId } = await approve('9876', 'noSale');
    await expect(run(spending(approvalId, 'noSale', true))).rejects.toThrow(/refused after/);
    expect(await usedBy(approvalId)).toBeNull();
    expect(await run(spending(approvalId, 'noSale'))).toMatchObject({ approvalId });
  });

  it('refuses no approval, another action’s, an expired one, an unknown one and a deactivated supervisor’s', async () => {
    await expect(run(spending(undefined, 'void'))).rejects.toMatchObject({ code: 'Forbidden', key: 'approvalNeeded' });
    const { approvalId } = await approve('9876', 'discount');
    await expect(run(spending(approvalId, 'priceOverride'))).rejects.toMatchObject({ key: 'approvalInvalid' });
    const expired = newId();
    await grantApproval(store.db, { storeId: own.storeId, id: expired, supervisorId, action: 'void', requestedBy: 'test', now: new Date(Date.now() - 121_000) });
    await expect(run(spending(expired, 'void'))).rejects.toMatchObject({ key: 'approvalInvalid' });
    await expect(run(spending(newId(), 'void'))).rejects.toMatchObject({ key: 'approvalInvalid' });
    await expect(run(spending('not-a-uuid', 'void'))).rejects.toMatchObject({ key: 'approvalInvalid' });
    await handlers['users.deactivate']({ id: supervisorId }, commandCall(own, 'owner'));
    await expect(run(spending(approvalId, 'discount'))).rejects.toMatchObject({ key: 'approvalInvalid' });
    expect(await usedBy(approvalId)).toBeNull();
  });
});
