// Dates and numbers the way Thai and English readers expect them (Buddhist era in Thai).
import { getLocale } from '$lib/paraglide/runtime';

type Locale = 'th' | 'en';
/** The BCP 47 tag Intl formats the reader's language with: th-TH (Buddhist era) or en-GB. */
export const localeTag = (locale: Locale = getLocale()) => (locale === 'th' ? 'th-TH' : 'en-GB');
const tag = localeTag;

// Building an Intl formatter costs far more than using one, and a dashboard formats thousands of figures per page:
// each kind is built once per language and kept.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(
	kind: string,
	build: (tag: string) => T,
	locale?: Locale
): T {
	const key = `${kind}:${tag(locale)}`;
	let found = formatters.get(key) as T | undefined;
	if (!found) formatters.set(key, (found = build(tag(locale))));
	return found;
}

export function formatDateTime(value: Date | string): string {
	return formatter(
		'date-time',
		(t) => new Intl.DateTimeFormat(t, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Bangkok' })
	).format(new Date(value));
}

const BROWSERS: [RegExp, string][] = [
	[/Edg\//, 'Edge'],
	[/OPR\//, 'Opera'],
	[/Firefox\//, 'Firefox'],
	[/Chrome\//, 'Chrome'],
	[/Safari\//, 'Safari']
];
const SYSTEMS: [RegExp, string][] = [
	[/Android/, 'Android'],
	[/iPhone|iPad/, 'iOS'],
	[/Windows/, 'Windows'],
	[/Mac OS X/, 'macOS'],
	[/Linux/, 'Linux']
];

/** "Firefox · Android" from a user-agent header: enough to recognise one's own devices. */
export function describeUserAgent(userAgent: string | null): string {
	if (!userAgent) return '—';
	const first = (list: [RegExp, string][]) => list.find(([pattern]) => pattern.test(userAgent))?.[1];
	const browser = first(BROWSERS) ?? userAgent.slice(0, 40);
	const system = first(SYSTEMS);
	return system ? `${browser} · ${system}` : browser;
}

export function formatNumber(value: number): string {
	return formatter('number', (t) => new Intl.NumberFormat(t, { maximumFractionDigits: 3 })).format(value);
}

/** A calendar date (YYYY-MM-DD) in the reader's calendar: Buddhist era in Thai. */
export function formatDate(value: string | Date, locale?: Locale): string {
	const date = typeof value === 'string' ? new Date(`${value}T00:00:00+07:00`) : value;
	return formatter(
		'date',
		(t) => new Intl.DateTimeFormat(t, { dateStyle: 'medium', timeZone: 'Asia/Bangkok' }),
		locale
	).format(date);
}

/**
 * A year, stored and posted in the Common era (2026), as the reader counts it: "พ.ศ. 2569" in Thai, "2026" in
 * English. Through Intl, like every date on the page, so a year never disagrees with the dates beside it.
 */
export function formatYear(year: number, locale?: Locale): string {
	const midYear = new Date(Date.UTC(2000, 6, 1));
	midYear.setUTCFullYear(year);
	return formatter(
		'year',
		(t) => new Intl.DateTimeFormat(t, { year: 'numeric', timeZone: 'UTC' }),
		locale
	).format(midYear);
}

/** A month (YYYY-MM) with its year, for a chart's axis: "มี.ค. 2569", "Mar 2026". */
export function formatMonth(month: string, locale?: Locale): string {
	return formatter(
		'month',
		(t) => new Intl.DateTimeFormat(t, { month: 'short', year: 'numeric', timeZone: 'UTC' }),
		locale
	).format(new Date(`${month}-01T00:00:00Z`));
}

/** Baht with satang only when there are any: ฿45,000 but ฿12.50. */
export function formatBaht(value: number): string {
	const whole = Number.isInteger(value);
	return formatter(
		whole ? 'baht-whole' : 'baht',
		(t) =>
			new Intl.NumberFormat(t, {
				style: 'currency',
				currency: 'THB',
				minimumFractionDigits: whole ? 0 : 2,
				maximumFractionDigits: 2
			})
	).format(value);
}

/**
 * A baht amount short enough for a map label or a chart. In Thai in ล้านบาท, as Thai readers count large sums
 * ("1,700 ล้านบาท", not "฿1.7B"), and whole baht below a million; in English compact ("THB 1.7bn").
 */
export function formatBahtCompact(value: number, locale: Locale = getLocale()): string {
	if (locale !== 'th')
		return formatter(
			'baht-compact',
			(t) =>
				new Intl.NumberFormat(t, {
					style: 'currency',
					currency: 'THB',
					notation: 'compact',
					maximumFractionDigits: 1
				}),
			locale
		).format(value);
	const figure = (digits: number) =>
		formatter(`number-${digits}`, (t) => new Intl.NumberFormat(t, { maximumFractionDigits: digits }), locale);
	return Math.abs(value) >= 1_000_000
		? `${figure(1).format(value / 1_000_000)} ล้านบาท`
		: `${figure(0).format(value)} บาท`;
}
