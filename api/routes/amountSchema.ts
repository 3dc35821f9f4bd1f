import { z } from 'zod';

// An amount of money as a decimal string (chain amounts must not round through floats): a
// positive JSON number in plain notation, or a decimal string with up to 18 places.
export const amountSchema = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d{1,18})?$/, 'a decimal number')])
  .transform((v) => (typeof v === 'number' ? v.toString() : v))
  .refine((v) => /^\d+(\.\d{1,18})?$/.test(v) && Number(v) > 0, 'amount: a positive decimal with at most 18 places (write small amounts as strings)');
