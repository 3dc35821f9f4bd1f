import { ApiError } from '../apiError.ts';
import type { ApiContext } from '../apiContext.ts';

// The CFO Judge and the wallets, or 503 where this process has none.
export function moneyOf(ctx: ApiContext): NonNullable<ApiContext['money']> {
  if (!ctx.money) throw new ApiError(503, 'internal_error', 'the CFO Judge and the wallets are not available in this process');
  return ctx.money;
}
