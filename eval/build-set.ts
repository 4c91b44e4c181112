// Writes eval/labelled-set.json: the matching quality set the project owns. Fifty startups and twenty demands in
// the exchange format, with graded judgments decided from what each startup actually makes (its product
// concept), the certificates it holds and where it is — not from the scorer's weights. Deterministic: run it
// again and the file is the same. `npm run eval` reads the file, not this script.
import fs from 'node:fs';

interface Concept {
	key: string;
	th: string;
	en: string;
	division: string;
	unit: 'kg' | 'tonne' | 'litre' | 'piece' | 'metre';
}

const CONCEPTS: Concept[] = [
	{ key: 'jasmine', th: 'ข้าวหอมมะลิ', en: 'jasmine rice', division: '01', unit: 'tonne' },
	{ key: 'coffee', th: 'กาแฟคั่ว', en: 'roasted coffee', division: '10', unit: 'kg' },
	{ key: 'durian', th: 'ทุเรียน', en: 'durian', division: '01', unit: 'kg' },
	{ key: 'mango', th: 'มะม่วงอบแห้ง', en: 'dried mango', division: '10', unit: 'kg' },
	{ key: 'fishsauce', th: 'น้ำปลา', en: 'fish sauce', division: '10', unit: 'litre' },
	{ key: 'silk', th: 'ผ้าไหม', en: 'silk', division: '13', unit: 'metre' },
	{ key: 'rubber', th: 'ยางแผ่น', en: 'rubber sheet', division: '22', unit: 'kg' },
	{ key: 'pillow', th: 'หมอนยางพารา', en: 'latex pillow', division: '22', unit: 'piece' },
	{ key: 'honey', th: 'น้ำผึ้ง', en: 'honey', division: '01', unit: 'kg' },
	{ key: 'tapioca', th: 'แป้งมันสำปะหลัง', en: 'tapioca starch', division: '10', unit: 'kg' },
	{ key: 'coconutoil', th: 'น้ำมันมะพร้าว', en: 'coconut oil', division: '10', unit: 'litre' },
	{ key: 'balm', th: 'ยาหม่อง', en: 'herbal balm', division: '20', unit: 'piece' },
	{ key: 'celadon', th: 'เครื่องเคลือบศิลาดล', en: 'celadon', division: '23', unit: 'piece' },
	{ key: 'teak', th: 'โต๊ะไม้สัก', en: 'teak table', division: '31', unit: 'piece' },
	{ key: 'basket', th: 'ตะกร้าไม้ไผ่', en: 'bamboo basket', division: '16', unit: 'piece' },
	{ key: 'paper', th: 'กระดาษสา', en: 'mulberry paper', division: '17', unit: 'piece' },
	{ key: 'shrimp', th: 'กุ้งแช่แข็ง', en: 'frozen shrimp', division: '10', unit: 'kg' },
	{ key: 'chilipaste', th: 'น้ำพริก', en: 'chili paste', division: '10', unit: 'kg' },
	{ key: 'tea', th: 'ใบชา', en: 'tea leaves', division: '01', unit: 'kg' },
	{ key: 'soap', th: 'สบู่', en: 'soap', division: '20', unit: 'piece' },
	{ key: 'gloves', th: 'ถุงมือยาง', en: 'rubber gloves', division: '22', unit: 'piece' },
	{ key: 'pottery', th: 'เครื่องปั้นดินเผา', en: 'pottery', division: '23', unit: 'piece' },
	{ key: 'sausage', th: 'ไส้กรอก', en: 'sausage', division: '10', unit: 'kg' },
	{ key: 'towel', th: 'ผ้าขนหนู', en: 'towel', division: '13', unit: 'piece' },
	{ key: 'charcoal', th: 'ถ่าน', en: 'charcoal', division: '16', unit: 'kg' }
];

const PROVINCES = [
	{ code: 'TH-10', region: 'Central' },
	{ code: 'TH-12', region: 'Central' },
	{ code: 'TH-50', region: 'North' },
	{ code: 'TH-57', region: 'North' },
	{ code: 'TH-40', region: 'Northeast' },
	{ code: 'TH-45', region: 'Northeast' },
	{ code: 'TH-90', region: 'South' },
	{ code: 'TH-83', region: 'South' }
];
const CERTS = ['thai-fda', 'gmp', 'organic-thailand', 'halal', 'tis', 'otop-star'];

// Two startups per concept: the first certified (all of CERTS[i % 3] family), the second not; names in Thai
// only, English only or both, in turn; provinces spread over the regions.
const startups = CONCEPTS.flatMap((concept, i) =>
	[0, 1].map((variant) => {
		const n = i * 2 + variant;
		const province = PROVINCES[(i + variant * 3) % PROVINCES.length]!;
		const language = n % 3; // 0: Thai only, 1: English only, 2: both
		const certifications = variant === 0 ? [CERTS[i % CERTS.length]!, 'gmp'] : [];
		return {
			ref: `s-${String(n + 1).padStart(3, '0')}`,
			province: province.code,
			...(language !== 1 ? { name_th: `${concept.th} ${province.code}` } : {}),
			...(language !== 0 ? { name_en: `${concept.en} maker ${n + 1}` } : {}),
			tsic: [concept.division],
			certifications: [...new Set(certifications)],
			products: [
				{
					...(language !== 1 ? { name_th: concept.th } : {}),
					...(language !== 0 ? { name_en: concept.en } : {}),
					unit: concept.unit,
					monthly_capacity: variant === 0 ? 500 : 50,
					price_thb_min: 100
				}
			],
			_concept: concept.key,
			_region: province.region
		};
	})
);

interface DemandSpec {
	concept: string | null;
	title: { th?: string; en?: string };
	province: string | null;
	certs: string[];
	note: string;
}

const region = (code: string | null) => PROVINCES.find((p) => p.code === code)?.region ?? null;
const SPECS: DemandSpec[] = [
	{
		concept: 'jasmine',
		title: { en: 'Jasmine rice for hotels' },
		province: 'TH-10',
		certs: [],
		note: 'English only'
	},
	{
		concept: 'jasmine',
		title: { th: 'ข้าวหอมมะลิ ส่งทุกเดือน' },
		province: 'TH-45',
		certs: ['thai-fda'],
		note: 'Thai, certificate'
	},
	{ concept: 'coffee', title: { en: 'Roasted cofee beans' }, province: 'TH-50', certs: [], note: 'typo' },
	{
		concept: 'coffee',
		title: { th: 'กาแฟคั่ว', en: 'Roasted coffee' },
		province: null,
		certs: [],
		note: 'mixed, anywhere'
	},
	{ concept: 'durian', title: { th: 'ทุเรียนหมอนทอง' }, province: 'TH-90', certs: [], note: 'Thai' },
	{
		concept: 'mango',
		title: { en: 'Dried mango snacks' },
		province: 'TH-12',
		certs: ['halal'],
		note: 'a certificate only one maker holds'
	},
	{
		concept: 'fishsauce',
		title: { en: 'Fish sauce, premium' },
		province: 'TH-83',
		certs: [],
		note: 'English'
	},
	{ concept: 'silk', title: { th: 'ผ้าไหมทอมือ' }, province: 'TH-40', certs: [], note: 'Thai' },
	{
		concept: 'rubber',
		title: { en: 'Rubber sheets for export' },
		province: 'TH-90',
		certs: [],
		note: 'English'
	},
	{ concept: 'pillow', title: { en: 'Latex pilow' }, province: 'TH-10', certs: [], note: 'typo' },
	{ concept: 'honey', title: { th: 'น้ำผึ้งเดือนห้า' }, province: 'TH-57', certs: [], note: 'Thai' },
	{
		concept: 'tapioca',
		title: { en: 'Tapioca starch' },
		province: 'TH-45',
		certs: ['gmp'],
		note: 'certificate'
	},
	{ concept: 'celadon', title: { en: 'Celadon tableware' }, province: 'TH-50', certs: [], note: 'English' },
	{
		concept: 'basket',
		title: { th: 'ตะกร้าไม้ไผ่สาน', en: 'Bamboo baskets' },
		province: null,
		certs: [],
		note: 'mixed'
	},
	{
		concept: 'shrimp',
		title: { en: 'Frozen shrimp' },
		province: 'TH-83',
		certs: ['gmp'],
		note: 'certificate'
	},
	{ concept: 'tea', title: { th: 'ใบชาอู่หลง' }, province: 'TH-57', certs: [], note: 'Thai' },
	{ concept: 'soap', title: { en: 'Natural soap bars' }, province: 'TH-12', certs: [], note: 'English' },
	{ concept: null, title: { en: 'Solar panels 500 W' }, province: 'TH-10', certs: [], note: 'no good match' },
	{ concept: null, title: { th: 'อะไหล่รถยนต์' }, province: 'TH-40', certs: [], note: 'no good match, Thai' },
	{
		concept: null,
		title: { en: 'Jasmine rice, halal and organic' },
		province: 'TH-10',
		certs: ['halal', 'organic-thailand'],
		note: 'no startup holds both'
	}
];

const conceptOf = (key: string | null) => CONCEPTS.find((c) => c.key === key);
const demands = SPECS.map((spec, i) => {
	const concept = conceptOf(spec.concept) ?? {
		division: spec.title.en?.startsWith('Jasmine') ? '01' : '27',
		unit: 'piece' as const
	};
	return {
		ref: `d-${String(i + 1).padStart(3, '0')}`,
		buyer_name: `Buyer ${i + 1}`,
		...(spec.title.th ? { title_th: spec.title.th } : {}),
		...(spec.title.en ? { title_en: spec.title.en } : {}),
		tsic: concept.division,
		quantity: 100,
		unit: spec.title.en?.startsWith('Jasmine') ? 'tonne' : concept.unit,
		recurrence: 'monthly',
		delivery_province: spec.province,
		needed_by: '2099-12-31',
		required_certifications: spec.certs
	};
});

// Graded judgments: 3 = makes the product, holds every required certificate, same region as delivery;
// 2 = makes it and holds the certificates elsewhere; 0 = anything else (the wrong product, or a missing
// certificate, which the buyer cannot accept).
const judgments: Record<string, Record<string, number>> = {};
SPECS.forEach((spec, i) => {
	const ref = demands[i]!.ref;
	judgments[ref] = {};
	for (const s of startups) {
		if (s._concept !== spec.concept) continue;
		if (!spec.certs.every((c) => s.certifications.includes(c))) continue;
		judgments[ref]![s.ref] = spec.province && s._region === region(spec.province) ? 3 : 2;
	}
});

const document = {
	format: 'provincial-matchmaking/v1',
	startups: startups.map(({ _concept: _c, _region: _r, ...s }) => s),
	demands
};
fs.writeFileSync(
	'eval/labelled-set.json',
	`${JSON.stringify({ description: 'Matching quality set: see eval/build-set.ts for how judgments are graded.', notes: SPECS.map((s, i) => `${demands[i]!.ref}: ${s.note}`), document, judgments }, null, '\t')}\n`
);
console.log(`eval/labelled-set.json: ${startups.length} startups, ${demands.length} demands`);
