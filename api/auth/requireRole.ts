import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../apiError.ts';
import { actorOf } from './authenticate.ts';
import type { Role } from './role.ts';

// Mount after authenticate(); lets the request through only for the listed roles.
export function requireRole(...allowed: Role[]): RequestHandler {
  // An empty list would silently forbid everyone; that is a wiring mistake, not a policy.
  if (allowed.length === 0) throw new Error('requireRole needs at least one role');

  return (req: Request, res: Response, next: NextFunction): void => {
    let role: Role;
    try {
      ({ role } = actorOf(res));
    } catch (error) {
      return next(error);
    }
    if (!allowed.includes(role)) {
      const action = `${req.method} ${req.baseUrl}${req.path}`;
      return next(new ApiError(403, 'forbidden', `role ${role} may not ${action}`, { role, allowed }));
    }
    next();
  };
}
