import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError } from './apiError.ts';
import { requestIdOf } from './requestId.ts';

// The one place errors become HTTP responses, in the seed 000 §5 format:
// { error: { code, message, details?, request_id } }.
export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) log(`${req.method} ${req.originalUrl} failed`, error);
    if (res.headersSent) return;
    res.status(apiError.status).json({
      ...apiError.extra,
      error: {
        code: apiError.code,
        message: apiError.message,
        ...(apiError.details ? { details: apiError.details } : {}),
        request_id: requestIdOf(res),
      },
    });
  };
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // body-parser marks its own failures with a `type`.
  const type = (error as { type?: string }).type;
  if (type === 'entity.parse.failed') return new ApiError(400, 'validation_failed', 'request body is not valid JSON');
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return new ApiError(413, 'payload_too_large', `request body exceeds ${limit} bytes`, { limit_bytes: limit });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ApiError(415, 'unsupported_media_type', (error as Error).message);
  }
  if (type === 'request.aborted') return new ApiError(400, 'validation_failed', 'request aborted');
  return new ApiError(500, 'internal_error', 'internal error');
}
