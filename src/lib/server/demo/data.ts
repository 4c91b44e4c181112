// The vocabulary of the demo data: what kinds of producer each region has, what they make (bilingual names,
// units, plausible monthly capacity and price per unit), who buys, and the names they go by. Tables only:
// generate.ts draws from them.
import type { Region } from '../reference';
import type { Unit } from '$lib/schemas/units';

/** Marks every demo organisation, in each language, so nobody mistakes it for a real one. */
export const DEMO_MARK_TH = '[ตัวอย่าง] ';
export const DEMO_MARK_EN = '[Demo] ';
export const DEMO_REF_PREFIX = 'demo-';

// The notes, like the sector summaries below, keep clear of the words demand titles use ("for", "a", "สำหรับ",
// "ส่ง", the kinds of buyer): a demo startup's summary must not earn text relevance from every demo demand.
export const DEMO_NOTE_TH = 'ข้อมูลสมมุติเพื่อทดลองใช้ระบบ ไม่ใช่กิจการหรือความต้องการจริง';
export const DEMO_NOTE_EN = 'Fictional demo data, not an actual business or demand.';

/**
 * Certifications no demo startup holds: a demand that requires one can never be served by the demo producers,
 * which is how the demo gets unmet demand that does not depend on scores. Public buyers do ask for these two.
 */
export const UNHELD_CERTIFICATIONS = ['green-label', 'thai-innovation-list'] as const;

/** Bangkok and its inner ring: a different mix from the rest of the Central region (tech, fashion, cosmetics). */
export const METRO_PROVINCES = ['TH-10', 'TH-11', 'TH-12', 'TH-13'] as const;

export type DemoRegion = Region | 'Metro';

export interface ProductKind {
	th: string;
	en: string;
	unit: Unit;
	/** Monthly capacity of one small producer, in `unit`. */
	capacity: [number, number];
	/** Price per `unit` in THB. */
	price: [number, number];
}

export interface Sector {
	key: string;
	division: string;
	/** How common such producers are per region; a region left out has none (unless a province below names it). */
	regions: Partial<Record<DemoRegion, number>>;
	/** Provinces known for it, which get extra weight whatever their region. */
	provinces?: string[];
	/** Second half of a business name, Thai and English, e.g. ["คอฟฟี่", "Coffee"]. */
	names: [string, string][];
	summary: [string, string];
	products: ProductKind[];
	/** What such a producer plausibly holds; never one of UNHELD_CERTIFICATIONS. */
	certifications: string[];
}

const p = (
	th: string,
	en: string,
	unit: Unit,
	capacity: [number, number],
	price: [number, number]
): ProductKind => ({ th, en, unit, capacity, price });

export const SECTORS: Sector[] = [
	{
		key: 'rice',
		division: '01',
		regions: { Northeast: 5, North: 2, Central: 3 },
		provinces: ['TH-32', 'TH-33', 'TH-34', 'TH-45'],
		names: [
			['ข้าวหอม', 'Fragrant Rice'],
			['นาอินทรีย์', 'Organic Paddies'],
			['ข้าวไทย', 'Thai Rice']
		],
		summary: [
			'ปลูกและสีข้าวหอมมะลิและข้าวสีอินทรีย์จากนาของตนเอง',
			'grows and mills jasmine and coloured rice from its own paddies'
		],
		products: [
			p('ข้าวหอมมะลิ', 'Jasmine rice', 'kg', [5000, 60000], [32, 55]),
			p('ข้าวไรซ์เบอร์รี่', 'Riceberry rice', 'kg', [2000, 20000], [60, 110]),
			p('ข้าวกล้อง', 'Brown rice', 'kg', [2000, 15000], [40, 70]),
			p('ข้าวเหนียว', 'Sticky rice', 'kg', [5000, 40000], [28, 45])
		],
		certifications: ['gap', 'organic-thailand', 'q-mark', 'gi', 'otop-star']
	},
	{
		key: 'cassava',
		division: '10',
		regions: { Northeast: 3, East: 2, Central: 1 },
		provinces: ['TH-30', 'TH-27'],
		names: [
			['แป้งมัน', 'Tapioca'],
			['อะโกรโปรดักส์', 'Agro Products']
		],
		summary: [
			'แปรรูปมันสำปะหลังจากไร่ของเกษตรกรในท้องถิ่นเป็นแป้งและมันเส้น',
			"processes local farmers' cassava into starch and chips"
		],
		products: [
			p('แป้งมันสำปะหลัง', 'Tapioca starch', 'tonne', [100, 800], [13000, 17000]),
			p('มันสำปะหลังเส้น', 'Dried cassava chips', 'tonne', [200, 1500], [6500, 8500])
		],
		certifications: ['gmp', 'haccp', 'halal', 'q-mark']
	},
	{
		key: 'silk',
		division: '13',
		regions: { Northeast: 4, North: 1 },
		provinces: ['TH-32', 'TH-40', 'TH-44', 'TH-36'],
		names: [
			['ไหมไทย', 'Thai Silk'],
			['ผ้าทอ', 'Weavers']
		],
		summary: ['ทอผ้าไหมมัดหมี่และผ้าฝ้ายด้วยกี่พื้นบ้านโดยกลุ่มแม่บ้าน', 'weaves mudmee silk and cotton on village looms'],
		products: [
			p('ผ้าไหมมัดหมี่', 'Mudmee silk', 'metre', [150, 1500], [800, 2500]),
			p('ผ้าไหมทอมือ', 'Handwoven silk', 'metre', [100, 1000], [900, 3000]),
			p('ผ้าขาวม้า', 'Pha khao ma cotton cloth', 'piece', [500, 5000], [120, 350])
		],
		certifications: ['otop-star', 'tcps', 'gi']
	},
	{
		key: 'indigo',
		division: '13',
		regions: { Northeast: 2, North: 2 },
		provinces: ['TH-47', 'TH-54'],
		names: [
			['ผ้าคราม', 'Indigo'],
			['ฝ้ายคราม', 'Indigo Cotton']
		],
		summary: ['ย้อมผ้าฝ้ายด้วยครามธรรมชาติและทอมือ', 'hand-weaves cotton dyed with natural indigo'],
		products: [
			p('ผ้าฝ้ายย้อมคราม', 'Indigo-dyed cotton fabric', 'metre', [300, 3000], [250, 600]),
			p('ผ้าฝ้ายทอมือ', 'Handwoven cotton fabric', 'metre', [300, 3000], [180, 450])
		],
		certifications: ['otop-star', 'tcps', 'gi']
	},
	{
		key: 'apparel',
		division: '14',
		regions: { Metro: 3, Central: 1, North: 1 },
		provinces: ['TH-54'],
		names: [
			['แฟชั่น', 'Fashion'],
			['การ์เมนต์', 'Garments']
		],
		summary: ['ตัดเย็บเสื้อผ้าจากผ้าไทยในห้องตัดเย็บของตนเอง', 'sews clothing from Thai fabrics in its own workshop'],
		products: [
			p('เสื้อหม้อห้อม', 'Mor hom indigo shirt', 'piece', [300, 3000], [250, 550]),
			p('ชุดนักเรียน', 'School uniform', 'set', [1000, 10000], [250, 450]),
			p('กางเกงเล', 'Fisherman pants', 'piece', [500, 6000], [120, 250]),
			p('ผ้าพันคอ', 'Scarf', 'piece', [300, 3000], [150, 600])
		],
		certifications: ['tis', 'mit', 'otop-star']
	},
	{
		key: 'coffee',
		division: '10',
		regions: { North: 5, South: 1 },
		provinces: ['TH-50', 'TH-57', 'TH-55', 'TH-86'],
		names: [
			['คอฟฟี่', 'Coffee'],
			['คอฟฟี่โรสเตอร์', 'Coffee Roasters']
		],
		summary: ['คั่วกาแฟจากเมล็ดที่ปลูกใต้ร่มไม้บนพื้นที่สูง', 'roasts shade-grown coffee from the highlands'],
		products: [
			p('กาแฟคั่วอาราบิก้า', 'Roasted arabica coffee', 'kg', [200, 3000], [450, 900]),
			p('กาแฟคั่วบดแบบดริป', 'Drip-bag ground coffee', 'box', [500, 5000], [120, 220]),
			p('เมล็ดกาแฟสาร', 'Green coffee beans', 'kg', [1000, 10000], [180, 320])
		],
		certifications: ['thai-fda', 'gmp', 'organic-thailand', 'gi', 'haccp']
	},
	{
		key: 'tea',
		division: '10',
		regions: { North: 3 },
		provinces: ['TH-57', 'TH-50'],
		names: [
			['ที', 'Tea'],
			['ไร่ชา', 'Tea Estate']
		],
		summary: ['ปลูกและแปรรูปชาอู่หลงและชาสมุนไพรบนดอย', 'grows and processes oolong and herbal teas in the hills'],
		products: [
			p('ชาอู่หลง', 'Oolong tea', 'kg', [100, 1500], [600, 1800]),
			p('ชาสมุนไพร', 'Herbal tea', 'box', [500, 6000], [60, 150])
		],
		certifications: ['thai-fda', 'gmp', 'organic-thailand', 'gap']
	},
	{
		key: 'orchard',
		division: '01',
		regions: { East: 5, South: 2, North: 1 },
		provinces: ['TH-22', 'TH-21', 'TH-23'],
		names: [
			['ฟรุ๊ต', 'Fruits'],
			['สวนผลไม้', 'Orchards']
		],
		summary: ['คัดเกรดผลไม้สดตามฤดูกาลจากสวนของตนเอง', 'grades fresh fruit in season from its own orchards'],
		products: [
			p('ทุเรียนหมอนทอง', 'Monthong durian', 'kg', [5000, 50000], [120, 220]),
			p('มังคุด', 'Mangosteen', 'kg', [3000, 30000], [40, 90]),
			p('เงาะโรงเรียน', 'Rongrien rambutan', 'kg', [3000, 30000], [25, 50])
		],
		certifications: ['gap', 'q-mark', 'organic-thailand', 'gi']
	},
	{
		key: 'fruit-snacks',
		division: '10',
		regions: { East: 3, Central: 2 },
		names: [
			['ฟู้ดส์', 'Foods'],
			['ขนมไทย', 'Thai Snacks']
		],
		summary: ['แปรรูปผลไม้ตามฤดูกาลเป็นของว่างบรรจุซอง', 'turns seasonal fruit into packed snacks'],
		products: [
			p('ทุเรียนทอดกรอบ', 'Durian chips', 'pack', [2000, 20000], [80, 150]),
			p('มะม่วงอบแห้ง', 'Dried mango', 'kg', [500, 5000], [250, 450]),
			p('ผลไม้แช่แข็ง', 'Frozen fruit', 'kg', [2000, 20000], [90, 180]),
			p('กล้วยอบ', 'Banana chips', 'pack', [2000, 20000], [35, 70])
		],
		certifications: ['thai-fda', 'gmp', 'haccp', 'halal', 'otop-star']
	},
	{
		key: 'longan',
		division: '10',
		regions: { North: 3 },
		provinces: ['TH-51', 'TH-50'],
		names: [
			['ลำไยทอง', 'Golden Longan'],
			['ฟู้ดส์', 'Foods']
		],
		summary: [
			'อบลำไยและบรรจุน้ำผึ้งจากสวนลำไยของเกษตรกรในท้องถิ่น',
			"dries longan and packs honey from local growers' orchards"
		],
		products: [
			p('ลำไยอบแห้ง', 'Dried longan', 'kg', [1000, 10000], [150, 260]),
			p('ลำไยอบแห้งเนื้อสีทอง', 'Golden dried longan flesh', 'kg', [500, 5000], [280, 420]),
			p('น้ำผึ้งดอกลำไย', 'Longan honey', 'kg', [300, 3000], [180, 350])
		],
		certifications: ['gmp', 'thai-fda', 'gap', 'gi', 'halal']
	},
	{
		key: 'seafood',
		division: '10',
		regions: { South: 4, East: 2, Central: 1 },
		provinces: ['TH-74', 'TH-90', 'TH-84', 'TH-20'],
		names: [
			['ซีฟู้ด', 'Seafood'],
			['อาหารทะเล', 'Marine Foods']
		],
		summary: [
			'แปรรูปอาหารทะเลจากเรือประมงพื้นบ้านด้วยห้องเย็นของตนเอง',
			'processes the catch of small-scale fishers in its own cold store'
		],
		products: [
			p('กุ้งแช่แข็ง', 'Frozen shrimp', 'kg', [2000, 20000], [220, 380]),
			p('ปลาแห้ง', 'Dried fish', 'kg', [500, 5000], [250, 500]),
			p('ปลาหมึกแห้ง', 'Dried squid', 'kg', [300, 3000], [700, 1200]),
			p('ลูกชิ้นปลา', 'Fish balls', 'kg', [2000, 20000], [90, 160])
		],
		certifications: ['thai-fda', 'gmp', 'haccp', 'halal']
	},
	{
		key: 'aquaculture',
		division: '03',
		regions: { South: 3, East: 2, Central: 2, Northeast: 1 },
		provinces: ['TH-84', 'TH-75', 'TH-24'],
		names: [
			['ฟาร์มทะเล', 'Sea Farm'],
			['อควาฟาร์ม', 'Aqua Farm']
		],
		summary: [
			'เพาะเลี้ยงสัตว์น้ำในระบบหมุนเวียนน้ำและตรวจคุณภาพน้ำสม่ำเสมอ',
			'farms fish and shellfish in recirculating ponds with closely watched water'
		],
		products: [
			p('กุ้งขาวแวนนาไม', 'Vannamei shrimp', 'kg', [2000, 20000], [140, 220]),
			p('ปลากะพงขาว', 'Sea bass', 'kg', [1000, 10000], [120, 180]),
			p('หอยนางรม', 'Oysters', 'kg', [500, 5000], [80, 160]),
			p('ปลานิล', 'Tilapia', 'kg', [3000, 30000], [45, 75])
		],
		certifications: ['gap', 'q-mark', 'halal']
	},
	{
		key: 'fish-sauce',
		division: '10',
		regions: { East: 3, Central: 1, South: 1 },
		provinces: ['TH-21', 'TH-22', 'TH-23'],
		names: [
			['น้ำปลาแท้', 'Fish Sauce'],
			['เครื่องปรุง', 'Condiments']
		],
		summary: ['หมักน้ำปลาและกะปิแบบดั้งเดิมในถังไม้', 'ferments fish sauce and shrimp paste the traditional way'],
		products: [
			p('น้ำปลาแท้', 'Premium fish sauce', 'litre', [5000, 40000], [35, 90]),
			p('กะปิ', 'Shrimp paste', 'kg', [500, 5000], [120, 250])
		],
		certifications: ['thai-fda', 'gmp', 'haccp', 'halal']
	},
	{
		key: 'isan-food',
		division: '10',
		regions: { Northeast: 4 },
		names: [
			['ครัวแซ่บ', 'Zaab Kitchen'],
			['ฟู้ดส์', 'Foods']
		],
		summary: [
			'ผลิตอาหารพื้นบ้านอีสานบรรจุพร้อมขายตามมาตรฐาน อย.',
			'makes packed Isan staples to Thai FDA standards'
		],
		products: [
			p('ปลาร้าปรุงสุก', 'Cooked fermented fish (pla ra)', 'litre', [2000, 20000], [60, 120]),
			p('ไส้กรอกอีสาน', 'Isan sausage', 'kg', [500, 5000], [150, 250]),
			p('แหนม', 'Fermented pork', 'kg', [500, 5000], [160, 260]),
			p('น้ำพริกเผา', 'Roasted chili paste', 'pack', [2000, 20000], [35, 80])
		],
		certifications: ['thai-fda', 'gmp', 'otop-star', 'tcps']
	},
	{
		key: 'coconut',
		division: '10',
		regions: { Central: 3, West: 3, South: 2 },
		provinces: ['TH-75', 'TH-70', 'TH-77'],
		names: [
			['มะพร้าว', 'Coconut'],
			['โคโค่', 'Coco']
		],
		summary: [
			'แปรรูปมะพร้าวจากสวนริมคลองเป็นกะทิ น้ำตาล และน้ำมัน',
			'makes coconut milk, sugar and oil from canal-side groves'
		],
		products: [
			p('กะทิ', 'Coconut milk', 'litre', [5000, 40000], [45, 80]),
			p('น้ำตาลมะพร้าว', 'Coconut sugar', 'kg', [1000, 10000], [60, 120]),
			p('น้ำมันมะพร้าวสกัดเย็น', 'Virgin coconut oil', 'litre', [500, 5000], [180, 350]),
			p('มะพร้าวอบกรอบ', 'Coconut chips', 'pack', [2000, 20000], [35, 70])
		],
		certifications: ['thai-fda', 'gmp', 'organic-thailand', 'halal']
	},
	{
		key: 'fruit-farm',
		division: '01',
		regions: { West: 3, Central: 2, North: 1 },
		provinces: ['TH-77', 'TH-57'],
		names: [
			['ฟาร์มผลไม้', 'Fruit Farm'],
			['สวนเกษตร', 'Growers']
		],
		summary: [
			'ปลูกสับปะรด มะม่วง และมะพร้าวน้ำหอมตามสัญญากับผู้ค้า',
			'grows pineapples, mangoes and aromatic coconuts under contract to traders'
		],
		products: [
			p('สับปะรด', 'Pineapples', 'kg', [10000, 80000], [10, 22]),
			p('มะม่วงน้ำดอกไม้', 'Nam Dok Mai mango', 'kg', [3000, 30000], [40, 90]),
			p('มะพร้าวน้ำหอม', 'Aromatic coconuts', 'piece', [10000, 80000], [15, 30])
		],
		certifications: ['gap', 'q-mark', 'organic-thailand']
	},
	{
		key: 'vegetables',
		division: '01',
		regions: { North: 3, Central: 2, West: 2, Northeast: 1 },
		provinces: ['TH-67', 'TH-63', 'TH-50'],
		names: [
			['ออร์แกนิคฟาร์ม', 'Organic Farm'],
			['ผักสด', 'Fresh Greens']
		],
		summary: [
			'ปลูกผักปลอดสารในโรงเรือน เก็บเกี่ยววันต่อวัน',
			'grows clean vegetables under cover, picked the day they leave'
		],
		products: [
			p('ผักสลัดไฮโดรโปนิกส์', 'Hydroponic lettuce', 'kg', [1000, 10000], [70, 140]),
			p('มะเขือเทศ', 'Tomatoes', 'kg', [2000, 20000], [25, 50]),
			p('เห็ดนางฟ้า', 'Grey oyster mushroom', 'kg', [500, 5000], [60, 120])
		],
		certifications: ['gap', 'organic-thailand', 'q-mark']
	},
	{
		key: 'beverages',
		division: '11',
		regions: { Metro: 2, Central: 2, West: 2, North: 1, East: 1 },
		names: [
			['ดริ้งค์', 'Drinks'],
			['เบฟเวอเรจ', 'Beverages']
		],
		summary: [
			'ผลิตเครื่องดื่มจากผลไม้และสมุนไพรไทย ไม่ใส่สารกันเสีย',
			'bottles drinks from Thai fruit and herbs, no preservatives'
		],
		products: [
			p('น้ำมะพร้าว', 'Bottled coconut water', 'litre', [3000, 30000], [35, 60]),
			p('น้ำผลไม้', 'Fruit juice', 'litre', [3000, 30000], [40, 80]),
			p('เครื่องดื่มสมุนไพร', 'Herbal drink', 'litre', [2000, 20000], [30, 70]),
			p('คอมบูชา', 'Kombucha', 'litre', [500, 5000], [120, 220])
		],
		certifications: ['thai-fda', 'gmp', 'haccp', 'halal']
	},
	{
		key: 'palm-oil',
		division: '10',
		regions: { South: 3 },
		provinces: ['TH-81', 'TH-84', 'TH-86'],
		names: [
			['ปาล์มออยล์', 'Palm Oil'],
			['น้ำมันพืช', 'Vegetable Oils']
		],
		summary: ['สกัดน้ำมันปาล์มจากผลปาล์มสดที่ปลูกในพื้นที่', 'extracts palm oil from fresh fruit bunches grown nearby'],
		products: [
			p('น้ำมันปาล์มดิบ', 'Crude palm oil', 'tonne', [50, 500], [28000, 36000]),
			p('น้ำมันปาล์มบริสุทธิ์', 'Refined palm oil', 'litre', [5000, 50000], [42, 60])
		],
		certifications: ['gmp', 'halal', 'haccp', 'green-industry']
	},
	{
		key: 'halal-food',
		division: '10',
		regions: { South: 3 },
		provinces: ['TH-94', 'TH-95', 'TH-96', 'TH-91', 'TH-84'],
		names: [
			['ฮาลาลฟู้ด', 'Halal Foods'],
			['ครัวใต้', 'Southern Kitchen']
		],
		summary: [
			'ผลิตอาหารฮาลาลแบบปักษ์ใต้ในครัวที่ได้รับการรับรอง',
			'makes southern halal foods in its certified kitchen'
		],
		products: [
			p('ข้าวเกรียบปลา', 'Fish crackers (keropok)', 'pack', [2000, 20000], [30, 70]),
			p('ไก่แปรรูปฮาลาล', 'Halal processed chicken', 'kg', [2000, 20000], [90, 150]),
			p('น้ำบูดู', 'Budu fish sauce', 'litre', [1000, 10000], [40, 90]),
			p('ไข่เค็ม', 'Salted eggs', 'piece', [10000, 60000], [7, 12])
		],
		certifications: ['halal', 'thai-fda', 'gmp', 'haccp']
	},
	{
		key: 'bakery',
		division: '10',
		regions: { Metro: 2, Central: 1 },
		names: [
			['เบเกอรี่', 'Bakery'],
			['ช็อกโกแลต', 'Chocolate']
		],
		summary: ['อบขนมและทำช็อกโกแลตจากโกโก้ไทย', 'bakes and makes chocolate from Thai cacao'],
		products: [
			p('คุกกี้เนยสด', 'Butter cookies', 'box', [1000, 10000], [80, 180]),
			p('ช็อกโกแลตโกโก้ไทย', 'Thai cacao chocolate', 'pack', [500, 5000], [90, 250]),
			p('ขนมปังโฮลวีต', 'Wholewheat bread', 'piece', [2000, 20000], [35, 70])
		],
		certifications: ['thai-fda', 'gmp', 'halal']
	},
	{
		key: 'rubber',
		division: '22',
		regions: { South: 4, East: 2, Northeast: 1 },
		provinces: ['TH-92', 'TH-90', 'TH-80', 'TH-38'],
		names: [
			['ยางพารา', 'Rubber'],
			['ลาเท็กซ์', 'Latex']
		],
		summary: [
			'แปรรูปน้ำยางพาราจากสวนของเกษตรกรรายย่อยเป็นยางแผ่นและเครื่องนอน',
			"turns smallholders' latex into sheets and bedding"
		],
		products: [
			p('ยางแผ่นรมควัน', 'Ribbed smoked rubber sheet', 'kg', [5000, 50000], [55, 75]),
			p('หมอนยางพารา', 'Latex pillow', 'piece', [500, 5000], [450, 1200]),
			p('ที่นอนยางพารา', 'Latex mattress', 'piece', [50, 600], [8000, 18000]),
			p('ถุงมือยาง', 'Rubber gloves', 'box', [1000, 10000], [90, 180])
		],
		certifications: ['tis', 'mit', 'green-industry', 'gmp']
	},
	{
		key: 'bioplastic',
		division: '22',
		regions: { Metro: 2, East: 2, Central: 1, Northeast: 1 },
		names: [
			['แพ็คเกจจิ้ง', 'Packaging'],
			['ไบโอพลาสต์', 'Bioplast']
		],
		summary: ['ผลิตบรรจุภัณฑ์ย่อยสลายได้จากแป้งมันสำปะหลัง', 'makes compostable packaging from cassava starch'],
		products: [
			p('กล่องอาหารพลาสติกชีวภาพ', 'Bioplastic food containers', 'piece', [20000, 200000], [2, 5]),
			p('ถุงพลาสติกย่อยสลายได้', 'Compostable plastic bags', 'piece', [20000, 200000], [1, 3]),
			p('แก้วพลาสติกชีวภาพ', 'Bioplastic cups', 'piece', [20000, 200000], [1.5, 4])
		],
		certifications: ['tis', 'mit', 'green-industry', 'gmp']
	},
	{
		key: 'basketry',
		division: '16',
		regions: { Northeast: 3, North: 2, Central: 1 },
		names: [
			['จักสาน', 'Basketry'],
			['หัตถศิลป์', 'Crafts']
		],
		summary: [
			'สานตะกร้าและกระเป๋าจากไม้ไผ่และผักตบชวาในท้องถิ่น',
			'weaves baskets and bags from local bamboo and water hyacinth'
		],
		products: [
			p('ตะกร้าไม้ไผ่', 'Bamboo basket', 'piece', [300, 3000], [80, 350]),
			p('กระติบข้าว', 'Sticky rice basket', 'piece', [500, 5000], [50, 150]),
			p('กระเป๋าผักตบชวาสาน', 'Water hyacinth woven bag', 'piece', [300, 3000], [150, 450])
		],
		certifications: ['otop-star', 'tcps', 'mit']
	},
	{
		key: 'krajood',
		division: '16',
		regions: { South: 2 },
		provinces: ['TH-93', 'TH-80'],
		names: [
			['กระจูด', 'Krajood'],
			['หัตถศิลป์', 'Crafts']
		],
		summary: [
			'สานกระจูดจากพรุในท้องถิ่นเป็นกระเป๋าและเสื่อ',
			'weaves sedge from the local peat swamp into bags and mats'
		],
		products: [
			p('กระเป๋ากระจูดสาน', 'Krajood woven bag', 'piece', [300, 3000], [150, 450]),
			p('เสื่อกระจูด', 'Krajood mat', 'piece', [200, 2000], [250, 700])
		],
		certifications: ['otop-star', 'tcps']
	},
	{
		key: 'woodcraft',
		division: '16',
		regions: { North: 3, Central: 1 },
		provinces: ['TH-50', 'TH-54', 'TH-52'],
		names: [
			['งานไม้', 'Woodcraft'],
			['ไม้งาม', 'Fine Wood']
		],
		summary: ['แกะสลักและทำของใช้จากไม้ปลูก', 'carves and turns plantation timber into woodwork'],
		products: [
			p('ไม้แกะสลัก', 'Wood carving', 'piece', [100, 1000], [300, 2500]),
			p('ของเล่นไม้', 'Wooden toys', 'piece', [500, 5000], [120, 450]),
			p('ภาชนะไม้สัก', 'Teak tableware', 'set', [100, 1000], [450, 1500])
		],
		certifications: ['otop-star', 'tcps', 'mit']
	},
	{
		key: 'furniture',
		division: '31',
		regions: { North: 2, South: 1, East: 1, Central: 1, Metro: 1 },
		provinces: ['TH-54', 'TH-53'],
		names: [
			['เฟอร์นิเจอร์', 'Furniture'],
			['วู้ดเวิร์ค', 'Woodworks']
		],
		summary: ['ออกแบบและผลิตเฟอร์นิเจอร์ไม้สักและไม้ยางพารา', 'designs and builds teak and rubberwood furniture'],
		products: [
			p('โต๊ะไม้สัก', 'Teak dining table', 'piece', [20, 200], [8000, 25000]),
			p('เก้าอี้ไม้ยางพารา', 'Rubberwood chair', 'piece', [200, 2000], [900, 2500]),
			p('ตู้ไม้', 'Wooden cabinet', 'piece', [30, 300], [4500, 12000])
		],
		certifications: ['tis', 'mit', 'green-industry']
	},
	{
		key: 'ceramics',
		division: '23',
		regions: { North: 3 },
		provinces: ['TH-52', 'TH-50'],
		names: [
			['เซรามิก', 'Ceramics'],
			['เครื่องเคลือบ', 'Stoneware']
		],
		summary: ['ปั้นและเผาเครื่องเคลือบจากดินขาวในท้องถิ่น', 'throws and fires glazed ware from local kaolin'],
		products: [
			p('ชามเซรามิก', 'Ceramic bowls', 'piece', [2000, 20000], [35, 120]),
			p('เครื่องเคลือบศิลาดล', 'Celadon tableware', 'piece', [500, 5000], [250, 900]),
			p('แก้วกาแฟเซรามิก', 'Ceramic coffee mugs', 'piece', [1000, 10000], [90, 250])
		],
		certifications: ['tis', 'otop-star', 'mit']
	},
	{
		key: 'pottery',
		division: '23',
		regions: { Northeast: 1, West: 2, Central: 1 },
		provinces: ['TH-30', 'TH-70', 'TH-74'],
		names: [
			['ดินเผา', 'Pottery'],
			['เครื่องปั้น', 'Earthenware']
		],
		summary: ['ปั้นเครื่องดินเผาด้วยมือตามภูมิปัญญาท้องถิ่น', 'hand-makes pottery in the local tradition'],
		products: [
			p('เครื่องปั้นดินเผา', 'Terracotta pottery', 'piece', [300, 3000], [150, 800]),
			p('โอ่งมังกร', 'Dragon jar', 'piece', [50, 500], [800, 3500]),
			p('เบญจรงค์', 'Benjarong porcelain', 'piece', [100, 1000], [600, 3000])
		],
		certifications: ['otop-star', 'tcps', 'mit']
	},
	{
		key: 'herbal-cosmetics',
		division: '20',
		regions: { Metro: 3, Central: 2, North: 2, Northeast: 2, South: 1, East: 1, West: 1 },
		names: [
			['เฮอร์เบิล', 'Herbal'],
			['บิวตี้', 'Beauty'],
			['สมุนไพร', 'Herbs']
		],
		summary: [
			'ผลิตเครื่องสำอางและของใช้จากสมุนไพรไทยด้วยมาตรฐาน GMP',
			'makes Thai-herb cosmetics and toiletries to GMP'
		],
		products: [
			p('สบู่สมุนไพร', 'Herbal soap', 'piece', [2000, 20000], [25, 80]),
			p('แชมพูสมุนไพร', 'Herbal shampoo', 'piece', [1000, 10000], [80, 180]),
			p('ครีมบำรุงผิว', 'Skin cream', 'piece', [500, 5000], [150, 450]),
			p('ยาหม่องสมุนไพร', 'Herbal balm', 'piece', [2000, 20000], [20, 60]),
			p('น้ำมันหอมระเหย', 'Essential oil', 'litre', [50, 500], [1500, 4000])
		],
		certifications: ['thai-fda', 'gmp', 'organic-thailand', 'halal', 'otop-star']
	},
	{
		key: 'herbal-medicine',
		division: '21',
		regions: { Central: 2, Northeast: 2, North: 1, East: 1 },
		provinces: ['TH-25', 'TH-47'],
		names: [
			['โอสถ', 'Osot'],
			['ฟาร์มาเฮิร์บ', 'Pharma Herb']
		],
		summary: ['ผลิตยาสมุนไพรจากวัตถุดิบที่ปลูกเองตามมาตรฐาน GMP', 'makes herbal medicines from its own crops to GMP'],
		products: [
			p('ฟ้าทะลายโจรแคปซูล', 'Andrographis capsules', 'box', [1000, 10000], [90, 180]),
			p('ขมิ้นชันแคปซูล', 'Turmeric capsules', 'box', [1000, 10000], [80, 160]),
			p('กระชายดำแคปซูล', 'Black ginger capsules', 'box', [500, 5000], [180, 350]),
			p('ลูกประคบสมุนไพร', 'Herbal compress', 'piece', [1000, 10000], [40, 90])
		],
		certifications: ['thai-fda', 'gmp', 'organic-thailand', 'halal']
	},
	{
		key: 'fertiliser',
		division: '20',
		regions: { Central: 2, Northeast: 2, North: 1, West: 1 },
		names: [
			['ไบโอ', 'Bio'],
			['อะโกรเทค', 'Agrotech']
		],
		summary: [
			'ผลิตปุ๋ยอินทรีย์และสารชีวภัณฑ์จากวัสดุเหลือใช้ทางการเกษตร',
			'makes organic fertiliser and bio-inputs from farm residues'
		],
		products: [
			p('ปุ๋ยอินทรีย์', 'Organic fertilizer', 'tonne', [50, 500], [5000, 9000]),
			p('น้ำส้มควันไม้', 'Wood vinegar', 'litre', [1000, 10000], [25, 60])
		],
		certifications: ['organic-thailand', 'green-industry', 'mit']
	},
	{
		key: 'metalware',
		division: '25',
		regions: { Central: 1 },
		provinces: ['TH-14', 'TH-15'],
		names: [
			['เหล็กกล้า', 'Steelcraft'],
			['ช่างตีมีด', 'Bladesmiths']
		],
		summary: ['ตีมีดและเครื่องครัวเหล็กด้วยมือ', 'forges knives and ironware by hand'],
		products: [
			p('มีดทำครัวอรัญญิก', 'Aranyik kitchen knife', 'piece', [300, 3000], [250, 900]),
			p('กระทะเหล็ก', 'Iron wok', 'piece', [300, 3000], [350, 800])
		],
		certifications: ['otop-star', 'mit', 'tis']
	},
	{
		key: 'handicraft',
		division: '32',
		regions: { North: 2, Northeast: 1, Metro: 1 },
		provinces: ['TH-32', 'TH-50'],
		names: [
			['แฮนด์คราฟต์', 'Handicraft'],
			['ศิลป์', 'Arts']
		],
		summary: [
			'ออกแบบเครื่องประดับและของที่ระลึกร่วมกับช่างฝีมือท้องถิ่น',
			'designs jewellery and gifts with local artisans'
		],
		products: [
			p('เครื่องประดับเงิน', 'Silver jewelry', 'piece', [200, 2000], [450, 2500]),
			p('เทียนหอม', 'Scented candles', 'piece', [1000, 10000], [60, 180]),
			p('ผ้าไหมไทยของที่ระลึก', 'Thai silk souvenirs', 'piece', [500, 5000], [120, 450])
		],
		certifications: ['otop-star', 'mit', 'tcps']
	},
	{
		key: 'paper',
		division: '17',
		regions: { North: 1, Central: 1, Metro: 1 },
		provinces: ['TH-50'],
		names: [
			['เปเปอร์', 'Paper'],
			['กระดาษไทย', 'Thai Paper']
		],
		summary: ['ทำกระดาษสาและบรรจุภัณฑ์กระดาษจากเยื่อรีไซเคิล', 'makes mulberry paper and recycled-pulp packaging'],
		products: [
			p('กระดาษสา', 'Mulberry paper', 'piece', [2000, 20000], [8, 25]),
			p('ถุงกระดาษ', 'Paper bags', 'piece', [10000, 100000], [3, 9]),
			p('กล่องกระดาษ', 'Cardboard boxes', 'piece', [5000, 50000], [8, 25])
		],
		certifications: ['tis', 'mit', 'green-industry', 'otop-star']
	},
	{
		key: 'leather',
		division: '15',
		regions: { Metro: 2, Central: 1 },
		names: [
			['เลเธอร์', 'Leather'],
			['หนังไทย', 'Thai Leather']
		],
		summary: [
			'ตัดเย็บเครื่องหนังแท้ด้วยมือในเวิร์กช็อปขนาดเล็ก',
			'hand-stitches genuine leather goods in its own workshop'
		],
		products: [
			p('กระเป๋าหนัง', 'Leather bag', 'piece', [100, 1000], [1200, 4500]),
			p('กระเป๋าสตางค์หนัง', 'Leather wallet', 'piece', [300, 3000], [350, 900]),
			p('รองเท้าหนัง', 'Leather shoes', 'piece', [200, 2000], [900, 2500])
		],
		certifications: ['mit', 'tis']
	},
	{
		key: 'iot',
		division: '26',
		regions: { Metro: 4, North: 1, Northeast: 1, East: 1 },
		provinces: ['TH-50', 'TH-40', 'TH-20', 'TH-90'],
		names: [
			['เทค', 'Tech'],
			['สมาร์ทฟาร์ม', 'Smart Farm'],
			['อินโนเวชั่น', 'Innovation']
		],
		summary: [
			'พัฒนาเซนเซอร์และซอฟต์แวร์ติดตามฟาร์มและห้องเย็น',
			'builds sensors and software that watch over farms and cold rooms'
		],
		products: [
			p('เซนเซอร์ความชื้นดินไร้สาย', 'Wireless soil moisture sensor', 'piece', [100, 1500], [1200, 3500]),
			p('ชุดติดตามอุณหภูมิห้องเย็น', 'Cold-room temperature monitoring kit', 'set', [30, 300], [5000, 15000]),
			p('แผงวงจรควบคุมฟาร์ม', 'Farm controller circuit board', 'piece', [200, 2000], [600, 1800])
		],
		certifications: ['tis', 'mit']
	},
	{
		key: 'solar',
		division: '27',
		regions: { Metro: 2, Northeast: 2, Central: 1 },
		names: [
			['โซลาร์', 'Solar'],
			['พลังงานสะอาด', 'Clean Energy']
		],
		summary: [
			'ประกอบอุปกรณ์พลังงานแสงอาทิตย์ที่ใช้ในฟาร์มและชุมชน',
			'assembles solar equipment that powers farms and villages'
		],
		products: [
			p('ชุดสูบน้ำพลังงานแสงอาทิตย์', 'Solar water pump kit', 'set', [20, 300], [15000, 45000]),
			p('แผงโซลาร์เซลล์ขนาดเล็ก', 'Small solar panel', 'piece', [100, 1000], [2500, 6000]),
			p('ไฟ LED ปลูกพืช', 'LED grow light', 'piece', [200, 2000], [1200, 3500])
		],
		certifications: ['tis', 'mit']
	},
	{
		key: 'agri-machinery',
		division: '28',
		regions: { Central: 2, Northeast: 2, North: 1 },
		provinces: ['TH-30'],
		names: [
			['แมชชีนเนอรี่', 'Machinery'],
			['เครื่องจักรกลเกษตร', 'Agri Machines']
		],
		summary: [
			'ออกแบบเครื่องจักรขนาดเล็กที่เหมาะกับวิสาหกิจชุมชน',
			'designs small machines sized to community enterprises'
		],
		products: [
			p('เครื่องอบแห้งพลังงานแสงอาทิตย์', 'Solar dryer', 'set', [5, 60], [35000, 120000]),
			p('เครื่องสีข้าวขนาดเล็ก', 'Small rice mill', 'set', [5, 50], [45000, 150000]),
			p('เครื่องคั่วกาแฟขนาดเล็ก', 'Small-batch coffee roaster', 'set', [5, 40], [60000, 180000])
		],
		certifications: ['tis', 'mit']
	}
];

/** First half of a business name by region, Thai and English; fictional place-like words. */
export const NAME_STEMS: Record<DemoRegion, [string, string][]> = {
	North: [
		['ดอยงาม', 'Doi Ngam'],
		['ล้านนา', 'Lanna'],
		['ภูฟ้า', 'Phu Fah'],
		['ม่อนไม้', 'Mon Mai'],
		['หมอกหนาว', 'Mok Nao'],
		['ผาแดง', 'Pha Daeng'],
		['บ้านไร่', 'Ban Rai'],
		['สายหมอก', 'Sai Mok']
	],
	Northeast: [
		['อีสานรุ่ง', 'Isan Rung'],
		['ทุ่งทอง', 'Thung Thong'],
		['ลำน้ำมูล', 'Lam Nam Mun'],
		['ริมโขง', 'Rim Khong'],
		['ภูพาน', 'Phu Phan'],
		['ดอกคูน', 'Dok Khun'],
		['แคนทอง', 'Khaen Thong'],
		['โคกหนองนา', 'Khok Nong Na']
	],
	Central: [
		['เจ้าพระยา', 'Chao Phraya'],
		['ลุ่มน้ำทอง', 'Lum Nam Thong'],
		['ทุ่งรวงทอง', 'Thung Ruang Thong'],
		['สวนริมคลอง', 'Suan Rim Khlong'],
		['ศรีสยาม', 'Si Siam'],
		['ท่าน้ำ', 'Tha Nam'],
		['นาบุญ', 'Na Bun'],
		['บ้านสวน', 'Ban Suan']
	],
	East: [
		['บูรพา', 'Burapha'],
		['ตะวันรุ่ง', 'Tawan Rung'],
		['สวนทอง', 'Suan Thong'],
		['อ่าวคุ้ง', 'Ao Khung'],
		['ชายฝั่ง', 'Chai Fang'],
		['เขาเขียว', 'Khao Khiao'],
		['คลองใส', 'Khlong Sai']
	],
	West: [
		['แควน้อย', 'Khwae Noi'],
		['ตะนาวศรี', 'Tanao Si'],
		['เมืองงาม', 'Mueang Ngam'],
		['สามหมอก', 'Sam Mok'],
		['ไร่ทองตะวัน', 'Rai Thong Tawan'],
		['ผาตั้ง', 'Pha Tang']
	],
	South: [
		['อันดา', 'Anda'],
		['ปักษ์ใต้', 'Pak Tai'],
		['ทะเลใต้', 'Thale Tai'],
		['สวนยางทอง', 'Suan Yang Thong'],
		['นครใต้', 'Nakhon Tai'],
		['หาดทอง', 'Hat Thong'],
		['เกาะแก้ว', 'Ko Kaeo'],
		['ลมทะเล', 'Lom Thale']
	],
	Metro: [
		['สยามเทค', 'Siam Tech'],
		['เมืองใหม่', 'Mueang Mai'],
		['นวสยาม', 'Nava Siam'],
		['รัตนโกสินทร์', 'Rattanakosin'],
		['บางรัก', 'Bang Rak'],
		['ธนบุรี', 'Thonburi'],
		['เจริญกรุง', 'Charoen Krung'],
		['ริมคลอง', 'Rim Khlong']
	]
};

/** How a business is registered: Thai words around the name, English words after it. */
export const LEGAL_FORMS: { before: string; after: string; en: string }[] = [
	{ before: '', after: '', en: '' },
	{ before: 'บริษัท ', after: ' จำกัด', en: ' Co., Ltd.' },
	{ before: 'วิสาหกิจชุมชน', after: '', en: ' Community Enterprise' },
	{ before: 'ห้างหุ้นส่วนจำกัด ', after: '', en: ' Limited Partnership' }
];

/** Something buyers ask for that no demo startup makes (a division with no demo producer). */
export interface UnmadeItem {
	division: string;
	th: string;
	en: string;
	unit: Unit;
	quantity: [number, number];
	price: [number, number];
}

export interface BuyerKind {
	key: string;
	/** The kind of organisation, Thai and English ("โรงแรม", "Hotel"). */
	th: string;
	en: string;
	/** Thai company names put some kinds after the name ("ริมน้ำเทรดดิ้ง"), most before it ("โรงแรมริมน้ำ"). */
	thAfterName?: boolean;
	/** What a demand is for, Thai and English: "สำหรับโรงแรม" / "for a hotel". */
	use: [string, string];
	/** The TSIC divisions it buys from. */
	divisions: string[];
	/** Industrial buyers also ask for things nobody in the demo makes. */
	unmade?: UnmadeItem[];
}

const unmade = (
	division: string,
	th: string,
	en: string,
	unit: Unit,
	quantity: [number, number],
	price: [number, number]
): UnmadeItem => ({ division, th, en, unit, quantity, price });

const EV_PARTS = unmade('29', 'ชิ้นส่วนรถยนต์ไฟฟ้า', 'EV auto parts', 'piece', [2000, 20000], [300, 1500]);
const BRAKE_PADS = unmade('29', 'ผ้าเบรกรถยนต์', 'Car brake pads', 'set', [1000, 10000], [400, 900]);
const ALUMINIUM = unmade('24', 'อะลูมิเนียมแท่ง', 'Aluminium ingots', 'tonne', [20, 200], [75000, 95000]);
const LABELS = unmade('18', 'ฉลากสินค้าพิมพ์สี', 'Printed product labels', 'piece', [50000, 500000], [0.5, 2]);
const E_BIKES = unmade('30', 'จักรยานไฟฟ้า', 'Electric bicycles', 'piece', [50, 500], [15000, 35000]);
const COLD_ROOM = unmade('33', 'ติดตั้งระบบห้องเย็น', 'Cold-room installation', 'set', [1, 6], [150000, 400000]);

const FOOD = ['01', '03', '10', '11'];

/** Consumer-facing buyers (a province has one or two) and industrial ones (a province has one). */
export const CONSUMER_BUYERS: BuyerKind[] = [
	{
		key: 'hotel',
		th: 'โรงแรม',
		en: 'Hotel',
		use: ['โรงแรม', 'a hotel'],
		divisions: [...FOOD, '13', '20', '23', '31']
	},
	{
		key: 'resort',
		th: 'รีสอร์ท',
		en: 'Resort',
		use: ['รีสอร์ท', 'a resort'],
		divisions: [...FOOD, '16', '20', '23', '31', '32']
	},
	{
		key: 'restaurant',
		th: 'ครัว',
		en: 'Kitchen Restaurants',
		use: ['ร้านอาหาร', 'restaurants'],
		divisions: [...FOOD, '23', '25']
	},
	{
		key: 'supermarket',
		th: 'ซูเปอร์มาร์เก็ต',
		en: 'Supermarket',
		use: ['ซูเปอร์มาร์เก็ต', 'a supermarket'],
		divisions: [...FOOD, '17', '20', '21', '22']
	},
	{
		key: 'hospital',
		th: 'โรงพยาบาล',
		en: 'Hospital',
		use: ['โรงพยาบาล', 'a hospital'],
		divisions: ['01', '10', '11', '14', '20', '21', '22']
	},
	{
		key: 'school',
		th: 'โรงเรียน',
		en: 'School',
		use: ['โรงเรียน', 'a school'],
		divisions: ['01', '10', '11', '14', '17', '31']
	},
	{
		key: 'souvenir',
		th: 'ร้านของฝาก',
		en: 'Souvenir Shop',
		use: ['ร้านของฝาก', 'a souvenir shop'],
		divisions: ['10', '13', '14', '15', '16', '20', '23', '32']
	},
	{ key: 'cafe', th: 'คาเฟ่', en: 'Café', use: ['คาเฟ่', 'a café'], divisions: ['10', '11', '23', '17'] },
	{
		key: 'exporter',
		th: 'เทรดดิ้ง',
		en: 'Trading',
		thAfterName: true,
		use: ['ส่งออก', 'export'],
		divisions: [...FOOD, '13', '16', '22', '23', '31']
	}
];

export const INDUSTRIAL_BUYERS: BuyerKind[] = [
	{
		key: 'factory',
		th: 'อุตสาหกรรม',
		en: 'Industries',
		thAfterName: true,
		use: ['โรงงาน', 'a factory'],
		divisions: ['17', '20', '22', '25', '26', '27', '28'],
		unmade: [EV_PARTS, BRAKE_PADS, ALUMINIUM, LABELS]
	},
	{
		key: 'municipality',
		th: 'เทศบาลตำบล',
		en: 'Subdistrict Municipality',
		use: ['งานของเทศบาล', 'municipal use'],
		divisions: ['14', '20', '22', '26', '27', '31'],
		unmade: [E_BIKES, COLD_ROOM]
	},
	{
		key: 'cooperative',
		th: 'สหกรณ์การเกษตร',
		en: 'Agricultural Cooperative',
		use: ['สมาชิกสหกรณ์', 'cooperative members'],
		divisions: ['01', '20', '26', '27', '28'],
		unmade: [COLD_ROOM, LABELS]
	}
];

/** The buyers' own names, fictional. */
export const BUYER_STEMS: [string, string][] = [
	['ริมน้ำ', 'Riverside'],
	['สวนงาม', 'Fair Garden'],
	['ศรีเมือง', 'Si Mueang'],
	['รวมใจ', 'Ruam Jai'],
	['เมืองทอง', 'Mueang Thong'],
	['ชัยมงคล', 'Chai Mongkhon'],
	['ร่มไม้', 'Rom Mai'],
	['บ้านสุข', 'Ban Suk'],
	['ทองพัฒนา', 'Thong Phatthana'],
	['แสงตะวัน', 'Saeng Tawan']
];
