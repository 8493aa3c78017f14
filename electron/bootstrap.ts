import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Bootstrap } from '../shared/contract/push.js';
import { isNodeOrigin } from './security.js';

/** The one IPC channel. preload.cts repeats the literal because a sandboxed preload cannot import our modules. */
export const BOOTSTRAP_CHANNEL = 'mostrador:bootstrap';

/**
 * Hands the API address and the launch secret to the renderer. The secret makes the caller the store's owner, so
 * only a frame served by our node gets it — never a frame that navigated elsewhere or an embedded third party.
 */
export function registerBootstrap(bootstrap: Bootstrap): void {
  ipcMain.handle(BOOTSTRAP_CHANNEL, (event: IpcMainInvokeEvent): Bootstrap => {
    const url = event.senderFrame?.url;
    if (!isNodeOrigin(bootstrap.apiUrl, url)) {
      throw new Error(`mostrador:bootstrap refused for ${url ?? 'a detached frame'}`);
    }
    return { apiUrl: bootstrap.apiUrl, secret: bootstrap.secret };
  });
}
