// The supply–demand gap in figures: open demand against registered capacity per province × TSIC division, how
// much of the demand deals and the free capacity of its matches supply (../volumes), the unmet rest in quantity
// and baht, and the monthly trend. Values are in baht so different units can be added: demand = quantity × price
// ceiling (else the price accepted for the product, else not stated), capacity = monthly capacity × mid price.
import { and, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { deals, demands, products, provinceSelections, startupDivisions, startups } from '../db/schema';
import {
	EMPTY_TOTALS,
	type GapRow,
	type HeadlineFigures,
	type ProvinceTotals,
	type UnitQuantity
} from '$lib/gap';
import { THAILAND_OFFSET_MS, todayInThailand } from '$lib/schemas/calendar-date';
import { zeroResultSearches } from '../search/log';
import { publicStartup } from '../startups/public';
import { cachedFigures } from './cache';
import { baht, quantity3 } from '../volumes/arithmetic';
import { openDemandVolumesOf } from '../volumes/service';

export type { GapRow, UnitQuantity } from '$lib/gap';

const num = (value: unknown) => Number(value ?? 0);

const demandValue = sql`coalesce(${demands.quantity} * ${demands.priceThbMax}, 0)`;
const midPrice = sql`coalesce((${products.priceThbMin} + ${products.priceThbMax}) / 2, ${products.priceThbMax}, ${products.priceThbMin}, 0)`;
// A product's division, or else its startup's first one.
const productDivision = sql<string>`coalesce(${products.divisionCode}, (select min(${startupDivisions.divisionCode}) from ${startupDivisions} where ${startupDivisions.startupId} = ${startups.id}))`;

async function computeGapRows(db: Queryable): Promise<GapRow[]> {
	const [demandVolumes, capacityRows, capacityUnits] = await Promise.all([
		openDemandVolumesOf(db),
		db
			.select({
				province: startups.provinceCode,
				division: productDivision,
				startups: sql<number>`count(distinct ${startups.id})::int`,
				value: sql<string>`sum(${products.monthlyCapacity} * ${midPrice})`
			})
			.from(products)
			.innerJoin(startups, eq(startups.id, products.startupId))
			.where(publicStartup)
			.groupBy(startups.provinceCode, productDivision),
		db
			.select({
				province: startups.provinceCode,
				division: productDivision,
				unit: products.unit,
				quantity: sql<string>`sum(${products.monthlyCapacity})`
			})
			.from(products)
			.innerJoin(startups, eq(startups.id, products.startupId))
			.where(publicStartup)
			.groupBy(startups.provinceCode, productDivision, products.unit)
	]);
	const rows = new Map<string, GapRow>();
	const row = (province: string | null, division: string) => {
		const key = `${province ?? '*'}:${division}`;
		let found = rows.get(key);
		if (!found) {
			found = {
				province,
				division,
				openDemands: 0,
				demandValue: 0,
				unvaluedDemands: 0,
				demandQuantities: [],
				coveredDemands: 0,
				unmetDemands: 0,
				unmetQuantities: [],
				unmetValue: 0,
				unvaluedUnmetDemands: 0,
				pendingDemands: 0,
				startups: 0,
				capacityValue: 0,
				capacityQuantities: []
			};
			rows.set(key, found);
		}
		return found;
	};
	for (const d of demandVolumes) {
		const target = row(d.province, d.divisionCode);
		target.openDemands++;
		if (d.value === null) target.unvaluedDemands++;
		else target.demandValue += d.value;
		addQuantity(target.demandQuantities, d.unit, d.quantity);
		if (!d.current) target.pendingDemands++;
		else if (d.unmetQuantity === 0) target.coveredDemands++;
		else {
			target.unmetDemands++;
			addQuantity(target.unmetQuantities, d.unit, d.unmetQuantity);
			if (d.unmetValue === null) target.unvaluedUnmetDemands++;
			else target.unmetValue += d.unmetValue;
		}
	}
	// Sums of satang and of thousandths, kept as such (floating point adds 0.1 and 0.2 to 0.30000000000000004).
	for (const r of rows.values()) tidy(r);
	for (const r of capacityRows) {
		if (!r.division) continue;
		const target = row(r.province, r.division);
		target.startups = r.startups;
		target.capacityValue = num(r.value);
	}
	for (const r of capacityUnits)
		if (r.division)
			row(r.province, r.division).capacityQuantities.push({ unit: r.unit, quantity: num(r.quantity) });
	return [...rows.values()].sort(
		(a, b) =>
			(a.province ?? 'TH-99').localeCompare(b.province ?? 'TH-99') || a.division.localeCompare(b.division)
	);
}

function addQuantity(into: UnitQuantity[], unit: string, quantity: number) {
	const found = into.find((i) => i.unit === unit);
	if (found) found.quantity += quantity;
	else into.push({ unit, quantity });
}

/** A row's sums rounded to what its parts were: satang for baht, thousandths for quantities. */
function tidy(row: GapRow) {
	row.demandValue = baht(row.demandValue);
	row.unmetValue = baht(row.unmetValue);
	row.capacityValue = baht(row.capacityValue);
	for (const list of [row.demandQuantities, row.unmetQuantities, row.capacityQuantities])
		for (const q of list) q.quantity = quantity3(q.quantity);
}

/** Every province × division with demand or capacity; cached briefly (see cache.ts). */
export function gapRows(db: Queryable): Promise<GapRow[]> {
	return cachedFigures(db, 'gap-rows', () => computeGapRows(db));
}

/** Sums of the gap rows per province, with the count of public startups and this year's selection. */
export function provinceTotals(db: Queryable, year: number): Promise<Record<string, ProvinceTotals>> {
	return cachedFigures(db, `province-totals:${year}`, async () => {
		const [rows, startupRows, selectionRows] = await Promise.all([
			gapRows(db),
			db
				.select({ code: startups.provinceCode, n: sql<number>`count(*)::int` })
				.from(startups)
				.where(publicStartup)
				.groupBy(startups.provinceCode),
			db
				.select({ code: provinceSelections.provinceCode })
				.from(provinceSelections)
				.where(eq(provinceSelections.year, year))
		]);
		const totals: Record<string, ProvinceTotals> = {};
		const of = (code: string) => (totals[code] ??= { ...EMPTY_TOTALS });
		for (const [code, sum] of sumGapRows(rows, (r) => r.province ?? '')) {
			if (!code) continue;
			const { openDemands, demandValue, unmetDemands, unmetValue, unvaluedUnmetDemands } = sum;
			const { unmetQuantities, pendingDemands, capacityValue } = sum;
			Object.assign(of(code), {
				openDemands,
				demandValue,
				unmetDemands,
				unmetValue,
				unvaluedUnmetDemands,
				unmetQuantities,
				pendingDemands,
				capacityValue
			});
		}
		for (const r of startupRows) of(r.code).approvedStartups = r.n;
		for (const r of selectionRows) of(r.code).selected = true;
		return totals;
	});
}

export interface MonthTrend {
	/** YYYY-MM */
	month: string;
	postedDemands: number;
	postedValue: number;
	deals: number;
	dealValue: number;
}

/** Demand posted and deals made per month over the last `months` months (oldest first, empty months included). */
export function monthlyTrend(db: Queryable, months = 12, now = new Date()): Promise<MonthTrend[]> {
	return cachedFigures(db, `trend:${months}`, async () => {
		// Months are Bangkok's, as the rows are grouped below: labelled by the UTC clock, the chart lost this
		// month's demand for the seven hours a month begins in Thailand before it does on the server.
		const [year, month] = todayInThailand(now).split('-').map(Number) as [number, number];
		const firstOf = (i: number) => new Date(Date.UTC(year, month - 1 - (months - 1) + i, 1));
		const start = new Date(firstOf(0).getTime() - THAILAND_OFFSET_MS);
		const monthOf = (column: typeof demands.publishedAt | typeof deals.createdAt) =>
			sql<string>`to_char(${column} at time zone 'Asia/Bangkok', 'YYYY-MM')`;
		const [posted, dealt] = await Promise.all([
			db
				.select({
					month: monthOf(demands.publishedAt),
					n: sql<number>`count(*)::int`,
					value: sql<string>`sum(${demandValue})`
				})
				.from(demands)
				.where(and(isNotNull(demands.publishedAt), gte(demands.publishedAt, start)))
				.groupBy(monthOf(demands.publishedAt)),
			db
				.select({
					month: monthOf(deals.createdAt),
					n: sql<number>`count(*)::int`,
					value: sql<string>`sum(${deals.valueThb})`
				})
				.from(deals)
				.where(gte(deals.createdAt, start))
				.groupBy(monthOf(deals.createdAt))
		]);
		const trend: MonthTrend[] = [];
		for (let i = 0; i < months; i++) {
			const d = firstOf(i);
			const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
			const p = posted.find((r) => r.month === month);
			const q = dealt.find((r) => r.month === month);
			trend.push({
				month,
				postedDemands: p?.n ?? 0,
				postedValue: num(p?.value),
				deals: q?.n ?? 0,
				dealValue: num(q?.value)
			});
		}
		return trend;
	});
}

export function filterGapRows(rows: GapRow[], filter: { province?: string; division?: string }): GapRow[] {
	return rows.filter(
		(r) =>
			(!filter.province || r.province === filter.province) &&
			(!filter.division || r.division === filter.division)
	);
}

/** Rows added up by one key (e.g. by division over all provinces); quantities stay per unit. */
export function sumGapRows(rows: GapRow[], key: (row: GapRow) => string): Map<string, GapRow> {
	const sums = new Map<string, GapRow>();
	const addUnits = (into: UnitQuantity[], from: UnitQuantity[]) => {
		for (const q of from) addQuantity(into, q.unit, q.quantity);
	};
	for (const r of rows) {
		const k = key(r);
		const sum = sums.get(k);
		if (!sum) {
			sums.set(k, {
				...r,
				demandQuantities: r.demandQuantities.map((q) => ({ ...q })),
				unmetQuantities: r.unmetQuantities.map((q) => ({ ...q })),
				capacityQuantities: r.capacityQuantities.map((q) => ({ ...q }))
			});
			continue;
		}
		sum.openDemands += r.openDemands;
		sum.demandValue += r.demandValue;
		sum.unvaluedDemands += r.unvaluedDemands;
		sum.coveredDemands += r.coveredDemands;
		sum.unmetDemands += r.unmetDemands;
		sum.unmetValue += r.unmetValue;
		sum.unvaluedUnmetDemands += r.unvaluedUnmetDemands;
		sum.pendingDemands += r.pendingDemands;
		sum.startups += r.startups;
		sum.capacityValue += r.capacityValue;
		addUnits(sum.demandQuantities, r.demandQuantities);
		addUnits(sum.unmetQuantities, r.unmetQuantities);
		addUnits(sum.capacityQuantities, r.capacityQuantities);
	}
	for (const sum of sums.values()) tidy(sum);
	return sums;
}

const DAY_MS = 86_400_000;

/**
 * The most frequent searches of the last 30 days that found nothing (the search log), cached briefly: those that
 * `minVisitors` different visitors made, so that no one visitor can write on the public page.
 */
export function zeroResultReport(
	db: Queryable,
	{ minVisitors, limit = 15 }: { minVisitors: number; limit?: number }
) {
	return cachedFigures(db, `zero-results:${limit}:${minVisitors}`, () =>
		zeroResultSearches(db, { since: new Date(Date.now() - 30 * DAY_MS), limit, minVisitors })
	);
}

/** All the rows the filter selects, added up; null when there is no demand or capacity there. */
export async function gapTotal(
	db: Queryable,
	filter: { province?: string; division?: string } = {}
): Promise<GapRow | null> {
	return sumGapRows(filterGapRows(await gapRows(db), filter), () => 'all').get('all') ?? null;
}

/** The largest gaps first; the whole table is the CSV. */
const DETAIL_ROWS = 50;

/** What /market shows for a filter: totals, the biggest gaps by division and by province, and the detail rows. */
export async function marketFigures(db: Queryable, filter: { province?: string; division?: string }) {
	const rows = filterGapRows(await gapRows(db), filter);
	const largest = (
		key: (row: GapRow) => string,
		keep: (row: GapRow) => boolean,
		value: (row: GapRow) => number,
		n: number
	) =>
		[...sumGapRows(rows, key).values()]
			.filter(keep)
			.sort((a, b) => value(b) - value(a))
			.slice(0, n);
	return {
		total: sumGapRows(rows, () => 'all').get('all') ?? null,
		byDivision: largest(
			(r) => r.division,
			(r) => r.openDemands > 0,
			(r) => r.demandValue,
			12
		),
		byProvince: largest(
			(r) => r.province ?? '',
			(r) => r.unmetDemands > 0,
			(r) => r.unmetValue,
			15
		),
		detail: [...rows]
			.sort((a, b) => b.unmetValue - a.unmetValue || b.demandValue - a.demandValue)
			.slice(0, DETAIL_ROWS),
		detailTotal: rows.length
	};
}

/** The home page's four figures: open demand, the unmet part of it, public startups and every deal made. */
export function headlineFigures(db: Queryable): Promise<HeadlineFigures> {
	return cachedFigures(db, 'headline', async () => {
		const [total, [startupCount], [dealSum]] = await Promise.all([
			gapTotal(db),
			db
				.select({ n: sql<number>`count(*)::int` })
				.from(startups)
				.where(publicStartup),
			db
				.select({ n: sql<number>`count(*)::int`, value: sql<string>`coalesce(sum(${deals.valueThb}), 0)` })
				.from(deals)
		]);
		return {
			openDemands: total?.openDemands ?? 0,
			demandValue: total?.demandValue ?? 0,
			unvaluedDemands: total?.unvaluedDemands ?? 0,
			unmetDemands: total?.unmetDemands ?? 0,
			unmetValue: total?.unmetValue ?? 0,
			unvaluedUnmetDemands: total?.unvaluedUnmetDemands ?? 0,
			startups: startupCount?.n ?? 0,
			deals: dealSum?.n ?? 0,
			dealValue: num(dealSum?.value)
		};
	});
}
