// Thailand's provinces as SVG paths, projected once on the server (d3-geo), so the map shows without JavaScript.
import { createHash } from 'node:crypto';
import { geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import { provinceTopology } from '../reference';

export const MAP_WIDTH = 420;
export const MAP_HEIGHT = 760;

let shapes: { code: string; d: string }[] | undefined;

export function provinceShapes(): { code: string; d: string }[] {
	if (shapes) return shapes;
	// A map a phone shows 400 pixels wide needs a fraction of the survey's points: keep the most telling 20 %
	// (simplified on the topology, so neighbours keep sharing one border), to a tenth of a map unit.
	const presimplified = presimplify(provinceTopology);
	const simplified = simplify(presimplified, quantile(presimplified, 0.2));
	const collection = feature(simplified, simplified.objects.provinces);
	const projection = geoMercator().fitSize([MAP_WIDTH, MAP_HEIGHT], collection);
	const path = geoPath(projection).digits(1);
	shapes = collection.features.map((shape) => ({ code: shape.properties.code, d: path(shape) ?? '' }));
	return shapes;
}

let sprite: { svg: string; version: string } | undefined;

/**
 * The province outlines as one SVG document, each path's id its ISO code, for `<use href="…#TH-50">`: the
 * browser fetches and caches the geometry once instead of reading it inside every page (and its hydration data).
 * Paths carry no fill or stroke, so each `<use>` colours its own.
 */
export function provinceSprite(): { svg: string; version: string } {
	if (sprite) return sprite;
	const paths = provinceShapes()
		.map((shape) => `<path id="${shape.code}" d="${shape.d}"/>`)
		.join('');
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}">${paths}</svg>`;
	sprite = { svg, version: createHash('sha256').update(svg).digest('hex').slice(0, 10) };
	return sprite;
}
