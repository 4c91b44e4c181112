// By-product matching quality (issue 23) on eval/waste-set.json, reported by `npm run eval` beside product
// matching: nDCG@5 and P@3 of each want's matched by-products against hand judgments, and the two rules that
// must never break (a hazardous lot to an unlicensed receiver, a lot beyond the receiver's distance).
import fs from 'node:fs';
import type { Db } from '../src/lib/server/db';
import { materialWants, organisations, wasteLots } from '../src/lib/server/db/schema';
import { provinceDistanceKm } from '../src/lib/server/provinces/distance';
import { licenceAllows, wasteCode } from '../src/lib/server/waste/codes';
import { wantMatches } from '../src/lib/server/waste/service';
import type { WasteHandling, WasteUnit } from '../src/lib/schemas/waste';

interface WasteSet {
	byproducts: {
		ref: string;
		province: string;
		waste_code: string;
		quantity_per_month: number;
		unit: WasteUnit;
		name_th: string;
		name_en: string;
		handling: WasteHandling;
	}[];
	material_wants: {
		ref: string;
		province: string;
		waste_codes: string[];
		quantity_per_month: number;
		unit: WasteUnit;
		max_distance_km: number;
		licence_class: string | null;
		name_th: string;
		name_en: string;
	}[];
	judgments: Record<string, Record<string, number>>;
}

/** nDCG@k with gains 2^grade − 1 (as for product matching). */
function ndcg(ranked: string[], judged: Record<string, number>, k: number): number {
	const gain = (grade: number) => 2 ** grade - 1;
	const dcg = ranked.slice(0, k).reduce((sum, ref, i) => sum + gain(judged[ref] ?? 0) / Math.log2(i + 2), 0);
	const ideal = Object.values(judged)
		.sort((a, b) => b - a)
		.slice(0, k)
		.reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
	return ideal === 0 ? 0 : dcg / ideal;
}

function precision(ranked: string[], judged: Record<string, number>, k: number): number {
	const relevant = Object.values(judged).filter((g) => g >= 2).length;
	const hits = ranked.slice(0, k).filter((ref) => (judged[ref] ?? 0) >= 2).length;
	return relevant === 0 ? 0 : hits / Math.min(k, relevant);
}

export async function reportWaste(db: Db) {
	const set = JSON.parse(fs.readFileSync('eval/waste-set.json', 'utf8')) as WasteSet;
	// Each by-product and want belongs to an organisation of its own, so none is left out as "its own".
	const organisation = async (name: string, provinceCode: string) =>
		(await db.insert(organisations).values({ kind: 'buyer', name, provinceCode }).returning())[0]!.id;
	for (const lot of set.byproducts)
		await db.insert(wasteLots).values({
			ref: lot.ref,
			organisationId: await organisation(`eval ${lot.ref}`, lot.province),
			provinceCode: lot.province,
			nameTh: lot.name_th,
			nameEn: lot.name_en,
			wasteCode: lot.waste_code,
			hazardous: wasteCode(lot.waste_code)!.hazardous,
			quantityPerMonth: lot.quantity_per_month,
			unit: lot.unit,
			handling: lot.handling,
			status: 'approved',
			approvedAt: new Date()
		});
	let ndcgSum = 0;
	let pSum = 0;
	let violations = 0;
	let pairs = 0;
	for (const want of set.material_wants) {
		const [row] = await db
			.insert(materialWants)
			.values({
				ref: want.ref,
				organisationId: await organisation(`eval ${want.ref}`, want.province),
				provinceCode: want.province,
				nameTh: want.name_th,
				nameEn: want.name_en,
				wasteCodes: want.waste_codes,
				quantityPerMonth: want.quantity_per_month,
				unit: want.unit,
				maxDistanceKm: want.max_distance_km,
				licenceClass: want.licence_class
			})
			.returning();
		const matches = await wantMatches(db, row!);
		pairs += matches.length;
		for (const match of matches) {
			const distance = provinceDistanceKm(match.lot.provinceCode, want.province)!;
			if (distance > want.max_distance_km || !licenceAllows(match.lot.hazardous, want.licence_class))
				violations++;
		}
		const ranked = matches.map((match) => match.lot.ref!);
		const judged = set.judgments[want.ref] ?? {};
		ndcgSum += ndcg(ranked, judged, 5);
		pSum += precision(ranked, judged, 3);
	}
	const wants = set.material_wants.length;
	console.log(
		`\nby-product matching on ${set.byproducts.length} by-products × ${wants} material wants (eval/waste-set.json)\n`
	);
	console.log('  engine     nDCG@5   P@3    pairs  rule violations (licence, distance)');
	console.log(
		`  postgres   ${(ndcgSum / wants).toFixed(3)}    ${(pSum / wants).toFixed(3)}  ${String(pairs).padStart(5)}  ${violations}`
	);
	return { ndcg5: ndcgSum / wants, p3: pSum / wants, pairs, violations };
}
