/**
 * The central of bench:ingest and bench:relay in its own process (bench/ingest-central.ts), on a PostgreSQL database:
 * the clients' JSON, hashing and signing must not share its thread. Also an enrollment code straight from that database.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type pg from 'pg';
import { createEnrollmentCode } from '../node/central/enrollment.js';

export async function startCentralProcess(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', path.join('bench', 'ingest-central.ts'), databaseUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MOSTRADOR_LOG_LEVEL: process.env.MOSTRADOR_LOG_LEVEL ?? 'warn' },
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the central exited (${code})`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

/** A one-time enrollment code for a store, made in the central's database. */
export async function enrollmentCode(db: pg.Pool, storeId: string): Promise<string> {
  const { code } = await createEnrollmentCode({ query: (sql: string, params?: readonly unknown[]) => db.query(sql, params as unknown[]).then((r) => r.rows) } as never, { storeId });
  return code;
}
