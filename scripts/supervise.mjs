// The launcher's watch over the node in browser mode (`npm start -- --browser`). A node that stops because an
// fsync failed never answers from a state it could not persist; it is started again after a growing delay and
// recovers from its log (DESIGN.md "Durability", rule 8). Electron main does the same for the desktop app.
import { spawn } from 'node:child_process';

/** shared/exit-codes.ts EXIT_FSYNC_FAILED (plain JS here, run before any build; a test keeps them equal). */
export const EXIT_FSYNC_FAILED = 74;
export const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const RESTART_WINDOW_MS = 10 * 60 * 1000;

/**
 * Runs `command` and restarts it after a failed fsync, waiting `delaysMs[n]` before the nth restart within ten
 * minutes; gives up when they run out. `exited` settles with the last run's { code, signal }.
 */
export function supervise(command, args, { cwd, env, delaysMs = RESTART_DELAYS_MS, say = (line) => process.stderr.write(line) } = {}) {
  let child;
  let stopping = false;
  let restarts = [];
  let resolveExit;
  let rejectExit;
  const exited = new Promise((resolve, reject) => {
    resolveExit = resolve;
    rejectExit = reject;
  });
  const start = () => {
    child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.on('error', rejectExit);
    child.on('exit', (code, signal) => {
      const delay = code === EXIT_FSYNC_FAILED && !stopping ? nextDelay() : undefined;
      if (delay === undefined) {
        if (code === EXIT_FSYNC_FAILED) say('\nThe disk keeps failing to save Mostrador’s data. Check the disk, then run npm start again.\n');
        return resolveExit({ code, signal });
      }
      say(`\nMostrador stopped because the disk could not save its data; starting it again in ${delay / 1000} s.\n`);
      setTimeout(() => (stopping ? resolveExit({ code, signal }) : start()), delay);
    });
  };
  const nextDelay = () => {
    const now = Date.now();
    restarts = restarts.filter((at) => now - at < RESTART_WINDOW_MS);
    const delay = delaysMs[restarts.length];
    if (delay !== undefined) restarts.push(now);
    return delay;
  };
  start();
  return {
    exited,
    /** Passes a signal on (Ctrl+C) and restarts nothing after it. */
    stop(signal) {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
