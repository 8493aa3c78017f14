import { EventEmitter } from 'node:events';

/**
 * A stand-in for the `electron` module, since the Electron binary cannot run in CI. It implements only what
 * electron/ uses and records every call so tests can assert on it. Use with
 * `vi.mock('electron', () => import('./testing/fake-electron.js').then((m) => m.fake))` and call `fake.reset()`
 * in `beforeEach`.
 */

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: WindowOpenHandler | undefined;
  reloads = 0;
  reload(): void {
    this.reloads++;
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrls: string[] = [];
  shown = false;
  focused = false;
  minimized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  sent: unknown[] = [];
  killed = false;
  exited = false;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  /** Like Electron, the 'exit' event follows the kill asynchronously. */
  kill(): boolean {
    if (this.exited) return false;
    this.killed = true;
    setImmediate(() => this.exit(-1));
    return true;
  }
  /** What the node would post over parentPort. */
  post(message: unknown): void {
    this.emit('message', message);
  }
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code);
  }
}

class FakeApp extends EventEmitter {
  name = 'Electron';
  singleInstanceLock = true;
  quitCalls = 0;
  exitCodes: number[] = [];
  quitted = false;
  namesWhenPathRead: string[] = [];
  /** The module object is imported once, so reset mutates this instance rather than replacing it. */
  resetState(): void {
    this.removeAllListeners();
    this.name = 'Electron';
    this.singleInstanceLock = true;
    this.quitCalls = 0;
    this.exitCodes = [];
    this.quitted = false;
    this.namesWhenPathRead = [];
  }
  setName(name: string): void {
    this.name = name;
  }
  getName(): string {
    return this.name;
  }
  getPath(which: string): string {
    this.namesWhenPathRead.push(this.name);
    return `/fake/${which}/${this.name}`;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  /** Like Electron: 'before-quit' may cancel the quit with preventDefault. */
  quit(): void {
    this.quitCalls++;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }
  exit(code = 0): void {
    this.exitCodes.push(code);
  }
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

class FakeSession {
  permissionRequestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((wc: unknown, permission: string) => boolean) | undefined;
  readonly webRequest = {
    headersFilter: undefined as { urls: string[] } | undefined,
    headersListener: undefined as HeadersListener | undefined,
    onHeadersReceived(filter: { urls: string[] }, listener: HeadersListener): void {
      this.headersFilter = filter;
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

function createFake() {
  const forks: FakeUtilityProcess[] = [];
  const handlers = new Map<string, InvokeHandler>();
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const sessionHolder = { defaultSession: new FakeSession() };
  const fake = {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    utilityProcess: {
      fork(modulePath: string, args: string[] = [], options: Record<string, unknown> = {}): FakeUtilityProcess {
        const child = new FakeUtilityProcess(modulePath, args, options);
        forks.push(child);
        return child;
      },
    },
    ipcMain: {
      handle(channel: string, handler: InvokeHandler): void {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        handlers.set(channel, handler);
      },
    },
    ipcRenderer: {
      invoke(channel: string, ...args: unknown[]): Promise<unknown> {
        invoked.push({ channel, args });
        return Promise.resolve({ channel });
      },
    },
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown): void {
        exposed.set(key, api);
      },
    },
    session: sessionHolder,
    dialog: {
      showErrorBox(title: string, content: string): void {
        errorBoxes.push({ title, content });
      },
    },
    forks,
    handlers,
    exposed,
    invoked,
    errorBoxes,
    /** Calls an ipcMain handler the way Electron would for a frame at `frameUrl` (null: detached frame). */
    invokeMain(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      const event = { senderFrame: frameUrl === null ? null : { url: frameUrl } };
      return Promise.resolve().then(() => handler(event, ...args));
    },
    reset(): void {
      fake.app.resetState();
      FakeBrowserWindow.instances = [];
      forks.length = 0;
      handlers.clear();
      exposed.clear();
      invoked.length = 0;
      errorBoxes.length = 0;
      sessionHolder.defaultSession = new FakeSession();
    },
  };
  return fake;
}

export const fake = createFake();
export type FakeElectron = typeof fake;
