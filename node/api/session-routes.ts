import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { createLogger } from '../log.js';
import { SESSION_COOKIE, SESSION_TTL_MS, type LocalAuth } from './auth.js';
import { jsonUtf8 } from './guard.js';
import type { SignInLimiter } from './ratelimit.js';

const log = createLogger('auth');

/**
 * The browser's way in and out: `POST /auth/session {code}` trades a sign-in link's code for the session cookie,
 * `DELETE /auth/session` signs out (the session is forgotten by the node, the cookie cleared). A session in use has
 * its expiry pushed forward about once a day, and its cookie with it.
 */
export function registerSessionRoutes(app: FastifyInstance, auth: LocalAuth, limiter: SignInLimiter): void {
  // Anyone may try a code, so the body is small and the attempt limit is checked before it is read.
  const limitCodes = async () => limiter.check('code');
  app.post('/auth/session', { bodyLimit: 1024, onRequest: [limitCodes, jsonUtf8] }, async (request, reply) => {
    const body = z.object({ code: z.string().max(200) }).safeParse(request.body);
    let token: string;
    try {
      token = await auth.exchange(body.success ? body.data.code : undefined);
    } catch (error) {
      limiter.failed('code');
      throw error;
    }
    setSessionCookie(reply, token);
    log.info('signed in with a sign-in link');
    return { result: { signedIn: true } };
  });

  app.delete('/auth/session', async (request, reply) => {
    await auth.signOut(request.cookies?.[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { result: { signedOut: true } };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token || reply.statusCode >= 400 || request.url.startsWith('/auth/')) return payload;
    try {
      if (await auth.slide(token)) setSessionCookie(reply, token);
    } catch (error) {
      // The session stays valid until its current expiry; a failed renewal is tried again on the next request.
      log.warn({ err: error }, 'could not extend a browser session');
    }
    return payload;
  });
}

function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}
