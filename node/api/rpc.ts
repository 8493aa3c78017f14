import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { commandIdSchema } from '../../shared/ids.js';
import { methodOf, type MethodName } from '../../shared/contract/index.js';
import { requestContext } from '../log.js';
import type { LocalAuth } from './auth.js';
import { parseOrThrow } from './errors.js';
import type { CallContext, Handlers } from '../handlers.js';

const envelope = z.strictObject({ input: z.unknown(), commandId: commandIdSchema.optional() });

/**
 * `POST /api/<method>` with `{input, commandId?}`: the one way in. Input is validated against the contract before
 * any handler runs, so bad input changes nothing; a GET or any other verb is refused (no state change through GET).
 */
export function registerRpc(app: FastifyInstance, handlers: Handlers, auth: LocalAuth): void {
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
    if (!method.roles.includes(principal.role)) {
      throw AppError.t('Forbidden', 'roleForbidden', { role: principal.role, method: method.name });
    }
    const body = parseOrThrow(envelope, request.body);
    const input = parseOrThrow(method.input, body.input ?? {});
    const commandId = method.kind === 'command' ? body.commandId : undefined;
    if (method.kind === 'command' && !commandId) {
      throw new AppError('ValidationError', 'A command needs a commandId: a UUID v7 made by the client, reused when retrying.');
    }
    const abort = new AbortController();
    request.raw.once('close', () => abort.abort());
    const ctx: CallContext = { principal, requestId: request.id, commandId, signal: abort.signal };
    const handler = handlers[method.name as MethodName] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    const result = await requestContext.run({ requestId: request.id }, () => handler(input, ctx));
    const checked = method.output.safeParse(result);
    if (!checked.success) throw new Error(`${method.name} produced output that breaks its contract: ${checked.error.message}`);
    return { result: checked.data };
  });
}
