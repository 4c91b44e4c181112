// The provinces a chooser offers, grouped by region (server/provinces/queries.ts listProvincesByRegion gives them):
// a module of its own so that components declare their props with it (a type read through a component's
// ComponentProps is `any` to ESLint's type checker, which does not read .svelte files).
import type { regionName } from '$lib/i18n';

export interface ProvinceGroup {
	region: Parameters<typeof regionName>[0];
	provinces: { code: string; nameTh: string; nameEn: string }[];
}
