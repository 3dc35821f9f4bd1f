// The roles a token may carry (seed 004 §7).
export const roles = ['operator', 'moderator', 'viewer', 'service'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
