/**
 * Hybrid logical clock. A timestamp is `wall` (ms since epoch), `counter` and the `node` that made it; the string
 * form sorts lexicographically in causal order, so read models and SQL can compare HLCs as text.
 * A skewed wall clock never blocks: the clock only moves forward, and a remote clock far ahead is reported as skew.
 */
export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;

export const formatHlc = (h: Hlc): string =>
  `${String(h.wall).padStart(WALL_DIGITS, '0')}-${String(h.counter).padStart(COUNTER_DIGITS, '0')}-${h.node}`;

export function parseHlc(text: string): Hlc {
  const match = /^(\d{15})-(\d{6})-(.+)$/.exec(text);
  if (!match) throw new TypeError(`not a hybrid logical clock: ${text}`);
  return { wall: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

/** The next local timestamp after `last` (which may come from this node or from a remote event it received). */
export function tickHlc(last: Hlc | undefined, now: number, node: string): Hlc {
  if (!last || now > last.wall) return { wall: now, counter: 0, node };
  return { wall: last.wall, counter: last.counter + 1, node };
}

/** Merge a received timestamp so that the next local tick is after it. */
export function receiveHlc(local: Hlc | undefined, remote: Hlc, now: number, node: string): Hlc {
  const wall = Math.max(now, remote.wall, local?.wall ?? 0);
  let counter = 0;
  if (local && wall === local.wall && wall === remote.wall) counter = Math.max(local.counter, remote.counter) + 1;
  else if (local && wall === local.wall) counter = local.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  return { wall, counter, node };
}
