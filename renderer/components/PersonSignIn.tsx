import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { UserTile } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import { useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';
import { toAppError } from '../state/errors.js';
import { ErrorNote } from './ErrorNote.js';
import { errorText } from './errorText.js';
import { PinPad } from './PinPad.js';
import { useNow } from './useNow.js';

const isManager = (u: UserTile) => u.role === 'owner' || u.role === 'supervisor';

/** The end of a lockout, which the node sends as the `lockedUntil` issue of its 429. */
export const lockedUntil = (error: AppError | null): number | null => {
  const at = error?.code === 'RateLimited' ? error.issues?.find((i) => i.path === 'lockedUntil')?.message : undefined;
  return at ? Date.parse(at) : null;
};

export function Countdown({ until, onEnd }: { until: number; onEnd(): void }) {
  const t = useT();
  const now = useNow(250);
  const seconds = Math.ceil((until - now) / 1000);
  const over = seconds <= 0;
  useEffect(() => {
    if (over) onEnd();
  }, [over, onEnd]);
  if (over) return null;
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <p className="lockout" role="alert" data-testid="lockout">
      {t('people.locked', { clock })}
    </p>
  );
}

function Credential({ user, onDone }: { user: UserTile; onDone(): void }) {
  const t = useT();
  const signIn = useApp((s) => s.signInPerson);
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const until = lockedUntil(error);
  const clearError = useCallback(() => setError(null), []);
  const byPassword = isManager(user);

  const submit = useCallback(async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(byPassword ? { userId: user.id, password } : { userId: user.id, pin });
      onDone();
    } catch (e) {
      setError(toAppError(e));
      setPin('');
      setPassword('');
    } finally {
      setBusy(false);
    }
  }, [busy, byPassword, user.id, password, pin, signIn, onDone]);

  const onForm = (e: FormEvent) => {
    e.preventDefault();
    void submit();
  };
  const missing = byPassword ? !user.hasPassword : !user.hasPin;
  return (
    <div className="credential" data-testid="credential">
      <h2>{t('people.hello', { name: user.name })}</h2>
      {missing ? <p className="error-note">{t(byPassword ? 'people.noPassword' : 'people.noPin')}</p> : null}
      {until ? (
        <Countdown until={until} onEnd={clearError} />
      ) : error ? (
        <p className="error-note" role="alert" data-testid="signin-error">
          {error.code === 'Unauthorized' ? error.message : errorText(error, t)}
        </p>
      ) : null}
      {byPassword ? (
        <form onSubmit={onForm} className="fields">
          <label className="field">
            <span className="field-label">{t('people.password')}</span>
            <input type="password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy || until !== null}
              autoComplete="current-password" data-testid="password" className="big-input" />
          </label>
          <button type="submit" className="primary big" disabled={busy || until !== null || password.length === 0} data-testid="password-ok">
            {t('people.enter')}
          </button>
        </form>
      ) : (
        <PinPad value={pin} onChange={setPin} onSubmit={() => void submit()} disabled={busy || until !== null} />
      )}
    </div>
  );
}

/** Who is at the counter: tiles with the names, then a PIN pad (cashiers) or a password (managers). */
export function PersonSignIn() {
  const t = useT();
  const directory = useApp((s) => s.directory);
  const person = useApp((s) => s.person);
  const cancel = useApp((s) => s.cancelSwitch);
  const [chosen, setChosen] = useState<UserTile | null>(null);
  const users = directory?.users ?? [];
  return (
    <section className="card signin" data-testid="person-signin">
      <div className="toolbar">
        <h1>{chosen ? t('people.whoTitleChosen') : t('people.whoTitle')}</h1>
        <span className="spacer" />
        {chosen ? (
          <button type="button" className="big" onClick={() => setChosen(null)} data-testid="signin-back">
            {t('people.back')}
          </button>
        ) : person ? (
          <button type="button" className="big" onClick={cancel} data-testid="switch-cancel">
            {t('people.stay', { name: person.name })}
          </button>
        ) : null}
      </div>
      {chosen ? (
        <Credential key={chosen.id} user={chosen} onDone={() => setChosen(null)} />
      ) : (
        <div className="tiles">
          {users.length === 0 ? <p className="empty">{t('people.none')}</p> : null}
          {users.map((u, i) => (
            <button key={u.id} type="button" className="tile" onClick={() => setChosen(u)} data-testid={`tile-${u.name}`} autoFocus={i === 0}>
              <span className="tile-name">{u.name}</span>
              <span className="tile-role">{t(`role.${u.role}`)}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

/** First start: the owner sets their password; until then the installation stands for the owner. */
export function OwnerSetup() {
  const t = useT();
  const setupOwner = useApp((s) => s.setupOwner);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const mismatch = again.length > 0 && again !== password;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || mismatch) return;
    setBusy(true);
    try {
      await setupOwner({ name, password });
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card setup" data-testid="owner-setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.body')}</p>
      <form onSubmit={(e) => void submit(e)} className="fields">
        <label className="field">
          <span className="field-label">{t('setup.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} data-testid="setup-name" className="big-input" />
        </label>
        <label className="field">
          <span className="field-label">{t('setup.password')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password"
            data-testid="setup-password" className="big-input" />
          <span className="field-hint">{t('setup.passwordHint')}</span>
        </label>
        <label className={mismatch ? 'field field-invalid' : 'field'}>
          <span className="field-label">{t('setup.again')}</span>
          <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password"
            data-testid="setup-again" className="big-input" />
          {mismatch ? <span className="field-issue">{t('setup.mismatch')}</span> : null}
        </label>
        <ErrorNote error={error} testId="setup" />
        <button type="submit" className="primary big" disabled={busy || mismatch || !name.trim() || password.length < 8 || again !== password}
          data-testid="setup-ok">
          {t('setup.ok')}
        </button>
      </form>
    </section>
  );
}
