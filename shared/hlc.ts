/**
 * Hybrid logical clock. A timestamp is `wall` (ms since epoch), `counter` and the `node` that made it; the string
 * form sorts lexicographically in causal order, so read models and SQL can compare HLCs as text.
 *
 * A skewed wall clock never blocks a sale and nothing here throws for a clock:
 * - the clock only moves forward: when the wall clock is behind the last timestamp (a clock set back, a dead CMOS
 *   battery), ticks keep the last wall and count up;
 * - a received timestamp is adopted only while it is at most MAX_DRIFT_MS ahead of this node's wall clock. Beyond
 *   that the local clock goes on as if nothing was received, and the skew is reported (`observeSkew`) so the status
 *   screen and the federation can flag it. A device a year ahead cannot drag every other device a year forward.
 * - the text form has fixed widths (15 digits of wall, 6 of counter). A counter that would pass 999999 carries into
 *   the wall instead (wall + 1 ms, counter 0): the next timestamp is still greater, as text and as numbers, and the
 *   form never widens. It takes a million timestamps within one millisecond, so the wall runs ahead by at most a few
 *   milliseconds in practice. Walls fit 15 digits until the year 33658.
 */
export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

/** How far ahead of the local wall clock a received clock may be and still be adopted: 5 minutes. */
export const MAX_DRIFT_MS = 5 * 60 * 1000;

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
export const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;

export const formatHlc = (h: Hlc): string =>
  `${String(h.wall).padStart(WALL_DIGITS, '0')}-${String(h.counter).padStart(COUNTER_DIGITS, '0')}-${h.node}`;

export function parseHlc(text: string): Hlc {
  const match = /^(\d{15})-(\d{6})-(.+)$/.exec(text);
  if (!match) throw new TypeError(`not a hybrid logical clock: ${text}`);
  return { wall: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

/** A counter past the fixed width carries into the wall, so the text form keeps its width and its order. */
const carry = (wall: number, counter: number, node: string): Hlc =>
  counter > MAX_COUNTER ? { wall: wall + 1, counter: 0, node } : { wall, counter, node };

/** The next local timestamp after `last` (which may come from this node or from a remote event it received). */
export function tickHlc(last: Hlc | undefined, now: number, node: string): Hlc {
  if (!last || now > last.wall) return { wall: now, counter: 0, node };
  return carry(last.wall, last.counter + 1, node);
}

/** How far a received clock is ahead of this node's wall clock (negative when behind). */
export interface Skew {
  skewMs: number;
  /** The received clock was too far ahead to adopt (more than MAX_DRIFT_MS). */
  capped: boolean;
}

export function observeSkew(remote: Hlc, now: number): Skew {
  const skewMs = remote.wall - now;
  return { skewMs, capped: skewMs > MAX_DRIFT_MS };
}

/**
 * Merge a received timestamp so that the next local tick is after it, unless it is too far ahead of the local wall
 * clock (see `observeSkew`): then it is ignored and the result is a plain local tick.
 */
export function receiveHlc(local: Hlc | undefined, remote: Hlc, now: number, node: string): Hlc {
  if (observeSkew(remote, now).capped) return tickHlc(local, now, node);
  const wall = Math.max(now, remote.wall, local?.wall ?? 0);
  let counter = 0;
  if (local && wall === local.wall && wall === remote.wall) counter = Math.max(local.counter, remote.counter) + 1;
  else if (local && wall === local.wall) counter = local.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  return carry(wall, counter, node);
}
