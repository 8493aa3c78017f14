import type { z } from 'zod';

/**
 * The versions of one event type's payload (CONVENTIONS.md "Schemas carry versions and up-migrations"). An event is
 * stored with the version it was written in, forever; reading it parses that version's schema and then runs each
 * up-migration in turn, so code only ever sees the latest shape. A version this build does not know (written by a
 * newer release) is an `UnreadableEvent`, which remote apply parks rather than guesses at.
 */
export interface EventDef<Latest> {
  readonly latest: number;
  read(version: number, payload: unknown): Latest;
  /** The next version: its schema, and how a payload of the current latest version becomes one. */
  next<S extends z.ZodType>(schema: S, up: (previous: Latest) => z.input<S>): EventDef<z.output<S>>;
}

/** An event this build cannot read: its type or payload version comes from a newer release. */
export class UnreadableEvent extends Error {}

type Step = { schema: z.ZodType; up?: (previous: unknown) => unknown };

function build<Latest>(steps: readonly Step[]): EventDef<Latest> {
  return {
    latest: steps.length,
    read(version, payload) {
      const first = steps[version - 1];
      if (!Number.isInteger(version) || !first) throw new UnreadableEvent(`payload version ${version} is not known to this build (it reads up to ${steps.length})`);
      let value = first.schema.parse(payload);
      for (const step of steps.slice(version)) value = step.schema.parse(step.up!(value));
      return value as Latest;
    },
    next(schema, up) {
      return build([...steps, { schema, up: up as (previous: unknown) => unknown }]);
    },
  };
}

/** An event type whose first payload version is `schema`; chain `.next(...)` for later versions. */
export const eventDef = <S extends z.ZodType>(schema: S): EventDef<z.output<S>> => build([{ schema }]);

export type PayloadOfDef<D> = D extends EventDef<infer P> ? P : never;
