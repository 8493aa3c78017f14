import { signOut } from '../api/boot.js';
import { formatBytes } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { languages, type Lang } from '../i18n/translate.js';
import { useApp } from '../state/context.js';
import type { Screen } from './route.js';

const languageNames: Record<Lang, string> = { es: 'Español', en: 'English' };

function LinkBadge() {
  const t = useT();
  const link = useApp((s) => s.link);
  return (
    <span className={`link link-${link}`} data-testid="link-state" data-state={link} role="status">
      {t(`link.${link}`)}
    </span>
  );
}

function LanguageSwitch() {
  const t = useT();
  const lang = useApp((s) => s.lang);
  const setLang = useApp((s) => s.setLang);
  return (
    <label className="lang">
      <span className="visually-hidden">{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="lang-switch">
        {languages.map((l) => (
          <option key={l} value={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

function SignOut() {
  const t = useT();
  const canSignOut = useApp((s) => s.canSignOut);
  const signedOut = useApp((s) => s.signedOut);
  // With a person signed in, their "Salir" is the way out; ending the browser's session is for the owner's setup.
  const person = useApp((s) => s.person !== null);
  if (!canSignOut || person) return null;
  const click = () => void signOut(window.fetch.bind(window)).finally(() => signedOut());
  return (
    <button type="button" onClick={click} data-testid="sign-out">
      {t('session.signOut')}
    </button>
  );
}

/** On every screen while the disk is low or full: a till that cannot save should say so before a sale is rung up. */
function DiskBanner() {
  const t = useT();
  const locale = useLocale();
  const disk = useApp((s) => s.status?.disk);
  if (!disk || disk.state === 'ok') return null;
  const text = t(`banner.disk.${disk.state}`, { free: formatBytes(disk.freeBytes, locale), reserve: formatBytes(disk.reserveBytes, locale) });
  return (
    <p className={`banner banner-${disk.state}`} role="alert" data-testid="disk-banner" data-state={disk.state}>
      {text}
    </p>
  );
}

/** Who is at the counter, the quick switch (nothing is closed) and the person's sign-out. */
function PersonBadge() {
  const t = useT();
  const person = useApp((s) => s.person);
  const choosing = useApp((s) => s.choosing);
  const switchPerson = useApp((s) => s.switchPerson);
  const signOutPerson = useApp((s) => s.signOutPerson);
  if (!person || choosing) return null;
  return (
    <span className="person" data-testid="person-badge">
      <span className="person-name" data-testid="person-name">
        {person.name} · {t(`role.${person.role}`)}
      </span>
      <button type="button" onClick={switchPerson} data-testid="switch-person">
        {t('people.switch')}
      </button>
      <button type="button" onClick={() => void signOutPerson()} data-testid="person-sign-out">
        {t('people.signOut')}
      </button>
    </span>
  );
}

export function Header({ screen }: { screen: Screen }) {
  const t = useT();
  // Managers see the people and the audit log; before the store has people, the installation is the owner.
  const manager = useApp((s) => (s.person ? s.person.role === 'owner' || s.person.role === 'supervisor' : s.directory?.setupNeeded === true));
  const owner = useApp((s) => (s.person ? s.person.role === 'owner' : s.directory?.setupNeeded === true));
  const tab = (name: Screen) => (
    <a href={`#/${name}`} className={screen === name ? 'tab tab-active' : 'tab'} data-testid={`nav-${name}`}
      aria-current={screen === name ? 'page' : undefined}>
      {t(`nav.${name}`)}
    </a>
  );
  return (
    <header className="header">
      <span className="brand">Mostrador</span>
      <nav aria-label={t('nav.label')} className="tabs">
        {tab('checkout')}
        {tab('till')}
        {tab('status')}
        {tab('products')}
        {tab('settings')}
        {owner ? tab('users') : null}
        {manager ? tab('audit') : null}
      </nav>
      <span className="spacer" />
      <PersonBadge />
      <LinkBadge />
      <LanguageSwitch />
      <SignOut />
      <DiskBanner />
    </header>
  );
}
