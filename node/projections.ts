import { assertNever } from '../shared/errors.js';
import type { DomainEvent } from '../shared/events.js';
import { productsProjection } from './catalog/products.projection.js';
import type { AnyProjection } from './journal/projection.js';


/** Every read model, in the order the rebuild verifier checks them. */
export const allProjections: readonly AnyProjection[] = [productsProjection];

/**
 * Which read models an event changes. Exhaustive over event types: a new type that no one routes fails to compile.
 */
export function projectionsFor(event: DomainEvent): readonly AnyProjection[] {
  switch (event.type) {
    case 'ProductCreated':
    case 'ProductUpdated':
    case 'PriceChanged':
      return [productsProjection];
    default:
      return assertNever(event, 'event type');
  }
}
