import { ProductsScreen } from '../backoffice/products/ProductsScreen.js';
import { CheckoutScreen } from '../pos/CheckoutScreen.js';
import { SettingsScreen } from '../backoffice/settings/SettingsScreen.js';
import { StatusScreen } from '../backoffice/status/StatusScreen.js';
import { useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';
import { ErrorNote } from './ErrorNote.js';
import { Header } from './Header.js';
import { useScreen, type Screen } from './route.js';
import { SignIn } from './SignIn.js';

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
  if (screen === 'checkout') return <CheckoutScreen />;
  if (screen === 'settings') return <SettingsScreen />;
  return screen === 'products' ? <ProductsScreen /> : <StatusScreen />;
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
