import { createHash } from 'node:crypto';
import type { Db } from '../db/types.js';

/** The cookie carries a random token; the database keeps only its SHA-256 (migration 0006). */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface StoredSession {
  hash: string;
  expiresAt: number;
}

/** Where sign-in sessions are kept so they outlive the process. */
export interface SessionStore {
  /** Drops the expired ones and returns the rest. */
  live(now: number): Promise<StoredSession[]>;
  save(session: StoredSession): Promise<void>;
  remove(hash: string): Promise<void>;
}

export function dbSessionStore(db: Db): SessionStore {
  return {
    async live(now) {
      await db.write((tx) => tx.query('DELETE FROM local_session WHERE expires_at <= $1', [new Date(now)]));
      const rows = await db.query<{ token_sha256: string; expires_ms: number }>(
        'SELECT token_sha256, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms FROM local_session',
      );
      return rows.map((r) => ({ hash: r.token_sha256, expiresAt: Number(r.expires_ms) }));
    },
    async save({ hash, expiresAt }) {
      await db.write((tx) =>
        tx.query(
          `INSERT INTO local_session (token_sha256, expires_at) VALUES ($1, $2)
           ON CONFLICT (token_sha256) DO UPDATE SET expires_at = excluded.expires_at`,
          [hash, new Date(expiresAt)],
        ),
      );
    },
    async remove(hash) {
      await db.write((tx) => tx.query('DELETE FROM local_session WHERE token_sha256 = $1', [hash]));
    },
  };
}
