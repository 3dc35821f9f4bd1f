import type { Role } from './role.ts';

// Who is making the request, as proven by a verified bearer token.
export type Actor = { sub: string; role: Role };
