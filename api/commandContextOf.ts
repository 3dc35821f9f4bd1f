import type { Response } from 'express';
import type { CommandContext } from '../commands/handleAgentCommand.ts';
import { actorOf } from './auth/authenticate.ts';
import { requestIdOf } from './requestId.ts';

// A command started by an HTTP request is correlated by the request id and done by the
// caller the token names.
export function commandContextOf(res: Response): CommandContext {
  const requestId = requestIdOf(res);
  return { actor: actorOf(res), correlationId: requestId, causationId: requestId };
}
