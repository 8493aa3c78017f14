import type { PowerCutOptions } from '../../node/db/crash.js';
import { seededRandom } from './random.js';

/** Power-cut seeds take turns: unsynced writes all lost or some kept, unsynced folder entries kept or dropped. */
export function cutModeFor(seed: number): PowerCutOptions & { label: string } {
  const keep = seed % 2 === 0;
  const drop = seed % 4 >= 2;
  return {
    keepSomeUnsynced: keep ? seededRandom(seed * 7919) : undefined,
    dropUnsyncedEntries: drop,
    label: `${keep ? 'some unsynced writes kept' : 'unsynced writes lost'}, ${drop ? 'unsynced entries dropped' : 'entries kept'}`,
  };
}
