// Straight-line distance between provinces, from their geographic centroids: enough to compare offers.
import { provinceCentroids } from '../reference';

let centroids: Map<string, [number, number]> | undefined;
const EARTH_RADIUS_KM = 6371;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Kilometres between the two provinces' centroids (0 for the same province); null if either is unknown. */
export function provinceDistanceKm(from: string, to: string): number | null {
	centroids ??= provinceCentroids();
	const a = centroids.get(from);
	const b = centroids.get(to);
	if (!a || !b) return null;
	const [lon1, lat1] = a;
	const [lon2, lat2] = b;
	const h =
		Math.sin(radians(lat2 - lat1) / 2) ** 2 +
		Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.sin(radians(lon2 - lon1) / 2) ** 2;
	return Math.round(2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h)));
}
