export declare const EXIT_FSYNC_FAILED: number;
export declare const RESTART_DELAYS_MS: number[];
export interface SuperviseOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  delaysMs?: number[];
  say?: (line: string) => void;
}
export declare function supervise(
  command: string,
  args: string[],
  options?: SuperviseOptions,
): { exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; stop(signal: NodeJS.Signals): void };
