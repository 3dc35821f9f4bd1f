// The one error type the HTTP edge knows how to render (seed 000 §5).
// Routes and middleware throw or pass it to next(); api/errorHandler.ts renders it.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    // Fields some seed responses carry beside the error (e.g. `updated: false`).
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
