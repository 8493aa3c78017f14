import { ProductsScreen } from '../backoffice/products/ProductsScreen.js';
import { CheckoutScreen } from '../pos/CheckoutScreen.js';
import { TillScreen } from '../pos/till/TillScreen.js';
import { SettingsScreen } from '../backoffice/settings/SettingsScreen.js';
import { StatusScreen } from '../backoffice/status/StatusScreen.js';
import { useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';
import { ErrorNote } from './ErrorNote.js';
import { Header } from './Header.js';
import { useScreen, type Screen } from './route.js';
import { SignIn } from './SignIn.js';
import { AuditScreen } from '../backoffice/audit/AuditScreen.js';
import { UsersScreen } from '../backoffice/users/UsersScreen.js';
import { OwnerSetup, PersonSignIn } from './PersonSignIn.js';

function Body({ screen }: { screen: Screen }) {
  const t = useT();
  const session = useApp((s) => s.session);
  const statusError = useApp((s) => s.statusError);
  if (session === 'signedOut') return <SignIn />;
  if (session === 'starting') {
    return (
      <section className="card narrow" data-testid="booting">
        <p>{statusError ? t('boot.failed') : t('boot.loading')}</p>
        <ErrorNote error={statusError} testId="boot" />
      </section>
    );
  }
  return <People screen={screen} />;
}

/** Once the store has people, someone signs in on top of the installation; on first start the owner sets a password. */
function People({ screen }: { screen: Screen }) {
  const choosing = useApp((s) => s.choosing);
  const setupNeeded = useApp((s) => s.directory?.setupNeeded === true);
  if (choosing) return <PersonSignIn />;
  return (
    <div className="stack">
      {setupNeeded ? <OwnerSetup /> : null}
      <ScreenBody screen={screen} />
    </div>
  );
}

function ScreenBody({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'products':
      return <ProductsScreen />;
    case 'users':
      return <UsersScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'checkout':
      return <CheckoutScreen />;
    case 'till':
      return <TillScreen />;
    default:
      return <StatusScreen />;
  }
}

export function App() {
  const screen = useScreen();
  return (
    <div className={screen === 'checkout' ? 'app app-pos' : 'app'}>
      <Header screen={screen} />
      <main className="main">
        <Body screen={screen} />
      </main>
    </div>
  );
}
