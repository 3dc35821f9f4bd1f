import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { ApiError } from '../apiError.ts';
import type { Actor } from './actor.ts';
import { tokenAudience, tokenIssuer } from './issueToken.ts';
import { isRole } from './role.ts';
import type { SigningKeys } from './signingKeys.ts';

const clockToleranceSeconds = 5;

// Verified tokens, remembered until they expire: an RS256 verification costs more than the
// rest of a typical command, and clients send the same token many times.
const MAX_REMEMBERED = 10_000;

// Verifies the bearer token and records the caller as res.locals.actor for later middleware.
export function authenticate(keys: SigningKeys): RequestHandler {
  const verified = new Map<string, { actor: Actor; expiresAtMs: number }>();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const remembered = req.headers.authorization && verified.get(req.headers.authorization);
    if (remembered) {
      if (remembered.expiresAtMs > Date.now()) {
        res.locals.actor = remembered.actor;
        return next();
      }
      verified.delete(req.headers.authorization!);
    }
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') return reject(res, next, 'missing bearer token');

    const [scheme = '', token, ...rest] = header.trim().split(/\s+/);
    // Scheme names are case-insensitive (RFC 7235 §2.1).
    if (scheme.toLowerCase() !== 'bearer') return reject(res, next, 'authorization header must use the Bearer scheme');
    if (token === undefined) return reject(res, next, 'missing bearer token');
    if (rest.length > 0) return reject(res, next, 'invalid token');

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.publicKey, {
        algorithms: ['RS256'],
        issuer: tokenIssuer,
        audience: tokenAudience,
        clockTolerance: clockToleranceSeconds,
        // jose only checks exp when present; a token without one would never expire.
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      // Anything jose rejects came from the caller, so it is a 401 rather than a 500.
      return reject(res, next, error instanceof errors.JWTExpired ? 'token expired' : 'invalid token');
    }

    const { sub, role } = payload;
    if (typeof sub !== 'string' || sub === '') return reject(res, next, 'invalid token: missing subject');
    if (!isRole(role)) return reject(res, next, 'invalid token: unknown role');

    const actor: Actor = { sub, role };
    res.locals.actor = actor;
    if (typeof payload.exp === 'number') {
      if (verified.size >= MAX_REMEMBERED) verified.clear();
      verified.set(header, { actor, expiresAtMs: payload.exp * 1000 });
    }
    next();
  };
}

export function actorOf(res: Response): Actor {
  const actor: unknown = res.locals.actor;
  if (!isActor(actor)) {
    // Reaching here means a route was mounted without authenticate(); fail closed.
    res.setHeader('WWW-Authenticate', 'Bearer');
    throw new ApiError(401, 'unauthorized', 'not authenticated');
  }
  return actor;
}

function isActor(value: unknown): value is Actor {
  if (typeof value !== 'object' || value === null) return false;
  const { sub, role } = value as Record<string, unknown>;
  return typeof sub === 'string' && sub !== '' && isRole(role);
}

function reject(res: Response, next: NextFunction, message: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer');
  next(new ApiError(401, 'unauthorized', message));
}
