import type { z } from 'zod';

// Each event type paired with the schema of its own data (used with `satisfies`, so a schema
// for another type's data does not compile).
export type EventSchemas<E extends { type: string; data: unknown }> = { [K in E as K['type']]: z.ZodType<K['data']> };
