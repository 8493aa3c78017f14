import { useEffect, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Field } from '../components/Field.js';
import { useT } from '../i18n/index.js';
import { useApp, useAppState } from '../state/context.js';
import { toAppError } from '../state/errors.js';

export type ApprovalAction = 'priceOverride' | 'discount' | 'overShort' | 'noSale' | 'refund' | 'void';
type Approval = OutputOf<'users.approve'>;

interface Props {
  action: ApprovalAction;
  /** Words for the message ("name" of the line). */
  vars?: Record<string, string>;
  onApproved(approval: Approval): void;
  onClose(): void;
}

/** A supervisor picks their name and types their PIN on the cashier's screen: one approval for one named action. */
export function SupervisorPin({ action, vars, onApproved, onClose }: Props) {
  const t = useT();
  const state = useAppState();
  const directory = useApp((s) => s.directory);
  const supervisors = (directory?.users ?? []).filter((u) => (u.role === 'supervisor' || u.role === 'owner') && u.hasPin);
  const [who, setWho] = useState<string>('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (!directory) void state().loadDirectory();
  }, [directory, state]);
  useEffect(() => {
    if (!who && supervisors[0]) setWho(supervisors[0].id);
  }, [who, supervisors]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !who) return;
    setBusy(true);
    try {
      onApproved(await state().approve({ supervisorId: who, action, pin }));
    } catch (err) {
      setError(toAppError(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('approve.title')} testId="approve-dialog" onClose={onClose}>
      <p>{t(`approve.why.${action}`, vars)}</p>
      {supervisors.length === 0 ? <p className="notice" data-testid="approve-none">{t('approve.none')}</p> : null}
      <form onSubmit={submit} className="fields">
        <Field label={t('approve.who')} testId="approve-who">
          <select value={who} onChange={(e) => setWho(e.target.value)} data-testid="approve-who">
            {supervisors.map((u) => (
              <option key={u.id} value={u.id}>{u.name}</option>
            ))}
          </select>
        </Field>
        <Field label={t('approve.pin')} testId="approve-pin">
          <input className="big-input" type="password" inputMode="numeric" autoComplete="off" autoFocus maxLength={6} value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} data-testid="approve-pin" />
        </Field>
        <ErrorNote error={error} testId="approve" />
        <div className="actions">
          <button type="submit" className="primary big" disabled={busy || !who || pin.length < 4} data-testid="approve-ok">{t('approve.ok')}</button>
          <button type="button" className="big" onClick={onClose}>{t('pos.cancel')}</button>
        </div>
      </form>
    </Dialog>
  );
}
