import type { z } from 'zod';
import { ApiError } from './apiError.ts';

// Validates one input (body, params or query) at the edge; failures are 400 validation_failed
// listing every problem with its path.
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ApiError(400, 'validation_failed', `${what} is invalid`, {
    issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}
