// Builds the demo data set from the tables in data.ts. Pure and deterministic: a seeded generator (one stream per
// province and purpose, so a change to one province leaves the others alone) and dates derived from the `now` it
// is given, anchored to the month, so loading again within a month produces exactly the same records.
import { provinceData } from '../reference';
import { todayInThailand } from '$lib/schemas/demand';
import type { ExchangeDemand, ExchangeStartup } from '$lib/schemas/exchange';
import type { Unit } from '$lib/schemas/units';
import {
	BUYER_STEMS,
	CONSUMER_BUYERS,
	DEMO_MARK_EN,
	DEMO_MARK_TH,
	DEMO_NOTE_EN,
	DEMO_NOTE_TH,
	DEMO_REF_PREFIX,
	INDUSTRIAL_BUYERS,
	LEGAL_FORMS,
	METRO_PROVINCES,
	NAME_STEMS,
	SECTORS,
	UNHELD_CERTIFICATIONS,
	type BuyerKind,
	type DemoRegion,
	type ProductKind
} from './data';

/**
 * Why a demand is there: `matchable` has a demo startup that can serve it; `uncertified` requires a certification
 * no demo startup holds and `unmade` asks for something none makes, so both stay unmet whatever the scores;
 * `oversized` wants far more than anyone produces at a price below everyone's, so it usually stays unmet.
 */
export type DemandIntent = 'matchable' | 'uncertified' | 'unmade' | 'oversized';

export interface DemoOpenDemand {
	record: ExchangeDemand;
	intent: DemandIntent;
	/** How many days before `now` it was posted (up to four months), so the monthly trend is not one spike. */
	postedDaysAgo: number;
}

export interface DemoPastDemand {
	record: ExchangeDemand;
	status: 'fulfilled' | 'closed' | 'expired';
	publishedAt: Date;
	closedAt: Date;
	/** The accepted offer that fulfilled it. */
	deal: { startupRef: string; unitPriceThb: number; leadTimeDays: number; offeredAt: Date } | null;
}

export interface DemoSelection {
	province: string;
	startupRef: string;
}

export interface DemoData {
	/** The selection year (the Thai calendar year of `now`, in the Gregorian count the portal stores). */
	year: number;
	startups: ExchangeStartup[];
	openDemands: DemoOpenDemand[];
	pastDemands: DemoPastDemand[];
	selections: DemoSelection[];
}

export const DEMO_SEED = 2569;

// ---------- randomness ----------

/** FNV-1a, to turn a stream name into a seed. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** mulberry32 with helpers; never Math.random, so the data set is the same on every machine. */
export class Draw {
	private state: number;

	constructor(seed: number, stream: string) {
		this.state = hash(`${seed}:${stream}`);
	}

	float(): number {
		this.state = (this.state + 0x6d2b79f5) | 0;
		let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.float() * (max - min + 1));
	}

	between([min, max]: readonly [number, number]): number {
		return min + this.float() * (max - min);
	}

	chance(p: number): boolean {
		return this.float() < p;
	}

	pick<T>(list: readonly T[]): T {
		if (list.length === 0) throw new Error('pick from an empty list');
		return list[Math.floor(this.float() * list.length)]!;
	}

	weighted<T>(list: readonly T[], weight: (item: T) => number): T {
		const weights = list.map(weight);
		const total = weights.reduce((a, b) => a + b, 0);
		if (total <= 0) return this.pick(list);
		let r = this.float() * total;
		for (const [i, w] of weights.entries()) {
			r -= w;
			if (r < 0) return list[i]!;
		}
		return list[list.length - 1]!;
	}

	/** `n` distinct items in random order. */
	sample<T>(list: readonly T[], n: number): T[] {
		const copy = [...list];
		for (let i = copy.length - 1; i > 0; i--) {
			const j = Math.floor(this.float() * (i + 1));
			[copy[i], copy[j]] = [copy[j]!, copy[i]!];
		}
		return copy.slice(0, n);
	}
}

// ---------- numbers and dates people would write ----------

/** Two significant figures (3,456 → 3,500), halves below ten: figures a person would write. */
export function nice(x: number, round: (n: number) => number = Math.round): number {
	if (x < 10) return Math.max(0.5, round(x * 2) / 2);
	const step = 10 ** (Math.floor(Math.log10(x)) - 1);
	return round(x / step) * step;
}

const niceUp = (x: number) => nice(x, Math.ceil);
const count = (x: number) => Math.max(1, Math.round(nice(x)));

const DAY = 86_400_000;
const HOUR = 3_600_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---------- the generator ----------

interface Province {
	code: string;
	nameTh: string;
	nameEn: string;
	region: DemoRegion;
}

interface Made {
	record: ExchangeStartup;
	province: Province;
	kinds: ProductKind[];
}

const provinces: Province[] = provinceData.map((p) => ({
	code: p.code,
	nameTh: p.name_th,
	nameEn: p.name_en,
	region: (METRO_PROVINCES as readonly string[]).includes(p.code) ? 'Metro' : p.region
}));

const regionOf = (province: Province) => (province.region === 'Metro' ? 'Central' : province.region);
const refCode = (code: string) => code.toLowerCase();

function makeStartups(seed: number): Made[] {
	const made: Made[] = [];
	const names = new Set<string>();
	for (const province of provinces) {
		const draw = new Draw(seed, `startups:${province.code}`);
		// Bangkok has the most producers; elsewhere two to six.
		const howMany = province.code === 'TH-10' ? 6 : draw.int(2, 6);
		const used = new Map<string, number>();
		for (let i = 1; i <= howMany; i++) {
			const sector = draw.weighted(SECTORS, (s) => {
				const base = (s.regions[province.region] ?? 0) + (s.provinces?.includes(province.code) ? 6 : 0);
				// A second producer of the same kind in one province is possible, just less likely.
				return base / (1 + 3 * (used.get(s.key) ?? 0));
			});
			used.set(sector.key, (used.get(sector.key) ?? 0) + 1);
			const form = draw.weighted(LEGAL_FORMS, (f) => (f.before === '' ? 5 : f.en.includes('Co.') ? 3 : 1));
			let nameTh = '';
			let nameEn = '';
			for (let attempt = 0; attempt < 12; attempt++) {
				const [stemTh, stemEn] = draw.pick(NAME_STEMS[province.region]);
				const [partTh, partEn] = draw.pick(sector.names);
				nameTh = `${form.before}${stemTh}${partTh}${form.after}`;
				nameEn = `${stemEn} ${partEn}${form.en}`;
				if (!names.has(nameEn)) break;
				// Still taken after many tries: the province's name tells them apart.
				if (attempt === 11) {
					nameTh = `${form.before}${stemTh}${partTh} ${province.nameTh}${form.after}`;
					nameEn = `${stemEn} ${partEn} ${province.nameEn}${form.en}`;
				}
			}
			names.add(nameEn);
			const kinds = draw.sample(sector.products, draw.int(1, Math.min(3, sector.products.length)));
			const certifications = draw
				.sample(sector.certifications, draw.int(1, Math.min(3, sector.certifications.length)))
				.sort();
			const ref = `${DEMO_REF_PREFIX}s-${refCode(province.code)}-${i}`;
			made.push({
				province,
				kinds,
				record: {
					ref,
					province: province.code,
					name_th: `${DEMO_MARK_TH}${nameTh}`,
					name_en: `${DEMO_MARK_EN}${nameEn}`,
					summary_th: `ผู้ผลิตใน${province.nameTh}ที่${sector.summary[0]} ${DEMO_NOTE_TH}`,
					summary_en: `Based in ${province.nameEn}: ${sector.summary[1]}. ${DEMO_NOTE_EN}`,
					tsic: [sector.division],
					certifications,
					products: kinds.map((kind) => {
						const min = nice(draw.between([kind.price[0], (kind.price[0] + kind.price[1]) / 2]));
						return {
							name_th: kind.th,
							name_en: kind.en,
							unit: kind.unit,
							monthly_capacity: count(draw.between(kind.capacity)),
							price_thb_min: min,
							price_thb_max: Math.max(min, nice(min * draw.between([1.1, 1.5])))
						};
					}),
					contact_email: `${ref.slice(DEMO_REF_PREFIX.length)}@demo.example.org`
				}
			});
		}
	}
	return made;
}

interface Buyer {
	name: string;
	kind: BuyerKind;
}

function makeBuyers(draw: Draw, province: Province): { consumers: Buyer[]; industrial: Buyer } {
	const stems = draw.sample(BUYER_STEMS, 3);
	const name = (kind: BuyerKind, [stemTh, stemEn]: [string, string]) =>
		`${DEMO_MARK_TH}${kind.thAfterName ? `${stemTh}${kind.th}` : `${kind.th}${stemTh}`} ${province.nameTh} / ` +
		`${DEMO_MARK_EN}${stemEn} ${kind.en}, ${province.nameEn}`;
	const consumerKinds = draw.sample(CONSUMER_BUYERS, draw.int(1, 2));
	const industrialKind = draw.pick(INDUSTRIAL_BUYERS);
	return {
		consumers: consumerKinds.map((kind, i) => ({ kind, name: name(kind, stems[i]!) })),
		industrial: { kind: industrialKind, name: name(industrialKind, stems[2]!) }
	};
}

interface DemandBasis {
	buyer: Buyer;
	delivery: Province | null;
	titleTh: string;
	titleEn: string;
	division: string;
	quantity: number;
	unit: Unit;
	recurrence: 'once' | 'monthly';
	priceThbMax: number | undefined;
	neededBy: string;
	required: string[];
}

function record(ref: string, basis: DemandBasis): ExchangeDemand {
	const where = basis.delivery;
	const placeTh = !where
		? 'ที่ใดก็ได้ในประเทศไทย'
		: where.code === 'TH-10'
			? where.nameTh
			: `จังหวัด${where.nameTh}`;
	return {
		ref,
		buyer_name: basis.buyer.name,
		title_th: basis.titleTh,
		title_en: basis.titleEn,
		details_th: `ส่งถึง${placeTh} ${DEMO_NOTE_TH}`,
		details_en: `Delivery ${where ? `to ${where.nameEn}` : 'anywhere in Thailand'}. ${DEMO_NOTE_EN}`,
		tsic: basis.division,
		quantity: basis.quantity,
		unit: basis.unit,
		recurrence: basis.recurrence,
		...(basis.priceThbMax === undefined ? {} : { price_thb_max: basis.priceThbMax }),
		delivery_province: where?.code ?? null,
		needed_by: basis.neededBy,
		required_certifications: basis.required
	};
}

function titles(th: string, en: string, recurrence: 'once' | 'monthly', buyer: Buyer) {
	const monthly = recurrence === 'monthly';
	return {
		titleTh: `${th} สำหรับ${buyer.kind.use[0]}${monthly ? ' ส่งทุกเดือน' : ''}`,
		titleEn: `${en} for ${buyer.kind.use[1]}${monthly ? ', every month' : ''}`
	};
}

/** The startups a buyer could source from, nearest first: the province, then its region, then anywhere. */
function sellerPool(draw: Draw, made: Made[], buyer: Buyer, province: Province): Made[] {
	const buys = made.filter((m) => buyer.kind.divisions.includes(m.record.tsic[0]!));
	const local = buys.filter((m) => m.province.code === province.code);
	const regional = buys.filter((m) => regionOf(m.province) === regionOf(province));
	const r = draw.float();
	if (r < 0.5 && local.length) return local;
	if (r < 0.8 && regional.length) return regional;
	return buys.length ? buys : made;
}

/** A demand some demo startup can meet: its product and unit, within its monthly capacity and price. */
function servable(draw: Draw, seller: Made, buyer: Buyer, delivery: Province | null, neededBy: string) {
	const index = draw.int(0, seller.kinds.length - 1);
	const kind = seller.kinds[index]!;
	const product = seller.record.products[index]!;
	const recurrence = draw.chance(0.55) ? 'monthly' : 'once';
	let quantity = count(product.monthly_capacity * draw.between([0.1, 0.7]));
	let unit: Unit = product.unit;
	let perUnit = 1;
	// Large weights are often ordered in tonnes: the portal converts kg and tonnes when matching.
	if (unit === 'kg' && quantity >= 5000 && draw.chance(0.3)) {
		quantity = Math.max(1, Math.floor(quantity / 1000));
		unit = 'tonne';
		perUnit = 1000;
	}
	const withCeiling = draw.chance(0.8);
	const ceiling = niceUp(product.price_thb_max! * perUnit * draw.between([1, 1.35]));
	const required =
		draw.chance(0.35) && seller.record.certifications.length ? [draw.pick(seller.record.certifications)] : [];
	const basis: DemandBasis = {
		buyer,
		delivery,
		...titles(kind.th, kind.en, recurrence, buyer),
		division: seller.record.tsic[0]!,
		quantity,
		unit,
		recurrence,
		priceThbMax: withCeiling ? ceiling : undefined,
		neededBy,
		required
	};
	const unitPrice = nice(draw.between([product.price_thb_min!, product.price_thb_max!]) * perUnit);
	return { basis, kind, unitPrice: Math.min(unitPrice, ceiling) };
}

export function generateDemo(options: { now: Date; seed?: number }): DemoData {
	const seed = options.seed ?? DEMO_SEED;
	const nowMs = options.now.getTime();
	const today = todayInThailand(options.now);
	const [year, month] = today.split('-').map(Number) as [number, number];
	// Needed-by dates sit one to six months past the start of this month: always ahead of today.
	const ahead = (draw: Draw) => isoDate(Date.UTC(year, month - 1 + draw.int(1, 6), draw.int(1, 28)));

	const made = makeStartups(seed);
	const byProvince = new Map<string, Made[]>();
	for (const m of made) byProvince.set(m.province.code, [...(byProvince.get(m.province.code) ?? []), m]);
	const productsNamed = (name: string) =>
		made.flatMap((m) => m.record.products.filter((product) => product.name_en === name));

	const openDemands: DemoOpenDemand[] = [];
	const pastDemands: DemoPastDemand[] = [];
	for (const province of provinces) {
		const draw = new Draw(seed, `demands:${province.code}`);
		const { consumers, industrial } = makeBuyers(draw, province);
		const buyers = [...consumers, industrial];
		const howMany = draw.int(3, 10);
		for (let j = 1; j <= howMany; j++) {
			// The first demand of each province is one its own office can see met, delivered there.
			const intent: DemandIntent =
				j === 1
					? 'matchable'
					: draw.weighted(['matchable', 'uncertified', 'unmade', 'oversized'] as const, (i) =>
							i === 'matchable' ? 60 : i === 'uncertified' ? 15 : i === 'unmade' ? 13 : 12
						);
			const delivery = j > 1 && draw.chance(0.12) ? null : province;
			const neededBy = ahead(draw);
			const ref = `${DEMO_REF_PREFIX}d-${refCode(province.code)}-${j}`;
			let basis: DemandBasis;
			if (intent === 'unmade') {
				const item = draw.pick(industrial.kind.unmade!);
				const recurrence = draw.chance(0.4) ? 'monthly' : 'once';
				basis = {
					buyer: industrial,
					delivery,
					...titles(item.th, item.en, recurrence, industrial),
					division: item.division,
					quantity: count(draw.between(item.quantity)),
					unit: item.unit,
					recurrence,
					priceThbMax: niceUp(draw.between(item.price)),
					neededBy,
					required: []
				};
			} else {
				const buyer = draw.pick(buyers);
				const seller = draw.pick(sellerPool(draw, made, buyer, province));
				const served = servable(draw, seller, buyer, delivery, neededBy);
				basis = served.basis;
				if (intent === 'uncertified') {
					basis.required = [...new Set([...basis.required, draw.pick(UNHELD_CERTIFICATIONS)])].sort();
				} else if (intent === 'oversized') {
					// Far more each month than the largest producer of it makes, at a price under the cheapest one.
					const same = productsNamed(served.kind.en);
					const largest = Math.max(...same.map((product) => product.monthly_capacity));
					const cheapest = Math.min(...same.map((product) => product.price_thb_min!));
					Object.assign(basis, titles(served.kind.th, served.kind.en, 'monthly', buyer), {
						unit: served.kind.unit,
						quantity: count(largest * draw.between([20, 60])),
						recurrence: 'monthly',
						priceThbMax: nice(cheapest * draw.between([0.4, 0.6]))
					});
				}
			}
			openDemands.push({ record: record(ref, basis), intent, postedDaysAgo: draw.int(0, 120) });
		}

		// Earlier demand, spread over the last eleven months (more of it recently: the portal is catching on).
		const earlier = draw.int(3, 6);
		for (let j = 1; j <= earlier; j++) {
			const monthsAgo = draw.weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], (k) => 14 - k);
			const publishedMs = Date.UTC(
				year,
				month - 1 - monthsAgo,
				draw.int(1, 28),
				draw.int(2, 9),
				draw.int(0, 59)
			);
			const neededBy = isoDate(publishedMs + draw.int(15, 45) * DAY);
			const buyer = draw.pick([...consumers, industrial]);
			const seller = draw.pick(sellerPool(draw, made, buyer, province));
			const delivery = draw.chance(0.1) ? null : province;
			const { basis, unitPrice } = servable(draw, seller, buyer, delivery, neededBy);
			let status = draw.weighted(['fulfilled', 'closed', 'expired'] as const, (s) =>
				s === 'fulfilled' ? 45 : s === 'closed' ? 35 : 20
			);
			// Only a demand whose date has passed can have expired.
			if (status === 'expired' && neededBy >= today) status = 'closed';
			const latest = nowMs - HOUR;
			let closedMs: number;
			let deal: DemoPastDemand['deal'] = null;
			if (status === 'fulfilled') {
				closedMs = Math.min(publishedMs + draw.int(3, 24) * DAY + draw.int(0, 8) * HOUR, latest);
				const offeredMs = Math.min(publishedMs + draw.int(1, 3) * DAY, closedMs - HOUR);
				deal = {
					startupRef: seller.record.ref,
					unitPriceThb: unitPrice,
					leadTimeDays: draw.int(3, 30),
					offeredAt: new Date(offeredMs)
				};
			} else if (status === 'closed') {
				closedMs = Math.min(publishedMs + draw.int(5, 30) * DAY, latest);
			} else {
				// The schedule's first run of the needed-by day, just after midnight in Bangkok (UTC+7).
				const [y, m, d] = neededBy.split('-').map(Number) as [number, number, number];
				closedMs = Date.UTC(y, m - 1, d, 0, 15) - 7 * HOUR;
			}
			pastDemands.push({
				record: record(`${DEMO_REF_PREFIX}p-${refCode(province.code)}-${j}`, basis),
				status,
				publishedAt: new Date(publishedMs),
				closedAt: new Date(closedMs),
				deal
			});
		}
	}

	// About two thirds of the provinces have chosen this year's startup.
	const draw = new Draw(seed, 'selections');
	const chosen = new Set(draw.sample(provinces, Math.round((provinces.length * 2) / 3)).map((p) => p.code));
	const selections = provinces
		.filter((p) => chosen.has(p.code))
		.map((p) => ({ province: p.code, startupRef: draw.pick(byProvince.get(p.code)!).record.ref }));

	return { year, startups: made.map((m) => m.record), openDemands, pastDemands, selections };
}
