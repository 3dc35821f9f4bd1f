import { z } from 'zod';

// Agent ids name streams and URL segments, so they are kept to a safe alphabet.
export const agentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'agent_id: 1-128 letters, digits, _ . : - (starting with a letter or digit)');
