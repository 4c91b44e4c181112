// Thailand's provinces as SVG paths, projected once on the server (d3-geo), so the map shows without JavaScript;
// and the figures each map layer colours them by.
import { geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import { and, count, eq, isNotNull, ne } from 'drizzle-orm';
import type { Queryable } from '../db';
import { demands, provinceSelections, startups } from '../db/schema';
import { provinceTopology } from '../reference';

export const MAP_WIDTH = 420;
export const MAP_HEIGHT = 760;

let shapes: { code: string; d: string }[] | undefined;

export function provinceShapes(): { code: string; d: string }[] {
	if (shapes) return shapes;
	const collection = feature(provinceTopology, provinceTopology.objects.provinces);
	const projection = geoMercator().fitSize([MAP_WIDTH, MAP_HEIGHT], collection);
	const path = geoPath(projection);
	shapes = collection.features.map((shape) => ({ code: shape.properties.code, d: path(shape) ?? '' }));
	return shapes;
}

export interface ProvinceFigures {
	openDemands: number;
	approvedStartups: number;
	selected: boolean;
}

/** Open demand delivered to each province, approved startups in it, and whether it chose its startup this year. */
export async function provinceFigures(db: Queryable, year: number): Promise<Record<string, ProvinceFigures>> {
	const [demandRows, startupRows, selectionRows] = await Promise.all([
		db
			.select({ code: demands.deliveryProvinceCode, n: count() })
			.from(demands)
			.where(and(eq(demands.status, 'open'), isNotNull(demands.deliveryProvinceCode)))
			.groupBy(demands.deliveryProvinceCode),
		db
			.select({ code: startups.provinceCode, n: count() })
			.from(startups)
			.where(and(isNotNull(startups.approvedAt), ne(startups.status, 'suspended')))
			.groupBy(startups.provinceCode),
		db
			.select({ code: provinceSelections.provinceCode })
			.from(provinceSelections)
			.where(eq(provinceSelections.year, year))
	]);
	const figures: Record<string, ProvinceFigures> = {};
	const of = (code: string) => (figures[code] ??= { openDemands: 0, approvedStartups: 0, selected: false });
	for (const row of demandRows) if (row.code) of(row.code).openDemands = row.n;
	for (const row of startupRows) of(row.code).approvedStartups = row.n;
	for (const row of selectionRows) of(row.code).selected = true;
	return figures;
}
