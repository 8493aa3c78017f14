import { useCallback, useEffect, useState } from 'react';
import type { OutputOf, UserTile } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import { useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';
import { toAppError } from '../state/errors.js';
import { Dialog } from './Dialog.js';
import { errorText } from './errorText.js';
import { Countdown, lockedUntil } from './PersonSignIn.js';
import { PinPad } from './PinPad.js';

export type Approval = OutputOf<'users.approve'>;
export type ApprovalAction = Approval['action'];

interface ApprovalDialogProps {
  action: ApprovalAction;
  onApproved(approval: Approval): void;
  onClose(): void;
}

const approvers = (users: readonly UserTile[]) => users.filter((u) => (u.role === 'owner' || u.role === 'supervisor') && u.hasPin);

/**
 * The supervisor-PIN modal: a supervisor (or the owner) picks their name and types their PIN on the cashier's
 * screen; the answer is an approval of this one action, which the caller sends with the command that needs it.
 */
export function ApprovalDialog({ action, onApproved, onClose }: ApprovalDialogProps) {
  const t = useT();
  const users = useApp((s) => s.directory?.users ?? []);
  const loadDirectory = useApp((s) => s.loadDirectory);
  const approve = useApp((s) => s.approve);
  const candidates = approvers(users);
  const [chosen, setChosen] = useState<UserTile | null>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const clearError = useCallback(() => setError(null), []);
  const until = lockedUntil(error);
  const only = candidates.length === 1 ? candidates[0]! : null;
  const supervisor = chosen ?? only;

  useEffect(() => {
    void loadDirectory().catch(() => undefined);
  }, [loadDirectory]);

  const submit = useCallback(async () => {
    if (busy || !supervisor) return;
    setBusy(true);
    setError(null);
    try {
      onApproved(await approve({ supervisorId: supervisor.id, pin, action }));
    } catch (e) {
      setError(toAppError(e));
      setPin('');
    } finally {
      setBusy(false);
    }
  }, [busy, supervisor, pin, action, approve, onApproved]);

  return (
    <Dialog title={t('approval.title', { action: t(`approval.action.${action}`) })} testId="approval" onClose={onClose}>
      {supervisor ? (
        <div className="credential">
          <p>{t('approval.typePin', { name: supervisor.name })}</p>
          {until ? (
            <Countdown until={until} onEnd={clearError} />
          ) : error ? (
            <p className="error-note" role="alert" data-testid="approval-error">
              {error.code === 'Unauthorized' ? error.message : errorText(error, t)}
            </p>
          ) : null}
          <PinPad value={pin} onChange={setPin} onSubmit={() => void submit()} disabled={busy || until !== null} />
        </div>
      ) : candidates.length === 0 ? (
        <p className="error-note">{t('approval.nobody')}</p>
      ) : (
        <div className="tiles">
          {candidates.map((u) => (
            <button key={u.id} type="button" className="tile" onClick={() => setChosen(u)} data-testid={`approver-${u.name}`}>
              <span className="tile-name">{u.name}</span>
              <span className="tile-role">{t(`role.${u.role}`)}</span>
            </button>
          ))}
        </div>
      )}
      <div className="actions">
        {chosen && !only ? (
          <button type="button" onClick={() => setChosen(null)}>
            {t('people.back')}
          </button>
        ) : null}
        <button type="button" className="big" onClick={onClose} data-testid="approval-cancel">
          {t('approval.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
