/** Path parameters several routes share, checked once here. */
import { z } from 'zod';

/** /…/:series/:year/… — a series slug and a year. */
export const editionParams = z.object({
  series: z.string().regex(/^[a-z0-9-]+$/),
  year: z.coerce.number().int().min(1900).max(2999),
});
