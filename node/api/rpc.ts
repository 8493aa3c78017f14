import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { isUuidV7 } from '../../shared/ids.js';
import { methodOf, type MethodName } from '../../shared/contract/index.js';
import { requestContext } from '../log.js';
import type { LocalAuth } from './auth.js';
import { fromZod } from './errors.js';
import type { CommandCall, Handlers, Principal, QueryCall, StoreScope } from '../handlers.js';

const envelope = z.strictObject({ input: z.unknown(), commandId: z.string().max(64).optional() });

/**
 * `POST /api/<method>` with `{input, commandId?}`: the one way in. Input is validated against the contract before
 * any handler runs, so bad input changes nothing; a GET or any other verb is refused (no state change through GET).
 */
export function registerRpc(app: FastifyInstance, handlers: Handlers, auth: LocalAuth, storeOf: (principal: Principal) => StoreScope): void {
  app.route({
    method: ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/:method',
    handler: async () => {
      throw new AppError('MethodNotAllowed', 'Call API methods with POST.');
    },
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (request) => {
    const principal = auth.require(request);
    if (!request.headers['content-type']?.toLowerCase().startsWith('application/json')) {
      throw new AppError('UnsupportedMediaType', 'Send the request as JSON (Content-Type: application/json).');
    }
    const method = methodOf(request.params.method);
    if (!method) throw new AppError('NotFound', `There is no API method called "${request.params.method}".`);
    if (!method.roles.includes(principal.staffRole)) {
      throw AppError.t('Forbidden', 'roleForbidden', { role: principal.staffRole, method: method.name });
    }
    const body = envelope.safeParse(request.body);
    if (!body.success) throw fromZod(body.error);
    const input = method.input.safeParse(body.data.input ?? {});
    if (!input.success) throw fromZod(input.error);
    const abort = new AbortController();
    request.raw.once('close', () => abort.abort());
    let call: QueryCall | CommandCall = { principal, store: storeOf(principal), requestId: request.id, signal: abort.signal };
    if (method.kind === 'command') {
      const commandId = body.data.commandId;
      if (!commandId || !isUuidV7(commandId)) {
        throw new AppError('ValidationError', 'A command needs a commandId: a UUID v7 made by the client, reused when retrying.');
      }
      call = { ...call, commandId };
    }
    const handler = handlers[method.name as MethodName] as (input: unknown, call: QueryCall | CommandCall) => Promise<unknown>;
    const result = await requestContext.run({ requestId: request.id }, () => handler(input.data, call));
    const checked = method.output.safeParse(result);
    if (!checked.success) throw new Error(`${method.name} produced output that breaks its contract: ${checked.error.message}`);
    return { result: checked.data };
  });
}
