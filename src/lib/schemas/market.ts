// The gap dashboard's filters, from the query string: unknown or malformed values mean "all", never an error.
import { z } from 'zod';

export const marketFilterSchema = z.object({
	province: z
		.string()
		.regex(/^TH-\d{2}$/)
		.optional()
		.catch(undefined),
	division: z
		.string()
		.regex(/^\d{2}$/)
		.optional()
		.catch(undefined)
});

export type MarketFilter = z.infer<typeof marketFilterSchema>;

export function readMarketFilter(url: URL): MarketFilter {
	return marketFilterSchema.parse({
		province: url.searchParams.get('province') || undefined,
		division: url.searchParams.get('division') || undefined
	});
}
