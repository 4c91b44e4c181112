// Thailand's provinces as SVG paths, projected once on the server (d3-geo), so the map shows without JavaScript.
import { geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
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
