import { useEffect, useState, type FormEvent } from 'react';
import { staffRoles, type StaffRole, type User } from '../../../shared/contract/index.js';
import type { AppError } from '../../../shared/errors.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useT } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';
import { toAppError } from '../../state/errors.js';

const isManager = (role: StaffRole) => role === 'owner' || role === 'supervisor';

/** One action at a time on this screen: a second click while one is on its way does nothing. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError(toAppError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function CreatePerson() {
  const t = useT();
  const save = useApp((s) => s.savePerson);
  const { busy, error, run } = useAction();
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('cashier');
  const [secret, setSecret] = useState('');
  // A manager signs in with a password but approves at the counter with a PIN (the supervisor-PIN modal).
  const [approvalPin, setApprovalPin] = useState('');
  const manager = isManager(role);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const credential = secret ? (manager ? { password: secret } : { pin: secret }) : {};
    const approval = manager && approvalPin ? { pin: approvalPin } : {};
    if (await run(() => save('users.create', { name, role, ...credential, ...approval }))) {
      setName('');
      setSecret('');
      setApprovalPin('');
    }
  };
  return (
    <form className="person-form" onSubmit={(e) => void submit(e)} data-testid="person-create">
      <h2>{t('users.add')}</h2>
      <div className="field-row">
        <label className="field">
          <span className="field-label">{t('users.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} data-testid="new-person-name" />
        </label>
        <label className="field">
          <span className="field-label">{t('users.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)} data-testid="person-role">
            {staffRoles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{isManager(role) ? t('people.password') : t('people.pin')}</span>
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password"
            inputMode={isManager(role) ? 'text' : 'numeric'} data-testid="person-secret" />
        </label>
        {manager ? (
          <label className="field" title={t('users.approvalPinHint')}>
            <span className="field-label">{t('users.approvalPin')}</span>
            <input type="password" value={approvalPin} onChange={(e) => setApprovalPin(e.target.value.replace(/\D/g, ''))} autoComplete="new-password"
              inputMode="numeric" maxLength={12} data-testid="person-approval-pin" />
          </label>
        ) : null}
        <button type="submit" className="primary big" disabled={busy || !name.trim()} data-testid="person-save">
          {t('users.create')}
        </button>
      </div>
      <ErrorNote error={error} testId="person-create" />
    </form>
  );
}

function PersonRow({ user, self }: { user: User; self: boolean }) {
  const t = useT();
  const save = useApp((s) => s.savePerson);
  const { busy, error, run } = useAction();
  const [secret, setSecret] = useState('');
  const [approvalPin, setApprovalPin] = useState('');
  const manager = isManager(user.role);
  const setCredential = async () => {
    const ok = await run(() => (manager ? save('users.setPassword', { userId: user.id, password: secret }) : save('users.setPin', { userId: user.id, pin: secret })));
    if (ok) setSecret('');
  };
  return (
    <tr data-testid={`person-${user.name}`} className={user.active ? '' : 'inactive'}>
      <td>
        {user.name}
        {self ? <span className="muted"> ({t('users.you')})</span> : null}
        <ErrorNote error={error} testId={`person-${user.name}`} />
      </td>
      <td>
        <select value={user.role} disabled={busy} aria-label={t('users.role')} data-testid={`role-${user.name}`}
          onChange={(e) => void run(() => save('users.update', { id: user.id, patch: { role: e.target.value as StaffRole } }))}>
          {staffRoles.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {manager ? (user.hasPassword ? t('users.hasPassword') : t('users.noPassword')) : user.hasPin ? t('users.hasPin') : t('users.noPin')}
        {manager ? <span className="muted"> · {user.hasPin ? t('users.hasPin') : t('users.noPin')}</span> : null}
      </td>
      <td className="row-actions">
        <span className="secret-pair">
        <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} className="secret-input"
          placeholder={manager ? t('users.newPassword') : t('users.newPin')} aria-label={manager ? t('users.newPassword') : t('users.newPin')}
          inputMode={manager ? 'text' : 'numeric'} autoComplete="new-password" data-testid={`secret-${user.name}`} />
        <button type="button" disabled={busy || !secret} onClick={() => void setCredential()} data-testid={`set-secret-${user.name}`}>
          {manager ? t('users.setPassword') : t('users.setPin')}
        </button>
        </span>
        {manager ? (
          <span className="secret-pair">
            <input type="password" value={approvalPin} onChange={(e) => setApprovalPin(e.target.value.replace(/\D/g, ''))} className="secret-input"
              placeholder={t('users.approvalPin')} aria-label={t('users.approvalPin')} inputMode="numeric" maxLength={12} autoComplete="new-password"
              data-testid={`approval-pin-${user.name}`} />
            <button type="button" disabled={busy || !approvalPin}
              onClick={() => void run(() => save('users.setPin', { userId: user.id, pin: approvalPin })).then((ok) => ok && setApprovalPin(''))}
              data-testid={`set-approval-pin-${user.name}`}>
              {t('users.setApprovalPin')}
            </button>
          </span>
        ) : null}
        {user.active ? (
          <button type="button" disabled={busy} onClick={() => void run(() => save('users.deactivate', { id: user.id }))} data-testid={`deactivate-${user.name}`}>
            {t('users.deactivate')}
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => void run(() => save('users.update', { id: user.id, patch: { active: true } }))}
            data-testid={`reactivate-${user.name}`}>
            {t('users.reactivate')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The owner's people: who may sign in, with which role, PIN or password resets, deactivation. */
export function UsersScreen() {
  const t = useT();
  const people = useApp((s) => s.people);
  const error = useApp((s) => s.peopleError);
  const load = useApp((s) => s.loadPeople);
  const me = useApp((s) => s.person);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="card wide" data-testid="users-screen">
      <h1>{t('users.title')}</h1>
      <ErrorNote error={error} testId="users" />
      <CreatePerson />
      <table className="table users-table">
        <thead>
          <tr>
            <th>{t('users.name')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.credential')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {people.map((u) => (
            <PersonRow key={u.id} user={u} self={u.id === me?.id} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
