// Locale-aware helpers shared by pages: names of regions, and numbers, baht and dates formatted with Intl
// (Thai dates in the Buddhist era, as th-TH does by default).
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const regionMessages = {
	North: m.region_North,
	Northeast: m.region_Northeast,
	Central: m.region_Central,
	East: m.region_East,
	West: m.region_West,
	South: m.region_South
} as const;

export function regionName(region: keyof typeof regionMessages): string {
	return regionMessages[region]();
}

function intlLocale(): string {
	return getLocale() === 'th' ? 'th-TH' : 'en-GB';
}

export function formatNumber(value: number): string {
	return new Intl.NumberFormat(intlLocale()).format(value);
}

export function formatBaht(value: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: 'THB' }).format(value);
}

export function formatDate(value: Date | string): string {
	return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'long' }).format(new Date(value));
}
