import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_FSYNC_FAILED } from '../../shared/exit-codes.js';
import { EXIT_FSYNC_FAILED as LAUNCHER_CODE, supervise } from '../../scripts/supervise.mjs';
import { useTempDirs } from '../support/tmp.js';

/** A stand-in node: counts its runs in a file and exits with the code listed for that run. */
function fakeNode(dir: string, codes: number[]): string[] {
  const counter = path.join(dir, 'runs');
  const script = `const fs=require('fs');const n=fs.existsSync(${JSON.stringify(counter)})?Number(fs.readFileSync(${JSON.stringify(counter)},'utf8')):0;` +
    `fs.writeFileSync(${JSON.stringify(counter)},String(n+1));process.exit(${JSON.stringify(codes)}[n]??0);`;
  return ['-e', script];
}
const runs = (dir: string): number => Number(fs.readFileSync(path.join(dir, 'runs'), 'utf8'));

describe("npm start's launcher in browser mode", () => {
  const temp = useTempDirs('mostrador-launcher-');

  it('uses the exit code the node uses for a failed fsync', () => {
    expect(LAUNCHER_CODE).toBe(EXIT_FSYNC_FAILED);
  });

  it('restarts the node after a failed fsync, waiting longer each time, until it stops normally', async () => {
    const dir = temp();
    const said: string[] = [];
    const started = Date.now();
    const node = supervise(process.execPath, fakeNode(dir, [EXIT_FSYNC_FAILED, EXIT_FSYNC_FAILED, 0]), { delaysMs: [50, 150, 1000], say: (l: string) => said.push(l) });
    expect(await node.exited).toEqual({ code: 0, signal: null });
    expect(runs(dir)).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(said.join('')).toMatch(/starting it again in 0.05 s[\s\S]*starting it again in 0.15 s/);
  });

  it('gives up with a message when the backoff runs out', async () => {
    const dir = temp();
    const said: string[] = [];
    const node = supervise(process.execPath, fakeNode(dir, [EXIT_FSYNC_FAILED, EXIT_FSYNC_FAILED, 0]), { delaysMs: [10], say: (l: string) => said.push(l) });
    expect(await node.exited).toEqual({ code: EXIT_FSYNC_FAILED, signal: null });
    expect(runs(dir)).toBe(2);
    expect(said.join('')).toMatch(/keeps failing/);
  });

  it('does not restart a node that stopped for another reason', async () => {
    const dir = temp();
    const node = supervise(process.execPath, fakeNode(dir, [2]), { delaysMs: [10], say: () => undefined });
    expect(await node.exited).toEqual({ code: 2, signal: null });
    expect(runs(dir)).toBe(1);
  });
});
