import { parseArgs } from 'node:util';
import type { ChimeraConfig } from '../config.ts';
import { issueToken } from '../api/auth/issueToken.ts';
import { isRole, roles } from '../api/auth/role.ts';
import { loadSigningKeys } from '../api/auth/signingKeys.ts';

const usage = `usage: chimera token --role <${roles.join('|')}> --sub <id> [--ttl <seconds>]`;

// `chimera token ...`: argv is everything after "token". Only the token goes to stdout so
// the command can be used as TOKEN=$(chimera token ...).
export async function tokenCommand(argv: string[], config: ChimeraConfig): Promise<number> {
  let values: { role?: string; sub?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }

  const { role, sub, ttl } = values;
  if (role === undefined) return usageError('--role is required');
  if (!isRole(role)) return usageError(`unknown role: ${role}`);
  if (sub === undefined || sub.trim() === '') return usageError('--sub is required');
  let ttlSeconds: number | undefined;
  if (ttl !== undefined) {
    ttlSeconds = Number(ttl);
    if (!/^\d+$/.test(ttl) || ttlSeconds <= 0) return usageError('--ttl must be a positive whole number of seconds');
  }

  try {
    // Same resolution as the server, so the server accepts what this prints.
    const keys = await loadSigningKeys(config);
    const token = await issueToken(keys, { sub, role, ttlSeconds });
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`chimera token: ${(error as Error).message}\n`);
    return 1;
  }
}

function usageError(problem: string): number {
  process.stderr.write(`chimera token: ${problem}\n${usage}\n`);
  return 2;
}
