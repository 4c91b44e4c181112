// Bad input at scale, forms: every form action in src/routes (found the way the authorization matrix finds
// them) gets generated forms — its own fields and unknown ones, each missing, repeated, a file or a malformed
// value — posted as a signed-in user of the role it serves. No call may crash or answer 5xx, a refused form must
// leave every table as it was, and every error code it answers with must have a message (src/lib/form-errors.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasErrorText } from '$lib/form-errors';
import { PRODUCT_FIELDS } from '$lib/server/startups/forms';
import { RUBRIC } from '$lib/schemas/curation';
import { demandSchema } from '$lib/schemas/demand';
import { profileSchema } from '$lib/schemas/startup';
import { materialWantSchema, wasteLotSchema } from '$lib/schemas/waste';
import {
	changedTables,
	FUZZ_SEED,
	malformedFile,
	malformedString,
	routeParams,
	tableFingerprint,
	UNKNOWN_FIELDS
} from '../helpers/malformed';
import { daysFromToday } from '../factories';
import { ROUTE_MODULES, routeEvent, routeFile, settle, signedInLocals } from '../helpers/route-event';
import {
	DEMAND_FORM,
	startWorld,
	WORLD_PASSWORD,
	worldIds,
	type Role,
	type RunningWorld,
	type World
} from '../helpers/world';
import { yearInThailand } from '../helpers/dates';

// Uploads that got through would be written here, never into the working copy's ./data.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-forms-'));

// More in CI than on a developer's machine, within CI's fifteen minutes; FUZZ_RUNS sets either (a deep run:
// FUZZ_RUNS=300). The seed is fixed, so a smaller count tries the first of the same inputs.
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI ? 60 : 25));

type Who = Role | 'visitor';
type Form = Record<string, string | string[]>;
interface ActionSpec {
	as: Who;
	fields: readonly string[];
	/** Fields that carry a file. */
	files?: string[];
	/** A form the action accepts, which the generator spoils a field or three at a time to reach the services. */
	valid?: (w: World) => Form;
	/** The route's params for that form. */
	params?: (w: World) => Record<string, string>;
}

// The forms' field names, from the schemas that read them.
const DEMAND_FIELDS = Object.keys(demandSchema.shape);
const RUBRIC_FIELDS = RUBRIC.flatMap((k) => [`${k}Score`, `${k}Comment`]);
const PROFILE_FIELDS = Object.keys(profileSchema.shape).filter((name) => name !== 'certifications');
const PASSWORD_LINK = ['token', 'password', 'confirmPassword'];
const none: string[] = [];
const NEW_PASSWORD = 'a fresh passphrase for 2026';
const PRODUCT: Form = {
	nameTh: 'ข้าวกล้อง',
	nameEn: 'Brown rice',
	unit: 'kg',
	monthlyCapacity: '1,200',
	priceThbMin: '40',
	priceThbMax: '60'
};
const DEMAND: Form = { ...DEMAND_FORM, certifications: ['gmp'] };
const ownDemand = (w: World) => ({ id: w.ids.demand });
const WASTE_LOT_FIELDS = Object.keys(wasteLotSchema.shape);
const WASTE_LOT: Form = {
	nameTh: 'เปลือกผลไม้',
	nameEn: '',
	wasteCode: '020304',
	quantityPerMonth: '20',
	unit: 'tonne',
	provinceCode: 'TH-70',
	handling: 'landfill',
	priceThb: '-150',
	availableNow: 'yes',
	availableUntil: ''
};
const WASTE_WANT_FIELDS = Object.keys(materialWantSchema.shape);
const WASTE_WANT: Form = {
	nameTh: 'เศษพืชทำปุ๋ยหมัก',
	nameEn: '',
	wasteCodes: ['020301'],
	quantityPerMonth: '30',
	unit: 'tonne',
	provinceCode: 'TH-73',
	maxDistanceKm: '150',
	priceThb: '0',
	licenceClass: '',
	licenceNumber: ''
};

/** Every form action (and the form-posting endpoints), with whom it serves and the fields it reads. */
const ACTIONS: Record<string, Record<string, ActionSpec>> = {
	'(auth)/sign-up/+page.server.ts': {
		default: {
			as: 'visitor',
			fields: ['accountType', 'organisationName', 'provinceCode', 'email', 'password'],
			valid: () => ({
				accountType: 'startup',
				organisationName: 'ฟาร์มใหม่',
				provinceCode: 'TH-50',
				email: 'new-startup@example.org',
				password: NEW_PASSWORD
			})
		}
	},
	'(auth)/sign-in/+page.server.ts': {
		default: {
			as: 'visitor',
			fields: ['email', 'password', 'next'],
			valid: (w) => ({ email: w.users.buyer.email, password: WORLD_PASSWORD, next: '/buyer' })
		}
	},
	'(auth)/sign-out/+page.server.ts': {
		here: { as: 'officer', fields: none },
		everywhere: { as: 'officer', fields: none }
	},
	'(auth)/forgot-password/+page.server.ts': {
		default: { as: 'visitor', fields: ['email'], valid: (w) => ({ email: w.users.buyer.email }) }
	},
	'(auth)/reset-password/+page.server.ts': { default: { as: 'visitor', fields: PASSWORD_LINK } },
	'(auth)/invite/+page.server.ts': {
		password: { as: 'visitor', fields: PASSWORD_LINK },
		identity: { as: 'visitor', fields: ['token', 'provider'] }
	},
	'(auth)/sign-up/identity/+page.server.ts': {
		default: { as: 'visitor', fields: ['accountType', 'organisationName', 'provinceCode', 'email'] }
	},
	'(auth)/verify-email/+page.server.ts': { default: { as: 'visitor', fields: ['token'] } },
	'(app)/account/+page.server.ts': {
		locale: { as: 'buyer', fields: ['locale'], valid: () => ({ locale: 'en' }) },
		password: {
			as: 'buyer',
			fields: ['currentPassword', 'password', 'confirmPassword'],
			valid: () => ({
				currentPassword: WORLD_PASSWORD,
				password: NEW_PASSWORD,
				confirmPassword: NEW_PASSWORD
			})
		},
		email: {
			as: 'buyer',
			fields: ['email', 'currentPassword'],
			valid: () => ({ email: 'new-address@example.org', currentPassword: WORLD_PASSWORD })
		},
		resend: { as: 'buyer', fields: none },
		endSession: { as: 'buyer', fields: ['sessionId'] },
		endOthers: { as: 'buyer', fields: none },
		linkIdentity: { as: 'buyer', fields: ['provider', 'currentPassword'] },
		unlinkIdentity: { as: 'buyer', fields: ['identityId'] },
		lineTopics: { as: 'buyer', fields: ['topic', 'consent'] },
		lineStop: { as: 'buyer', fields: none }
	},
	'(app)/notifications/+page.server.ts': { read: { as: 'startup', fields: none } },
	'(app)/account/searches/+page.server.ts': {
		create: {
			as: 'startup',
			fields: ['source', 'criteria', 'name', 'frequency', 'email', 'line'],
			valid: () => ({
				source: 'demand',
				criteria: JSON.stringify({ q: 'ข้าว', type: 'demand', province: ['TH-50'] }),
				name: 'ข้าวเชียงใหม่',
				frequency: 'daily',
				email: 'on',
				line: ''
			})
		},
		update: { as: 'startup', fields: ['id', 'name', 'frequency', 'email', 'line'] },
		delete: { as: 'startup', fields: ['id'] }
	},
	'(public)/alerts/unsubscribe/[token]/+page.server.ts': {
		default: { as: 'visitor', fields: none, params: () => ({ token: 'forged.token' }) }
	},
	'(app)/startup/+page.server.ts': {
		submit: { as: 'startup', fields: none },
		requestReferral: {
			as: 'startup',
			fields: ['referralId'],
			valid: (w) => ({ referralId: w.ids.referral })
		},
		dismissReferral: { as: 'startup', fields: ['referralId'], valid: (w) => ({ referralId: w.ids.referral }) }
	},
	'(app)/startup/profile/+page.server.ts': {
		save: {
			as: 'startup',
			fields: [
				...PROFILE_FIELDS,
				'provinceCode',
				'cert',
				'certNumber-gmp',
				'certExpires-gmp',
				'certNumber-organic-thailand',
				'certExpires-organic-thailand'
			],
			valid: () => ({
				nameTh: 'ฟาร์มข้าว',
				nameEn: 'Rice farm',
				summaryTh: 'ข้าวหอมมะลิ',
				summaryEn: '',
				contactEmail: 'farm@example.org',
				phone: '081-234-5678',
				website: 'https://example.org',
				divisions: ['01', '10'],
				cert: ['gmp', 'organic-thailand'],
				'certNumber-gmp': 'GMP-1',
				'certExpires-gmp': daysFromToday(365),
				'certNumber-organic-thailand': '',
				'certExpires-organic-thailand': ''
			})
		},
		logo: { as: 'startup', fields: none, files: ['logo'] }
	},
	'(app)/startup/products/+page.server.ts': {
		add: { as: 'startup', fields: PRODUCT_FIELDS, valid: () => PRODUCT },
		remove: { as: 'startup', fields: ['productId'], valid: (w) => ({ productId: w.ids.product }) }
	},
	'(app)/startup/products/[id]/+page.server.ts': {
		save: {
			as: 'startup',
			fields: PRODUCT_FIELDS,
			valid: () => PRODUCT,
			params: (w) => ({ id: w.ids.product })
		},
		photo: { as: 'startup', fields: none, files: ['photo'], params: (w) => ({ id: w.ids.product }) }
	},
	'(public)/demand/[id]/+page.server.ts': {
		offer: {
			as: 'startup',
			fields: ['quantity', 'unitPriceThb', 'leadTimeDays', 'message'],
			valid: () => ({ quantity: '1', unitPriceThb: '40,000', leadTimeDays: '7', message: 'พร้อมส่ง' }),
			params: (w) => ({ id: w.ids.otherDemand })
		},
		withdraw: {
			as: 'startup',
			fields: ['offerId'],
			valid: (w) => ({ offerId: w.ids.offer }),
			params: (w) => ({ id: w.ids.demand })
		},
		message: {
			as: 'startup',
			fields: ['body', 'offerId'],
			valid: (w) => ({ body: 'ส่งได้ภายในสัปดาห์', offerId: w.ids.offer }),
			params: (w) => ({ id: w.ids.demand })
		},
		report: {
			as: 'buyer',
			fields: ['reason'],
			valid: () => ({ reason: 'ข้อมูลซ้ำ' }),
			params: (w) => ({ id: w.ids.otherDemand })
		},
		declineInvitation: { as: 'startup', fields: ['reason'], params: (w) => ({ id: w.ids.demand }) }
	},
	'(app)/buyer/demands/new/+page.server.ts': {
		publish: { as: 'buyer', fields: DEMAND_FIELDS, files: ['attachment'], valid: () => DEMAND },
		draft: { as: 'buyer', fields: DEMAND_FIELDS, files: ['attachment'], valid: () => DEMAND }
	},
	'(app)/buyer/demands/[id]/+page.server.ts': {
		publish: { as: 'buyer', fields: none, params: (w) => ({ id: w.ids.draftDemand }) },
		close: { as: 'buyer', fields: none },
		accept: { as: 'buyer', fields: ['offerId'], valid: (w) => ({ offerId: w.ids.offer }), params: ownDemand },
		decline: {
			as: 'buyer',
			fields: ['offerId', 'reason'],
			valid: (w) => ({ offerId: w.ids.offer, reason: 'ราคาสูง' }),
			params: ownDemand
		},
		message: {
			as: 'buyer',
			fields: ['offerId', 'body'],
			valid: (w) => ({ offerId: w.ids.offer, body: 'ขอบคุณครับ' }),
			params: ownDemand
		},
		report: {
			as: 'buyer',
			fields: ['offerId', 'reason'],
			valid: (w) => ({ offerId: w.ids.offer, reason: 'สแปม' }),
			params: ownDemand
		},
		invite: { as: 'buyer', fields: ['startupId'], params: ownDemand }
	},
	'(app)/buyer/demands/[id]/edit/+page.server.ts': {
		save: {
			as: 'buyer',
			fields: DEMAND_FIELDS,
			files: ['attachment'],
			valid: () => DEMAND,
			params: (w) => ({ id: w.ids.draftDemand })
		}
	},
	'(app)/waste/lots/new/+page.server.ts': {
		submit: { as: 'buyer', fields: WASTE_LOT_FIELDS, valid: () => WASTE_LOT },
		draft: { as: 'buyer', fields: WASTE_LOT_FIELDS, valid: () => WASTE_LOT }
	},
	'(app)/waste/lots/[id]/+page.server.ts': {
		submit: { as: 'buyer', fields: none },
		availability: { as: 'buyer', fields: ['available'] },
		withdraw: { as: 'buyer', fields: none },
		propose: { as: 'startup', fields: ['lotId', 'wantId'] },
		addPhoto: { as: 'buyer', fields: none, files: ['photo'] },
		addDocument: { as: 'buyer', fields: none, files: ['document'] },
		removeFile: { as: 'buyer', fields: ['fileId'] }
	},
	'(app)/waste/lots/[id]/edit/+page.server.ts': {
		default: { as: 'buyer', fields: WASTE_LOT_FIELDS, valid: () => WASTE_LOT }
	},
	'(app)/waste/wants/[id]/edit/+page.server.ts': {
		default: { as: 'startup', fields: WASTE_WANT_FIELDS, valid: () => WASTE_WANT }
	},
	'(app)/waste/wants/new/+page.server.ts': {
		default: { as: 'startup', fields: WASTE_WANT_FIELDS, valid: () => WASTE_WANT }
	},
	'(app)/waste/wants/[id]/+page.server.ts': {
		close: { as: 'startup', fields: none },
		propose: { as: 'startup', fields: ['lotId', 'wantId'] }
	},
	'(app)/waste/agreements/[id]/+page.server.ts': {
		decide: { as: 'buyer', fields: ['decision'] },
		withdraw: { as: 'buyer', fields: none },
		step: { as: 'buyer', fields: ['step', 'status', 'reference'] },
		record: { as: 'buyer', fields: ['transferredOn', 'quantity', 'receiverLicence', 'valueThb'] },
		confirm: { as: 'startup', fields: ['transferId'] }
	},
	'(app)/office/[province=province]/waste/+page.server.ts': {
		default: { as: 'officer', fields: ['lotId', 'decision', 'reason'] }
	},
	'(app)/admin/waste/+page.server.ts': {
		default: { as: 'admin', fields: ['rate'], valid: () => ({ rate: '2.50' }) }
	},
	'(app)/office/[province=province]/+page.server.ts': {
		confirm: {
			as: 'officer',
			fields: ['startupId', 'year', 'reason'],
			valid: (w) => ({ startupId: w.ids.startup, year: String(yearInThailand() + 1), reason: '' })
		},
		select: {
			as: 'officer',
			fields: ['startupId', 'year', 'reason'],
			valid: (w) => ({ startupId: w.ids.startup, year: String(yearInThailand() + 1), reason: '' })
		}
	},
	'(app)/office/[province=province]/settings/+page.server.ts': {
		threshold: { as: 'officer', fields: ['approvalThreshold'], valid: () => ({ approvalThreshold: '14' }) }
	},
	'(app)/startup/certificates/+page.server.ts': {
		evidence: {
			as: 'startup',
			fields: ['certificationId', 'number', 'issuer', 'expiresOn'],
			files: ['evidence'],
			valid: () => ({
				certificationId: 'gmp',
				number: 'GMP-1234',
				issuer: 'สำนักงานคณะกรรมการอาหารและยา',
				expiresOn: daysFromToday(200)
			})
		}
	},
	'(app)/office/[province=province]/certificates/+page.server.ts': {
		decide: {
			as: 'officer',
			fields: ['startupId', 'certificationId', 'decision', 'reason'],
			valid: (w) => ({ startupId: w.ids.startup, certificationId: 'gmp', decision: 'refuse', reason: 'ไม่ชัด' })
		}
	},
	'(app)/office/[province=province]/moderation/+page.server.ts': {
		hide: {
			as: 'officer',
			fields: ['demandId', 'reason'],
			valid: (w) => ({ demandId: w.ids.otherDemand, reason: 'ข้อมูลเท็จ' })
		},
		withdraw: { as: 'officer', fields: ['reportId', 'reason'] },
		dismiss: { as: 'officer', fields: ['reportId', 'note'] }
	},
	'(public)/startups/[slug]/+page.server.ts': {
		report: { as: 'buyer', fields: ['reason'] },
		contact: { as: 'buyer', fields: ['message'] }
	},
	// No valid form for delete: it would delete the world's buyer that later forms act as.
	'(app)/account/privacy/+page.server.ts': {
		consent: { as: 'buyer', fields: ['purpose'], valid: () => ({ purpose: 'marketing' }) },
		withdraw: { as: 'buyer', fields: ['purpose'], valid: () => ({ purpose: 'marketing' }) },
		correction: { as: 'buyer', fields: ['detail'], valid: () => ({ detail: 'ชื่อองค์กรสะกดผิด' }) },
		contact: { as: 'startup', fields: ['visibility'], valid: () => ({ visibility: 'counterparts' }) },
		delete: { as: 'buyer', fields: ['currentPassword', 'confirm'] }
	},
	'(app)/account/privacy/data.json/+server.ts': { POST: { as: 'buyer', fields: none } },
	'(app)/admin/privacy/+page.server.ts': {
		complete: { as: 'admin', fields: ['requestId'] }
	},
	'(app)/office/[province=province]/standing/[id]/+page.server.ts': {
		decide: { as: 'officer', fields: ['decision', 'reason'], params: (w) => ({ id: w.ids.otherStartup }) }
	},
	'(app)/office/[province=province]/verification/[id]/+page.server.ts': {
		decide: {
			as: 'officer',
			fields: ['decision', 'reason'],
			valid: () => ({ decision: 'refuse', reason: 'เอกสารไม่ชัด' }),
			params: (w) => ({ id: w.ids.buyerOrganisation })
		}
	},
	'(app)/organisation/+page.server.ts': {
		upload: { as: 'buyer', fields: none, files: ['document'] },
		remove: { as: 'buyer', fields: ['documentId'] },
		request: {
			as: 'buyer',
			fields: ['registrationNumber', 'provinceCode'],
			valid: () => ({ registrationNumber: '0105555012348', provinceCode: 'TH-50' })
		}
	},
	'(app)/office/[province=province]/review/[id]/+page.server.ts': {
		decide: {
			as: 'officer',
			fields: [...RUBRIC_FIELDS, 'decision', 'reasonCode', 'note', 'thresholdReason'],
			valid: () => ({
				...Object.fromEntries(RUBRIC_FIELDS.map((f) => [f, f.endsWith('Score') ? '4' : ''])),
				decision: 'reject',
				reasonCode: 'other',
				note: 'ขาดเอกสาร'
			}),
			params: (w) => ({ id: w.ids.otherStartup })
		}
	},
	'(app)/admin/api-tokens/+page.server.ts': {
		issue: {
			as: 'admin',
			fields: ['agencyId', 'label', 'expiresOn', 'requestsPerMinute', 'scopes'],
			valid: () => ({
				agencyId: 'ieat',
				label: 'ทีมข้อมูล',
				expiresOn: daysFromToday(365),
				requestsPerMinute: '60',
				scopes: ['read', 'import']
			})
		},
		revoke: { as: 'admin', fields: ['tokenId'], valid: (w) => ({ tokenId: w.ids.apiToken }) }
	},
	'(app)/admin/holidays/+page.server.ts': {
		add: {
			as: 'admin',
			fields: ['day', 'nameTh', 'nameEn'],
			valid: () => ({ day: daysFromToday(100), nameTh: 'วันหยุดพิเศษ', nameEn: 'Special holiday' })
		},
		remove: { as: 'admin', fields: ['day'], valid: () => ({ day: daysFromToday(100) }) }
	},
	'(app)/admin/invite/+page.server.ts': {
		default: {
			as: 'admin',
			fields: ['email', 'provinceCode', 'identityRequired'],
			valid: () => ({ email: 'officer-new@example.org', provinceCode: 'TH-52', identityRequired: 'on' })
		}
	},
	'(app)/admin/users/+page.server.ts': {
		suspend: { as: 'admin', fields: ['userId'], valid: (w) => ({ userId: w.users.otherBuyer.id }) },
		reactivate: { as: 'admin', fields: ['userId'], valid: (w) => ({ userId: w.users.otherBuyer.id }) }
	},
	'(app)/admin/startups/[id]/+page.server.ts': {
		move: {
			as: 'admin',
			fields: ['provinceCode', 'reason'],
			valid: () => ({ provinceCode: 'TH-52', reason: 'ย้ายที่ตั้ง' }),
			params: (w) => ({ id: w.ids.otherStartup })
		}
	},
	'(auth)/sign-in/identity/+server.ts': { POST: { as: 'visitor', fields: ['provider', 'next'] } },
	'locale/+server.ts': {
		POST: {
			as: 'visitor',
			fields: ['locale', 'redirectTo'],
			valid: () => ({ locale: 'en', redirectTo: '/' })
		}
	}
};

let running: RunningWorld;
let database: RunningWorld['database'];
let world: World;
const locals = {} as Record<Who, App.Locals>;

beforeAll(async () => {
	running = await startWorld({ search: false });
	({ database, world } = running);
	for (const who of ['startup', 'buyer', 'officer', 'admin'] as const)
		locals[who] = await signedInLocals(database.db, world.users[who].id);
	locals.visitor = { user: null, session: null };
}, 180_000);

afterAll(async () => {
	await running?.stop();
});

/** A value that could pass validation, so the generated forms also reach the services behind it. */
function plausible(name: string): fc.Arbitrary<string> {
	if (/id$/i.test(name)) return fc.oneof(fc.constantFrom(...worldIds(world)), fc.uuid());
	if (/email/i.test(name))
		return fc.constantFrom('someone@example.org', world.users.otherBuyer.email.toUpperCase(), 'a@b');
	if (/password/i.test(name)) return fc.constantFrom(WORLD_PASSWORD, 'another long passphrase 2026', 'short');
	if (/province/i.test(name)) return fc.constantFrom('TH-50', 'TH-10', 'TH-52', 'TH-99');
	if (name === 'unit') return fc.constantFrom('kg', 'tonne', 'litre', 'piece', 'bushel');
	if (/division/i.test(name)) return fc.constantFrom('01', '10', '99', '00');
	if (/^cert|certifications/.test(name))
		return fc.constantFrom('gmp', 'organic-thailand', 'thai-fda', 'nope');
	if (/expires|neededBy/i.test(name))
		return fc.constantFrom(daysFromToday(200), '2099-02-30', '2020-01-01', '2099-04-31', '2570-01-01');
	if (/Score$/.test(name)) return fc.constantFrom('0', '3', '5', '6');
	if (/quantity|Capacity|price|Price|year|Days|maxOffers|requestsPerMinute/.test(name))
		return fc.constantFrom('5', '2026', '1,000', '0.5', '100000');
	if (name === 'decision') return fc.constantFrom('approve', 'reject');
	if (name === 'reasonCode') return fc.constantFrom('incomplete', 'other', 'nope');
	if (name === 'recurrence') return fc.constantFrom('once', 'monthly');
	if (name === 'accountType') return fc.constantFrom('startup', 'buyer', 'officer', 'admin');
	if (name === 'locale') return fc.constantFrom('th', 'en', 'fr');
	if (name === 'scopes') return fc.constantFrom('read', 'import', 'demands:write', 'admin');
	if (name === 'agencyId') return fc.constantFrom('sme-d-bank', 'ieat', 'nobody');
	if (name === 'token') return fc.stringMatching(/^[a-z2-7]{32}$/);
	if (name === 'next' || name === 'redirectTo')
		return fc.constantFrom('/', '/market', '//evil.example', 'https://evil.example/', '/\\evil.example');
	return fc.constantFrom('ข้าวหอมมะลิ', 'Rice', 'โรงแรม 🍚', 'https://example.org', '081-234-5678');
}

type Entry = [string, string | File];

/** A field: left out, or posted once or more, each time a plausible value, a malformed one or a file. */
function fieldArbitrary(name: string, isFile: boolean): fc.Arbitrary<Entry[]> {
	const value: fc.Arbitrary<string | File> = isFile
		? fc.oneof({ weight: 3, arbitrary: malformedFile }, { weight: 1, arbitrary: malformedString })
		: fc.oneof(
				{ weight: 4, arbitrary: malformedString },
				{ weight: 3, arbitrary: plausible(name) },
				{ weight: 1, arbitrary: malformedFile }
			);
	return fc
		.oneof(
			{ weight: 1, arbitrary: fc.constant([]) },
			{ weight: 5, arbitrary: value.map((v) => [v]) },
			{ weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) }
		)
		.map((values) => values.map((v): Entry => [name, v]));
}

const unknownFields = fc.array(
	fc.tuple(fc.constantFrom(...UNKNOWN_FIELDS), malformedString).map(([n, v]): Entry => [n, v]),
	{ maxLength: 3 }
);

/** What a spoiled field becomes: a malformed value, nothing, a file, or two values. */
const spoiled: fc.Arbitrary<(string | File)[]> = fc.oneof(
	{ weight: 6, arbitrary: malformedString.map((v) => [v]) },
	{ weight: 1, arbitrary: fc.constant<(string | File)[]>([]) },
	{ weight: 1, arbitrary: malformedFile.map((f) => [f]) },
	{ weight: 1, arbitrary: fc.tuple(malformedString, malformedString) }
);

/** A form of generated fields; or, when the action has a valid form, often that form with a few fields spoiled. */
function formArbitrary(spec: ActionSpec): fc.Arbitrary<Entry[]> {
	const fields = [
		...spec.fields.map((name) => fieldArbitrary(name, false)),
		...(spec.files ?? []).map((name) => fieldArbitrary(name, true))
	];
	const generated = fc
		.tuple(fc.tuple(...fields), unknownFields)
		.map(([known, extra]) => [...known.flat(), ...extra]);
	if (!spec.valid) return generated;
	const base = spec.valid(world);
	const names = Object.keys(base);
	const mutated = fc
		.tuple(
			fc.subarray(names, { minLength: 1, maxLength: Math.min(3, names.length) }),
			fc.array(spoiled, { minLength: 3, maxLength: 3 }),
			unknownFields
		)
		.map(([chosen, replacements, extra]) => {
			const entries: Entry[] = [];
			for (const name of names) {
				const index = chosen.indexOf(name);
				const values = index >= 0 ? replacements[index]! : [base[name]!].flat();
				for (const value of values) entries.push([name, value]);
			}
			return [...entries, ...extra];
		});
	return fc.oneof(generated, mutated);
}

/** Generated params; or, when the action has a form that works, often the params that go with it. */
function paramsArbitrary(file: string, spec: ActionSpec): fc.Arbitrary<Record<string, string>> {
	const generated = routeParams(file, { ids: worldIds(world) });
	if (!spec.params) return generated;
	const base = {
		...(file.includes('[province=province]') ? { province: 'TH-50' } : {}),
		...spec.params(world)
	};
	return fc.oneof(fc.constant(base), generated);
}

/** Shortened, printable: enough to recognise a failing input (the seed replays it exactly). */
function describeInput(entries: Entry[], params: Record<string, string>): string {
	const show = (v: string | File) =>
		typeof v === 'string'
			? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v)
			: `File(${v.name}, ${v.size} B)`;
	return `params ${JSON.stringify(params)} form {${entries.map(([n, v]) => `${n.slice(0, 30)}: ${show(v)}`).join(', ')}}`;
}

/** The error without the SQL text (the cause, e.g. PostgreSQL's message, says what went wrong). */
function crashText(error: unknown): string {
	const cause = (error as { cause?: unknown }).cause;
	return cause instanceof Error ? `${(error as Error).name}: ${cause.message}` : String(error);
}

function errorCodesOf(data: unknown): string[] {
	const errors = (data as { errors?: Record<string, string> } | undefined)?.errors ?? {};
	return Object.values(errors);
}

const problems: string[] = [];
let inputs = 0;
let refused = 0;

describe('every form action, fed malformed forms', () => {
	it('lists every form action of every route', async () => {
		const found: string[] = [];
		for (const [file, load] of Object.entries(ROUTE_MODULES)) {
			const module = await load();
			const name = routeFile(file);
			for (const action of Object.keys((module.actions as object | undefined) ?? {}))
				found.push(`${name} ${action}`);
			if ('POST' in module && !name.startsWith('api/')) found.push(`${name} POST`);
		}
		const listed = Object.entries(ACTIONS).flatMap(([file, actions]) =>
			Object.keys(actions).map((a) => `${file} ${a}`)
		);
		expect(found.sort()).toEqual(listed.sort());
	});

	for (const [file, actions] of Object.entries(ACTIONS)) {
		for (const [action, spec] of Object.entries(actions)) {
			it(`${file} ${action}`, async () => {
				const module = ROUTE_MODULES[`/src/routes/${file}`]!;
				const loaded = await module();
				const handler = (
					action === 'POST' ? loaded.POST : (loaded.actions as Record<string, unknown>)[action]
				) as (event: unknown) => unknown;
				let before = await tableFingerprint(database.db);
				await fc.assert(
					fc.asyncProperty(formArbitrary(spec), paramsArbitrary(file, spec), async (entries, params) => {
						inputs++;
						const body = new FormData();
						for (const [name, value] of entries) body.append(name, value);
						const event = routeEvent({ locals: locals[spec.as], method: 'POST', params, body });
						const settled = await settle(() => handler(event));
						const after = await tableFingerprint(database.db);
						const input = describeInput(entries, params);
						if (settled.kind === 'crash') {
							problems.push(`${file} ${action}: threw ${crashText(settled.error)} — ${input}`);
						} else if (settled.status >= 500) {
							problems.push(`${file} ${action}: ${settled.status} — ${input}`);
						} else if (settled.kind === 'failure' || settled.kind === 'http') {
							refused++;
							const changed = changedTables(before, after);
							if (changed.length)
								problems.push(`${file} ${action}: refused but changed ${changed.join(', ')} — ${input}`);
							const unknown = errorCodesOf(settled.kind === 'failure' ? settled.data : {}).filter(
								(code) => !hasErrorText(code)
							);
							if (unknown.length)
								problems.push(`${file} ${action}: codes without a message ${unknown.join(', ')} — ${input}`);
							if (
								settled.kind === 'http' &&
								![401, 403, 404].includes(settled.status) &&
								/^[a-z_]+$/.test(settled.message)
							)
								problems.push(`${file} ${action}: ${settled.status} with a bare code ${settled.message}`);
						}
						before = after;
					}),
					{ seed: FUZZ_SEED, numRuns: RUNS }
				);
				expect(problems.filter((p) => p.startsWith(`${file} ${action}:`))).toEqual([]);
			});
		}
	}

	it('fed at least 10 inputs per action, most of them refused', () => {
		console.log(`fuzz-forms: ${inputs} generated forms, ${refused} refused (seed ${FUZZ_SEED})`);
		if (problems.length) console.log(problems.join('\n'));
		expect(inputs).toBeGreaterThanOrEqual(RUNS * Object.values(ACTIONS).flatMap(Object.keys).length);
		expect(refused).toBeGreaterThan(inputs / 2);
	});
});
