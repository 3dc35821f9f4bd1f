import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Every response names its request (X-Request-Id, and request_id in errors). A caller's own
// UUID is kept so that logs on both sides line up.
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.header('x-request-id');
  const id = given && UUID.test(given) ? given.toLowerCase() : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};

export const requestIdOf = (res: Response): string => (res.locals.requestId as string | undefined) ?? randomUUID();
