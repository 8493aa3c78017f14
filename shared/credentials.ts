/**
 * PIN and password hashes travelling between the terminals of a store through the central (docs/decisions/
 * 0013-credentials-federation.md). They never enter the event journal; each node keeps one row per person and kind,
 * and every node (terminals and the central) settles concurrent changes with the same rule: last writer wins by
 * the credential's hybrid logical clock, compared as text. The HLC ends with the writing device's id, so two
 * devices never tie and every node picks the same winner whatever order the changes arrive in.
 */
export type CredentialKind = 'pin' | 'password';

export interface CredentialVersion {
  userId: string;
  kind: CredentialKind;
  hlc: string;
}

export const credentialKey = (c: Pick<CredentialVersion, 'userId' | 'kind'>): string => `${c.userId}/${c.kind}`;

/** Pure: whether `incoming` replaces what a node holds (nothing held: it does; an equal clock is the same write). */
export const credentialWins = (incoming: Pick<CredentialVersion, 'hlc'>, held: Pick<CredentialVersion, 'hlc'> | undefined): boolean =>
  held === undefined || incoming.hlc > held.hlc;

/**
 * Pure: of a batch of credentials, the ones to store over `held` (clocks held by key, see `credentialKey`): per key
 * the batch's newest, and only when it beats the held one. The batch may carry several versions of one key.
 */
export function mergeCredentials<T extends CredentialVersion>(held: ReadonlyMap<string, string>, incoming: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const c of incoming) {
    const key = credentialKey(c);
    const current = best.get(key);
    if (current ? credentialWins(c, current) : credentialWins(c, held.has(key) ? { hlc: held.get(key)! } : undefined)) best.set(key, c);
  }
  return [...best.values()];
}
