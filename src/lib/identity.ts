// Digital identity providers as people see them: each provider's name in the reader's language.
import { m } from '$lib/paraglide/messages';

const NAMES: Record<string, () => string> = {
	thaid: m.identity_provider_thaid,
	digitalid: m.identity_provider_digitalid,
	line: m.identity_provider_line
};

export const providerName = (id: string): string => (NAMES[id] ?? (() => id))();
