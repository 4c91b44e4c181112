// Reference data shipped with the portal (provinces, TSIC, S-curve, certifications, partner agencies), checked with zod when
// loaded so a bad edit of the JSON fails loudly, plus the province centroids derived from the map.
import { geoCentroid } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { z } from 'zod';
import agenciesJson from './data/agencies.json';
import categoriesJson from './data/categories.json';
import certificationsJson from './data/certifications.json';
import provincesJson from './data/provinces.json';
import publicHolidaysJson from './data/public-holidays.json';
import topologyJson from './data/provinces.topo.json';

export const REGIONS = ['North', 'Northeast', 'Central', 'East', 'West', 'South'] as const;
export type Region = (typeof REGIONS)[number];

const provinceSchema = z.object({
	code: z.string().regex(/^TH-\d{2}$/),
	dopa_code: z.string().regex(/^\d{2}$/),
	name_th: z.string().min(1),
	name_en: z.string().min(1),
	name_en_alt: z.array(z.string()),
	region: z.enum(REGIONS),
	region_th: z.string().min(1),
	has_provincial_industry_office: z.boolean()
});

const categoriesSchema = z.object({
	tsic_sections: z.array(
		z.object({
			code: z.string().regex(/^[A-Z]$/),
			divisions: z.string(),
			name_th: z.string(),
			name_en: z.string()
		})
	),
	tsic_divisions: z.array(
		z.object({
			code: z.string().regex(/^\d{2}$/),
			section: z.string(),
			name_th: z.string(),
			name_en: z.string()
		})
	),
	s_curve_industries: z.array(
		z.object({
			id: z.string(),
			wave: z.string(),
			name_th: z.string(),
			name_en: z.string(),
			suggested_tsic: z.array(z.string())
		})
	)
});

const certificationsSchema = z.object({
	certifications: z.array(
		z.object({
			id: z.string().regex(/^[a-z0-9-]+$/),
			abbr_th: z.string(),
			abbr_en: z.string(),
			name_th: z.string(),
			name_en: z.string(),
			issuer_th: z.string(),
			issuer_en: z.string(),
			mandatory: z.union([z.boolean(), z.literal('depends')])
		})
	)
});

const agenciesSchema = z.array(
	z.object({
		id: z.string().regex(/^[a-z0-9-]{2,40}$/),
		name_th: z.string().min(1),
		name_en: z.string().min(1),
		kind: z.enum(['finance', 'land', 'institute', 'other']),
		website: z.url()
	})
);

export const provinceData = z.array(provinceSchema).length(77).parse(provincesJson);
export const categoryData = categoriesSchema.parse(categoriesJson);
export const certificationData = certificationsSchema.parse(certificationsJson).certifications;
/** The partner agencies of I-Connect the portal knows from the start; admins may add more. */
export const agencyData = agenciesSchema.parse(agenciesJson);

/** Thailand's public holidays of this year and the next, as officially listed (sources in data/README.md). */
export const publicHolidayData = z
	.array(
		z.object({
			date: z.iso.date(),
			name_th: z.string().min(1),
			name_en: z.string().min(1)
		})
	)
	.parse(publicHolidaysJson);

/** The province boundaries as TopoJSON (object `provinces`, property `code`). */
export const provinceTopology = topologyJson as unknown as Topology<{
	provinces: GeometryCollection<{ code: string; name_th: string; name_en: string; region: string }>;
}>;

/** A readable URL alias: "Chiang Mai" → "chiang-mai". */
export function provinceSlug(nameEn: string): string {
	return nameEn
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

/** Geographic centroid [lon, lat] of each province, keyed by ISO code. */
export function provinceCentroids(): Map<string, [number, number]> {
	const collection = feature(provinceTopology, provinceTopology.objects.provinces);
	const centroids = new Map<string, [number, number]>();
	for (const shape of collection.features) {
		centroids.set(shape.properties.code, geoCentroid(shape));
	}
	return centroids;
}

interface Names {
	provinces: Record<string, string>;
	divisions: Record<string, string>;
	certifications: Record<string, string>;
}
const namesByLocale = new Map<string, Names>();

/** Province and TSIC division names and certification abbreviations in one language, for labels; built once. */
export function referenceNames(locale: 'th' | 'en'): Names {
	let names = namesByLocale.get(locale);
	if (!names) {
		names = {
			provinces: Object.fromEntries(
				provinceData.map((p) => [p.code, locale === 'th' ? p.name_th : p.name_en])
			),
			divisions: Object.fromEntries(
				categoryData.tsic_divisions.map((d) => [d.code, locale === 'th' ? d.name_th : d.name_en])
			),
			certifications: Object.fromEntries(
				certificationData.map((c) => [c.id, locale === 'th' ? c.abbr_th : c.abbr_en])
			)
		};
		namesByLocale.set(locale, names);
	}
	return names;
}
