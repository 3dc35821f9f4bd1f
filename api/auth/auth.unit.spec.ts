import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { SignJWT, importPKCS8, importSPKI } from 'jose';
import { ApiError } from '../apiError.ts';
import { actorOf, authenticate } from './authenticate.ts';
import { issueToken } from './issueToken.ts';
import { requireRole } from './requireRole.ts';
import type { SigningKeys } from './signingKeys.ts';

// Keys kept in memory: file handling is covered by signingKeys.int.spec.ts.
async function memoryKeys(keyId: string): Promise<SigningKeys> {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKey: await importPKCS8(pair.privateKey, 'RS256'),
    publicKey: await importSPKI(pair.publicKey, 'RS256'),
    keyId,
  };
}

type Reply = { status: number; body: Record<string, unknown>; wwwAuthenticate: string | null };

describe('authenticate + requireRole', () => {
  let keys: SigningKeys;
  let otherKeys: SigningKeys;
  let server: Server;
  let baseUrl: string;

  before(async () => {
    keys = await memoryKeys('test-key');
    otherKeys = await memoryKeys('other-key');

    const app = express();
    app.use(authenticate(keys));
    app.get('/whoami', (_req, res) => {
      res.json(actorOf(res));
    });
    app.post('/agents', requireRole('operator', 'moderator'), (_req, res) => {
      res.status(201).json({ ok: true });
    });
    // Stand-in for the real error handler: render ApiError as-is.
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof ApiError) {
        res.status(error.status).json({ code: error.code, message: error.message, details: error.details });
      } else {
        res.status(500).json({ code: 'internal', message: String(error) });
      }
    });
    server = app.listen(0);
    await new Promise<void>((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  async function call(method: string, path: string, authorization?: string): Promise<Reply> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: authorization === undefined ? {} : { authorization },
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      wwwAuthenticate: response.headers.get('www-authenticate'),
    };
  }

  function assertUnauthorized(reply: Reply, message: string): void {
    assert.equal(reply.status, 401);
    assert.equal(reply.body.code, 'unauthorized');
    assert.equal(reply.body.message, message);
    assert.equal(reply.wwwAuthenticate, 'Bearer');
  }

  it('accepts a valid token and exposes the actor', async () => {
    const token = await issueToken(keys, { sub: 'agent-ops-1', role: 'moderator' });
    const reply = await call('GET', '/whoami', `Bearer ${token}`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { sub: 'agent-ops-1', role: 'moderator' });
  });

  it('accepts the scheme name in any case', async () => {
    const token = await issueToken(keys, { sub: 'u1', role: 'viewer' });
    assert.equal((await call('GET', '/whoami', `bearer ${token}`)).status, 200);
  });

  it('issues RS256 tokens with kid, iss, aud, iat, exp of one hour and a jti', async () => {
    const token = await issueToken(keys, { sub: 'u1', role: 'service' });
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
    assert.deepEqual(header, { alg: 'RS256', kid: 'test-key' });
    assert.equal(payload?.iss, 'chimera');
    assert.equal(payload?.aud, 'chimera-api');
    assert.equal(payload?.sub, 'u1');
    assert.equal(payload?.role, 'service');
    assert.equal(Number(payload?.exp) - Number(payload?.iat), 3600);
    assert.match(String(payload?.jti), /^[0-9a-f-]{36}$/);
  });

  it('rejects a request without an Authorization header', async () => {
    assertUnauthorized(await call('GET', '/whoami'), 'missing bearer token');
  });

  it('rejects a non-Bearer scheme', async () => {
    assertUnauthorized(await call('GET', '/whoami', 'Basic dXNlcjpwYXNz'), 'authorization header must use the Bearer scheme');
  });

  it('rejects a malformed token', async () => {
    assertUnauthorized(await call('GET', '/whoami', 'Bearer not.a.jwt'), 'invalid token');
    assertUnauthorized(await call('GET', '/whoami', 'Bearer a.b.c extra'), 'invalid token');
    assertUnauthorized(await call('GET', '/whoami', 'Bearer '), 'missing bearer token');
  });

  it('rejects a token signed by another key', async () => {
    const token = await issueToken(otherKeys, { sub: 'u1', role: 'operator' });
    assertUnauthorized(await call('GET', '/whoami', `Bearer ${token}`), 'invalid token');
  });

  it('rejects an expired token', async () => {
    const token = await issueToken(keys, { sub: 'u1', role: 'operator', ttlSeconds: -10 });
    assertUnauthorized(await call('GET', '/whoami', `Bearer ${token}`), 'token expired');
  });

  it('rejects a token with an unknown role', async () => {
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'RS256', kid: keys.keyId })
      .setSubject('u1')
      .setIssuer('chimera')
      .setAudience('chimera-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(keys.privateKey!);
    assertUnauthorized(await call('GET', '/whoami', `Bearer ${token}`), 'invalid token: unknown role');
  });

  it('rejects a token without an expiry or for another audience', async () => {
    const base = () =>
      new SignJWT({ role: 'operator' }).setProtectedHeader({ alg: 'RS256' }).setSubject('u1').setIssuer('chimera').setIssuedAt();
    const noExp = await base().setAudience('chimera-api').sign(keys.privateKey!);
    const otherAud = await base().setAudience('elsewhere').setExpirationTime('1h').sign(keys.privateKey!);
    assertUnauthorized(await call('GET', '/whoami', `Bearer ${noExp}`), 'invalid token');
    assertUnauthorized(await call('GET', '/whoami', `Bearer ${otherAud}`), 'invalid token');
  });

  it('requireRole lets an allowed role through', async () => {
    const token = await issueToken(keys, { sub: 'op', role: 'operator' });
    const reply = await call('POST', '/agents', `Bearer ${token}`);
    assert.equal(reply.status, 201);
  });

  it('requireRole answers 403 for a role not allowed', async () => {
    const token = await issueToken(keys, { sub: 'v', role: 'viewer' });
    const reply = await call('POST', '/agents', `Bearer ${token}`);
    assert.equal(reply.status, 403);
    assert.equal(reply.body.code, 'forbidden');
    assert.equal(reply.body.message, 'role viewer may not POST /agents');
    assert.deepEqual(reply.body.details, { role: 'viewer', allowed: ['operator', 'moderator'] });
  });

  it('requireRole refuses an empty role list', () => {
    assert.throws(() => requireRole(), /at least one role/);
  });

  it('actorOf throws 401 when nothing authenticated the request', () => {
    const res = { locals: {}, setHeader: () => res } as unknown as Response;
    assert.throws(() => actorOf(res), (error: unknown) => error instanceof ApiError && error.status === 401);
  });

  it('issueToken refuses without a private key', async () => {
    await assert.rejects(issueToken({ publicKey: keys.publicKey, keyId: 'k' }, { sub: 'u', role: 'viewer' }), /cannot issue/);
  });
});
