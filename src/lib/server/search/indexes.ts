// Index names and settings live in code and are applied at start, so every environment searches alike.
import type { Meilisearch } from 'meilisearch';
import type { Settings } from 'meilisearch';
import { meiliSynonyms } from './vocabulary';

/**
 * Thai fields are segmented as Thai and English fields as English whatever the query's language looks like: a
 * mixed or short query otherwise gets the tokenizer its detector guessed.
 */
const localizedAttributes = [
	{ attributePatterns: ['*_th'], locales: ['tha'] },
	{ attributePatterns: ['*_en'], locales: ['eng'] }
];

export const INDEXES = {
	startups: {
		uid: 'startups',
		settings: {
			searchableAttributes: [
				'name_th',
				'name_en',
				'product_names_th',
				'product_names_en',
				'summary_th',
				'summary_en',
				'province_name_th',
				'province_name_en'
			],
			filterableAttributes: [
				'province',
				'region',
				'tsic',
				'certifications',
				'certificate_expiry',
				'units',
				'status',
				'selected_years'
			],
			sortableAttributes: ['updated_at', 'total_monthly_capacity'],
			displayedAttributes: ['*'],
			localizedAttributes,
			synonyms: meiliSynonyms()
		}
	},
	demands: {
		uid: 'demands',
		settings: {
			searchableAttributes: ['title_th', 'title_en', 'details_th', 'details_en', 'buyer_name'],
			filterableAttributes: [
				'delivery_province',
				'delivery_region',
				'tsic',
				'required_certifications',
				'unit',
				'recurrence',
				'status',
				'quantity'
			],
			sortableAttributes: ['published_at', 'needed_by', 'quantity'],
			displayedAttributes: ['*'],
			localizedAttributes,
			synonyms: meiliSynonyms()
		}
	},
	// By-products and the materials receivers take (issue 23): matching filters by waste code and asks which
	// names share words (../waste/search.ts).
	wasteLots: {
		uid: 'waste_lots',
		settings: {
			searchableAttributes: ['name_th', 'name_en'],
			filterableAttributes: ['waste_code', 'province', 'organisation', 'hazardous'],
			displayedAttributes: ['*'],
			localizedAttributes
		}
	},
	materialWants: {
		uid: 'material_wants',
		settings: {
			searchableAttributes: ['name_th', 'name_en'],
			filterableAttributes: ['waste_codes', 'province', 'organisation', 'licence_class'],
			displayedAttributes: ['*'],
			localizedAttributes
		}
	}
} as const satisfies Record<string, { uid: string; settings: Settings }>;

export type IndexName = keyof typeof INDEXES;

/** Creates the indexes if needed and applies their settings; waits until Meilisearch has taken them. */
export async function applyIndexSettings(client: Meilisearch, uidSuffix = ''): Promise<void> {
	for (const { uid, settings } of Object.values(INDEXES)) {
		const name = `${uid}${uidSuffix}`;
		const created = await client.createIndex(name, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
		if (created.status === 'failed' && created.error?.code !== 'index_already_exists') {
			throw new Error(`Meilisearch refused to create index ${name}: ${created.error?.message}`);
		}
		await client.index(name).updateSettings(settings).waitTask({ timeout: 60_000 });
	}
}
