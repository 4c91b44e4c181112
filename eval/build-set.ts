// Writes eval/labelled-set.json: the matching quality set the project owns. 108 startups and 49 demands in
// the exchange format, with graded judgments decided from what each startup actually makes (its product
// concept), the certificates it holds, where it is and how much it can make — not from the scorer's weights.
// Covers: Thai-only, English-only and bilingual profiles; typos; required certificates; Thai transliteration
// variants and British spelling (the second startup of a concept spells it the other way); a product's form
// against its material (silk scarves and silk fabric); every TSIC division the vocabulary gained; capacity far
// above or below the demand; decoys that share only the category (certified, near, huge capacity) and
// demands with no right answer. Deterministic: run it again and the file is the same. `npm run eval` reads
// the file, not this script.
import fs from 'node:fs';

interface Concept {
	key: string;
	th: string;
	en: string;
	division: string;
	unit: 'kg' | 'tonne' | 'litre' | 'piece' | 'metre';
	/** How the second startup of the concept spells it: a Thai variant, a British spelling, a plural. */
	thAlt?: string;
	enAlt?: string;
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
	{ key: 'charcoal', th: 'ถ่าน', en: 'charcoal', division: '16', unit: 'kg' },
	// Added for issue 19: spelling variants, forms and materials, the divisions the vocabulary lacked.
	{
		key: 'arabica',
		th: 'กาแฟอาราบิก้า',
		thAlt: 'กาแฟอาราบิกา',
		en: 'arabica coffee',
		division: '10',
		unit: 'kg'
	},
	{
		key: 'fertilizer',
		th: 'ปุ๋ยอินทรีย์',
		en: 'organic fertilizer',
		enAlt: 'organic fertiliser',
		division: '20',
		unit: 'kg'
	},
	{ key: 'scarf', th: 'ผ้าพันคอไหม', en: 'silk scarf', enAlt: 'silk scarves', division: '14', unit: 'piece' },
	{ key: 'cotton', th: 'ผ้าฝ้ายทอมือ', en: 'handwoven cotton fabric', division: '13', unit: 'metre' },
	{ key: 'tobacco', th: 'ใบยาสูบ', en: 'tobacco leaf', division: '12', unit: 'kg' },
	{ key: 'labels', th: 'ฉลากสินค้า', en: 'product labels', division: '18', unit: 'piece' },
	{ key: 'biodiesel', th: 'ไบโอดีเซล', en: 'biodiesel', division: '19', unit: 'litre' },
	{ key: 'rebar', th: 'เหล็กเส้น', en: 'steel bars', division: '24', unit: 'kg' },
	{ key: 'repair', th: 'ซ่อมเครื่องจักร', en: 'machinery repair', division: '33', unit: 'piece' },
	{ key: 'eucalyptus', th: 'ไม้ยูคาลิปตัส', en: 'eucalyptus wood', division: '02', unit: 'tonne' },
	{ key: 'chocolate', th: 'ช็อกโกแลต', thAlt: 'ช็อคโกแลต', en: 'chocolate', division: '10', unit: 'kg' },
	{ key: 'icecream', th: 'ไอศกรีม', thAlt: 'ไอศครีม', en: 'ice cream', division: '10', unit: 'litre' },
	{ key: 'yogurt', th: 'โยเกิร์ต', en: 'yogurt', enAlt: 'yoghurt', division: '10', unit: 'kg' },
	{
		key: 'strawberry',
		th: 'สตรอว์เบอร์รี',
		thAlt: 'สตรอเบอร์รี่',
		en: 'strawberry',
		enAlt: 'strawberries',
		division: '01',
		unit: 'kg'
	},
	{ key: 'knife', th: 'มีด', en: 'kitchen knife', enAlt: 'kitchen knives', division: '25', unit: 'piece' },
	{ key: 'tire', th: 'ยางรถยนต์', en: 'tire', enAlt: 'tyres', division: '22', unit: 'piece' },
	{
		key: 'jewelry',
		th: 'เครื่องประดับเงิน',
		en: 'silver jewelry',
		enAlt: 'silver jewellery',
		division: '32',
		unit: 'piece'
	},
	{
		key: 'pots',
		th: 'หม้ออะลูมิเนียม',
		thAlt: 'หม้ออลูมิเนียม',
		en: 'aluminum pots',
		enAlt: 'aluminium pots',
		division: '25',
		unit: 'piece'
	},
	{ key: 'plates', th: 'จานเซรามิก', thAlt: 'จานเซรามิค', en: 'ceramic plates', division: '23', unit: 'piece' },
	{ key: 'kombucha', th: 'คอมบูชา', en: 'kombucha', division: '11', unit: 'litre' },
	{ key: 'soymilk', th: 'นมถั่วเหลือง', en: 'soy milk', enAlt: 'soya milk', division: '11', unit: 'litre' },
	{ key: 'chili', th: 'พริกแห้ง', en: 'dried chili', enAlt: 'dried chillies', division: '10', unit: 'kg' },
	{ key: 'indigo', th: 'ผ้าย้อมคราม', thAlt: 'ผ้าคราม', en: 'indigo-dyed cloth', division: '13', unit: 'metre' },
	{ key: 'cassava', th: 'มันสำปะหลังสด', en: 'fresh cassava', division: '01', unit: 'tonne' }
];

/**
 * Decoys: bilingual, every certificate, enormous capacity, cheap, in every region — and a product no demand asks
 * for. Only their category links them to a demand; they must never push a real product off the first five.
 */
const DECOYS: Concept[] = [
	{ key: 'bread', th: 'ขนมปัง', en: 'bread', division: '10', unit: 'kg' },
	{ key: 'tofu', th: 'เต้าหู้', en: 'tofu', division: '10', unit: 'kg' },
	{ key: 'fishballs', th: 'ลูกชิ้นปลา', en: 'fish balls', division: '10', unit: 'kg' },
	{ key: 'cookies', th: 'คุกกี้', en: 'cookies', division: '10', unit: 'kg' },
	{ key: 'saltedeggs', th: 'ไข่เค็ม', en: 'salted eggs', division: '10', unit: 'kg' },
	{ key: 'crackers', th: 'ข้าวเกรียบ', en: 'rice crackers', division: '10', unit: 'kg' },
	{ key: 'papaya', th: 'มะละกอ', en: 'papaya', division: '01', unit: 'kg' },
	{ key: 'phakhaoma', th: 'ผ้าขาวม้า', en: 'pha khao ma', division: '13', unit: 'metre' },
	{ key: 'shirt', th: 'เสื้อเชิ้ต', en: 'shirt', division: '14', unit: 'piece' },
	{ key: 'shampoo', th: 'แชมพู', en: 'shampoo', division: '20', unit: 'piece' }
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
const conceptStartups = CONCEPTS.flatMap((concept, i) =>
	[0, 1].map((variant) => {
		const n = i * 2 + variant;
		const province = PROVINCES[(i + variant * 3) % PROVINCES.length]!;
		const language = n % 3; // 0: Thai only, 1: English only, 2: both
		const certifications = variant === 0 ? [CERTS[i % CERTS.length]!, 'gmp'] : [];
		const th = variant === 1 ? (concept.thAlt ?? concept.th) : concept.th;
		const en = variant === 1 ? (concept.enAlt ?? concept.en) : concept.en;
		return {
			ref: `s-${String(n + 1).padStart(3, '0')}`,
			province: province.code,
			...(language !== 1 ? { name_th: `${th} ${province.code}` } : {}),
			...(language !== 0 ? { name_en: `${en} maker ${n + 1}` } : {}),
			tsic: [concept.division],
			certifications: [...new Set(certifications)],
			products: [
				{
					...(language !== 1 ? { name_th: th } : {}),
					...(language !== 0 ? { name_en: en } : {}),
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
const decoyStartups = DECOYS.map((concept, i) => {
	const n = conceptStartups.length + i;
	const province = PROVINCES[i % PROVINCES.length]!;
	return {
		ref: `s-${String(n + 1).padStart(3, '0')}`,
		province: province.code,
		name_th: `${concept.th} ${province.code}`,
		name_en: `${concept.en} maker ${n + 1}`,
		tsic: [concept.division],
		certifications: [...CERTS],
		products: [
			{
				name_th: concept.th,
				name_en: concept.en,
				unit: concept.unit,
				monthly_capacity: 1_000_000,
				price_thb_min: 1
			}
		],
		_concept: concept.key,
		_region: province.region
	};
});
const startups = [...conceptStartups, ...decoyStartups];

interface DemandSpec {
	concept: string | null;
	title: { th?: string; en?: string };
	province: string | null;
	certs: string[];
	note: string;
	/** Concepts that are part of the answer (the material of the form asked for): graded 1. */
	partial?: string[];
	/** 100 unless the spec tests capacity far above or below what the startups make. */
	quantity?: number;
	/** For a demand with no right answer: its category and unit. */
	division?: string;
	unit?: Concept['unit'];
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
	},
	{
		concept: 'arabica',
		title: { th: 'กาแฟอาราบิก้าคั่วเข้ม' },
		province: 'TH-57',
		certs: [],
		note: 'Thai transliteration variant (อาราบิก้า / อาราบิกา)'
	},
	{
		concept: 'arabica',
		title: { en: 'Arabica coffee, medium roast' },
		province: 'TH-50',
		certs: [],
		note: 'English to Thai-only variants'
	},
	{
		concept: 'fertilizer',
		title: { en: 'Organic fertiliser pellets' },
		province: 'TH-40',
		certs: [],
		note: 'British spelling'
	},
	{
		concept: 'fertilizer',
		title: { th: 'ปุ๋ยอินทรีย์อัดเม็ด' },
		province: 'TH-45',
		certs: ['organic-thailand'],
		note: 'Thai, certificate'
	},
	{
		concept: 'scarf',
		title: { en: 'Silk scarves' },
		province: 'TH-40',
		certs: [],
		partial: ['silk'],
		note: 'form and material: silk fabric is a partial answer'
	},
	{ concept: 'scarf', title: { th: 'ผ้าพันคอ' }, province: 'TH-10', certs: [], note: 'Thai, form only' },
	{
		concept: 'cotton',
		title: { en: 'Handwoven cotton fabric' },
		province: 'TH-50',
		certs: [],
		note: 'English'
	},
	{
		concept: 'tobacco',
		title: { en: 'Tobacco leaf, sun-dried' },
		province: 'TH-57',
		certs: [],
		note: 'division 12'
	},
	{ concept: 'labels', title: { th: 'ฉลากสินค้า พิมพ์สี' }, province: 'TH-10', certs: [], note: 'division 18' },
	{ concept: 'biodiesel', title: { th: 'ไบโอดีเซล B100' }, province: 'TH-12', certs: [], note: 'division 19' },
	{ concept: 'rebar', title: { th: 'เหล็กเส้นก่อสร้าง' }, province: 'TH-83', certs: [], note: 'division 24' },
	{
		concept: 'repair',
		title: { en: 'Machinery repair service' },
		province: 'TH-40',
		certs: [],
		note: 'division 33'
	},
	{
		concept: 'eucalyptus',
		title: { th: 'ไม้ยูคาลิปตัส' },
		province: 'TH-45',
		certs: [],
		quantity: 100_000,
		note: 'division 02, capacity far below the demand'
	},
	{
		concept: 'chocolate',
		title: { en: 'Dark chocolate' },
		province: 'TH-90',
		certs: [],
		quantity: 1,
		note: 'capacity far above the demand'
	},
	{ concept: 'icecream', title: { th: 'ไอศครีมกะทิ' }, province: 'TH-10', certs: [], note: 'Thai variant' },
	{
		concept: 'yogurt',
		title: { en: 'Greek yoghurt' },
		province: 'TH-12',
		certs: [],
		note: 'British spelling'
	},
	{
		concept: 'strawberry',
		title: { th: 'สตรอเบอร์รี่สด' },
		province: 'TH-50',
		certs: [],
		note: 'Thai variant'
	},
	{
		concept: 'knife',
		title: { en: 'Kitchen knives' },
		province: 'TH-40',
		certs: [],
		note: 'irregular plural'
	},
	{
		concept: 'tire',
		title: { en: 'Tyres for pickups' },
		province: 'TH-45',
		certs: [],
		note: 'British spelling'
	},
	{ concept: 'jewelry', title: { th: 'เครื่องประดับเงิน' }, province: 'TH-50', certs: [], note: 'Thai' },
	{
		concept: 'pots',
		title: { en: 'Aluminium pots' },
		province: 'TH-12',
		certs: [],
		note: 'British spelling, Thai variant'
	},
	{
		concept: 'plates',
		title: { en: 'Ceramic plates for restaurants' },
		province: 'TH-57',
		certs: [],
		note: 'English to Thai variants'
	},
	{ concept: 'kombucha', title: { th: 'คอมบูชา' }, province: 'TH-10', certs: ['halal'], note: 'certificate' },
	{ concept: 'soymilk', title: { en: 'Soya milk' }, province: 'TH-12', certs: [], note: 'British' },
	{ concept: 'chili', title: { en: 'Dried chillies' }, province: 'TH-40', certs: [], note: 'British plural' },
	{ concept: 'indigo', title: { th: 'ผ้าคราม' }, province: 'TH-45', certs: [], note: 'Thai variant' },
	{ concept: 'cassava', title: { en: 'Fresh casava' }, province: 'TH-40', certs: [], note: 'typo' },
	{ concept: 'fertilizer', title: { en: 'Organic fertlizer' }, province: 'TH-10', certs: [], note: 'typo' },
	{
		concept: null,
		title: { th: 'ยาสีฟันสมุนไพร' },
		division: '20',
		unit: 'piece',
		province: 'TH-10',
		certs: [],
		note: 'no right answer; only category decoys'
	}
];

const conceptOf = (key: string | null) => CONCEPTS.find((c) => c.key === key);
const demands = SPECS.map((spec, i) => {
	const concept = conceptOf(spec.concept) ?? {
		division: spec.division ?? (spec.title.en?.startsWith('Jasmine') ? '01' : '27'),
		unit: spec.unit ?? ('piece' as const)
	};
	return {
		ref: `d-${String(i + 1).padStart(3, '0')}`,
		buyer_name: `Buyer ${i + 1}`,
		...(spec.title.th ? { title_th: spec.title.th } : {}),
		...(spec.title.en ? { title_en: spec.title.en } : {}),
		tsic: concept.division,
		quantity: spec.quantity ?? 100,
		unit: spec.title.en?.startsWith('Jasmine') ? 'tonne' : concept.unit,
		recurrence: 'monthly',
		delivery_province: spec.province,
		needed_by: '2099-12-31',
		required_certifications: spec.certs
	};
});

// Graded judgments: 3 = makes the product, holds every required certificate, same region as delivery;
// 2 = makes it and holds the certificates elsewhere; 1 = makes part of it (the material of the form asked
// for, in the demand's unit) or less than a tenth of the quantity; 0 = anything else (the wrong product, or a missing certificate,
// which the buyer cannot accept).
const judgments: Record<string, Record<string, number>> = {};
SPECS.forEach((spec, i) => {
	const ref = demands[i]!.ref;
	judgments[ref] = {};
	for (const s of startups) {
		const exact = s._concept === spec.concept;
		if (!exact && !spec.partial?.includes(s._concept)) continue;
		// Fabric sold by the metre cannot fill an order for pieces: a part of the answer only in a unit that converts.
		if (!exact && s.products[0]!.unit !== demands[i]!.unit) continue;
		if (!spec.certs.every((c) => s.certifications.includes(c))) continue;
		const tooSmall = s.products[0]!.monthly_capacity < demands[i]!.quantity / 10;
		judgments[ref][s.ref] =
			!exact || tooSmall ? 1 : spec.province && s._region === region(spec.province) ? 3 : 2;
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
