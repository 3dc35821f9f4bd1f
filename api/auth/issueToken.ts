import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { isRole } from './role.ts';
import type { Role } from './role.ts';
import type { SigningKeys } from './signingKeys.ts';

export const tokenIssuer = 'chimera';
export const tokenAudience = 'chimera-api';
export const defaultTokenTtlSeconds = 60 * 60;

export type TokenRequest = { sub: string; role: Role; ttlSeconds?: number };

export async function issueToken(keys: SigningKeys, request: TokenRequest): Promise<string> {
  const { sub, role, ttlSeconds = defaultTokenTtlSeconds } = request;
  if (!keys.privateKey) throw new Error('this node has only the JWT public key and cannot issue tokens');
  // Checked here too because the middleware would reject such a token anyway, far from the cause.
  if (sub === '') throw new RangeError('token subject must be a non-empty string');
  if (!isRole(role)) throw new RangeError(`unknown role: ${String(role)}`);
  if (!Number.isFinite(ttlSeconds)) throw new RangeError('token ttl must be a finite number of seconds');

  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'RS256', kid: keys.keyId })
    .setSubject(sub)
    .setIssuer(tokenIssuer)
    .setAudience(tokenAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + Math.trunc(ttlSeconds))
    .setJti(randomUUID())
    .sign(keys.privateKey);
}
