// The supply–demand gap in figures: open demand against registered capacity per province × TSIC division, how
// much of the demand the matching engine covers, the unmet rest, and the monthly trend. Values are in baht so
// different units can be added: demand = quantity × price ceiling, capacity = monthly capacity × mid price.
import { and, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	deals,
	demandCoverage,
	demands,
	products,
	provinceSelections,
	startupDivisions,
	startups
} from '../db/schema';
import { EMPTY_TOTALS, type GapRow, type ProvinceTotals, type UnitQuantity } from '$lib/gap';
import { THAILAND_OFFSET_MS, todayInThailand } from '$lib/schemas/calendar-date';
import { zeroResultSearches } from '../search/log';
import { publicStartup } from '../startups/public';
import { cachedFigures } from './cache';

export type { GapRow, UnitQuantity } from '$lib/gap';

const num = (value: unknown) => Number(value ?? 0);

// The coverage row is current when computed after the demand's last edit.
const current = sql`${demandCoverage.computedAt} >= ${demands.updatedAt}`;
const demandValue = sql`coalesce(${demands.quantity} * ${demands.priceThbMax}, 0)`;
const midPrice = sql`coalesce((${products.priceThbMin} + ${products.priceThbMax}) / 2, ${products.priceThbMax}, ${products.priceThbMin}, 0)`;
// A product's division, or else its startup's first one.
const productDivision = sql<string>`coalesce(${products.divisionCode}, (select min(${startupDivisions.divisionCode}) from ${startupDivisions} where ${startupDivisions.startupId} = ${startups.id}))`;

async function computeGapRows(db: Queryable): Promise<GapRow[]> {
	const [demandRows, demandUnits, capacityRows, capacityUnits] = await Promise.all([
		db
			.select({
				province: demands.deliveryProvinceCode,
				division: demands.divisionCode,
				open: sql<number>`count(*)::int`,
				value: sql<string>`sum(${demandValue})`,
				covered: sql<number>`(count(*) filter (where ${current} and ${demandCoverage.goodMatches} > 0))::int`,
				unmet: sql<number>`(count(*) filter (where ${current} and ${demandCoverage.goodMatches} = 0))::int`,
				unmetValue: sql<string>`coalesce(sum(${demandValue}) filter (where ${current} and ${demandCoverage.goodMatches} = 0), 0)`
			})
			.from(demands)
			.leftJoin(demandCoverage, eq(demandCoverage.demandId, demands.id))
			.where(eq(demands.status, 'open'))
			.groupBy(demands.deliveryProvinceCode, demands.divisionCode),
		db
			.select({
				province: demands.deliveryProvinceCode,
				division: demands.divisionCode,
				unit: demands.unit,
				quantity: sql<string>`sum(${demands.quantity})`
			})
			.from(demands)
			.where(eq(demands.status, 'open'))
			.groupBy(demands.deliveryProvinceCode, demands.divisionCode, demands.unit),
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
				demandQuantities: [],
				coveredDemands: 0,
				unmetDemands: 0,
				unmetValue: 0,
				pendingDemands: 0,
				startups: 0,
				capacityValue: 0,
				capacityQuantities: []
			};
			rows.set(key, found);
		}
		return found;
	};
	for (const r of demandRows) {
		const target = row(r.province, r.division);
		target.openDemands = r.open;
		target.demandValue = num(r.value);
		target.coveredDemands = r.covered;
		target.unmetDemands = r.unmet;
		target.unmetValue = num(r.unmetValue);
		target.pendingDemands = r.open - r.covered - r.unmet;
	}
	for (const r of demandUnits)
		row(r.province, r.division).demandQuantities.push({ unit: r.unit, quantity: num(r.quantity) });
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
			const { openDemands, demandValue, unmetDemands, unmetValue, pendingDemands, capacityValue } = sum;
			Object.assign(of(code), {
				openDemands,
				demandValue,
				unmetDemands,
				unmetValue,
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
		for (const q of from) {
			const found = into.find((i) => i.unit === q.unit);
			if (found) found.quantity += q.quantity;
			else into.push({ ...q });
		}
	};
	for (const r of rows) {
		const k = key(r);
		const sum = sums.get(k);
		if (!sum) {
			sums.set(k, {
				...r,
				demandQuantities: r.demandQuantities.map((q) => ({ ...q })),
				capacityQuantities: r.capacityQuantities.map((q) => ({ ...q }))
			});
			continue;
		}
		sum.openDemands += r.openDemands;
		sum.demandValue += r.demandValue;
		sum.coveredDemands += r.coveredDemands;
		sum.unmetDemands += r.unmetDemands;
		sum.unmetValue += r.unmetValue;
		sum.pendingDemands += r.pendingDemands;
		sum.startups += r.startups;
		sum.capacityValue += r.capacityValue;
		addUnits(sum.demandQuantities, r.demandQuantities);
		addUnits(sum.capacityQuantities, r.capacityQuantities);
	}
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
