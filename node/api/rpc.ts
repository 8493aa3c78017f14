import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { commandIdSchema } from '../../shared/ids.js';
import { methodOf, priorityOf, type MethodName } from '../../shared/contract/index.js';
import { atPriority } from '../db/queue.js';
import { requestContext } from '../log.js';
import { parseOrThrow } from './errors.js';
import { principalOf } from './guard.js';
import type { CommandCall, Handlers, Principal, QueryCall, StoreScope } from '../handlers.js';

const envelope = z.strictObject({ input: z.unknown(), commandId: commandIdSchema.optional() });

/**
 * `POST /api/<method>` with `{input, commandId?}`: the one way in. `guards` run in onRequest (who is calling, what
 * the body is) before the body is read. Input is validated against the contract before any handler runs, so bad
 * input changes nothing; a GET or any other verb is refused (no state change through GET). The handler's database
 * work waits at the priority its method declares (node/db/queue.ts).
 */
export function registerRpc(
  app: FastifyInstance,
  handlers: Handlers,
  guards: onRequestAsyncHookHandler[],
  storeOf: (principal: Principal) => StoreScope,
): void {
  app.route({
    method: ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/:method',
    handler: async () => {
      throw new AppError('MethodNotAllowed', 'Call API methods with POST.');
    },
  });

  app.post<{ Params: { method: string } }>('/api/:method', { onRequest: guards }, async (request, reply) => {
    const principal = principalOf(request);
    const method = methodOf(request.params.method);
    if (!method) throw new AppError('NotFound', `There is no API method called "${request.params.method}".`);
    // Once the store has people, the installation's proof alone opens only the sign-in screen's methods.
    if (principal.anonymous && !method.open) throw AppError.t('Unauthorized', 'personNeeded');
    if (!method.roles.includes(principal.staffRole)) {
      throw AppError.t('Forbidden', 'roleForbidden', { role: principal.staffRole, method: method.name });
    }
    const body = parseOrThrow(envelope, request.body);
    const input = parseOrThrow(method.input, body.input ?? {});
    // The request stream closes once its body is read; the response closing unfinished is the caller going away.
    const abort = new AbortController();
    reply.raw.once('close', () => reply.raw.writableFinished || abort.abort());
    let call: QueryCall | CommandCall = { principal, store: storeOf(principal), requestId: request.id, signal: abort.signal };
    if (method.kind === 'command') {
      if (!body.commandId) {
        throw new AppError('ValidationError', 'A command needs a commandId: a UUID v7 made by the client, reused when retrying.');
      }
      call = { ...call, commandId: body.commandId };
    }
    const handler = handlers[method.name as MethodName] as (input: unknown, call: QueryCall | CommandCall) => Promise<unknown>;
    const work = { priority: priorityOf(method), signal: abort.signal };
    const result = await atPriority(work, () => requestContext.run({ requestId: request.id }, () => handler(input, call)));
    const checked = method.output.safeParse(result);
    if (!checked.success) throw new Error(`${method.name} produced output that breaks its contract: ${checked.error.message}`);
    return { result: checked.data };
  });
}
