import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { resolveConnection } from './api/boot.js';
import { createApiClient } from './api/client.js';
import { connectPush, pushProtocols, pushUrl } from './api/push.js';
import { App } from './components/App.js';
import { StoreProvider } from './state/context.js';
import { applyPush, createAppStore, refreshAfterGap, type AppStore } from './state/store.js';
import type { TokenHolder } from './state/types.js';
import './styles.css';

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The signed-in person's token, for this tab only: a reload keeps the person, closing the tab forgets them. */
function tabToken(): TokenHolder {
  let memory: string | null = null;
  const KEY = 'mostrador.person';
  return {
    get: () => {
      try {
        return window.sessionStorage.getItem(KEY);
      } catch {
        return memory;
      }
    },
    set: (token) => {
      memory = token;
      try {
        if (token) window.sessionStorage.setItem(KEY, token);
        else window.sessionStorage.removeItem(KEY);
      } catch {
        // private mode without storage: the memory copy serves until a reload
      }
    },
  };
}

async function start(root: Root): Promise<void> {
  const connection = await resolveConnection({
    bridge: window.mostrador,
    href: window.location.href,
    fetch: window.fetch.bind(window),
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  });
  // The client needs the store to report a 401, and the store needs the client: the callback closes the loop.
  let store: AppStore | undefined;
  const personToken = tabToken();
  const client = createApiClient({
    apiBase: connection.apiBase,
    secret: connection.secret,
    person: personToken.get,
    onUnauthorized: () => void store?.getState().unauthorized(),
    locale: () => store?.getState().lang ?? 'es',
  });
  store = createAppStore({ client, storage: safeStorage(), personToken });
  const app = store;
  if (connection.codeRefused) app.setState({ codeRefused: true });
  if (!connection.secret) app.setState({ canSignOut: true });

  document.documentElement.lang = app.getState().lang;
  app.subscribe((s) => {
    document.documentElement.lang = s.lang;
  });

  root.render(
    <StrictMode>
      <StoreProvider store={app}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );

  void app.getState().loadStatus();
  void app.getState().loadPerson().catch(() => undefined);
  connectPush(
    { url: pushUrl(connection.apiBase, window.location.href), protocols: pushProtocols(connection.secret) },
    {
      message: (msg) => applyPush(app, msg),
      state: (link) => app.getState().setLink(link),
      reopened: () => refreshAfterGap(app),
    },
  );
}

const container = document.getElementById('root');
if (container) {
  const root = createRoot(container);
  start(root).catch((e: unknown) => {
    // Only the Electron bridge can fail before the store exists; both languages, since none is chosen yet.
    root.render(
      <p className="fatal" role="alert">
        No se pudo iniciar Mostrador / Mostrador could not start: {e instanceof Error ? e.message : String(e)}
      </p>,
    );
  });
}
