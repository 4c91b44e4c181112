// The staff CSV downloads: each file's columns and rows in one place, for one province (its office) or all of
// them (admins). Files are written a page at a time into the response, so memory stays flat however many rows.
// Headers are English snake_case for machines; values are as stored, times in ISO 8601 (UTC).
import type { Queryable } from '../db';
import { CSV_BOM, csvLine, toCsv, type CsvCell } from '../csv';
import { provinceReviews } from '../offices/queries';
import { dealPage, demandPage, startupPage, type PageRequest } from './queries';
import { EXPORT_FILES, OFFICE_EXPORT_FILES, type ExportFile } from '$lib/exports';
import { todayInThailand } from '$lib/schemas/demand';
// The gap file is the public /market CSV, narrowed to the province: one builder, the same figures.
import { gapCsv as gapFile } from '../gap/csv';

const PAGE_SIZE = 1000;

interface Options {
	/** Rows per database round trip. */
	pageSize?: number;
	/** The day the file is named after. */
	now?: Date;
}

/** The CSV text of a file, chunk by chunk: the byte-order mark and header first, then the rows a page at a time. */
type Writer = (db: Queryable, province: string | null, pageSize: number) => AsyncGenerator<string>;

const iso = (date: Date | null) => date?.toISOString();

/** A table read by keyset pages (see queries.ts). */
function paged<T extends { id: string }>(
	header: string[],
	page: (db: Queryable, request: PageRequest) => Promise<T[]>,
	row: (item: T) => CsvCell[]
): Writer {
	return async function* (db, province, pageSize) {
		let head = CSV_BOM + csvLine(header);
		let after: string | null = null;
		for (;;) {
			const items = await page(db, { province, after, limit: pageSize });
			yield head + items.map((item) => csvLine(row(item))).join('');
			if (items.length < pageSize) return;
			head = '';
			after = items[items.length - 1]!.id;
		}
	};
}

const startupsCsv = paged(
	[
		'id',
		'ref',
		'name_th',
		'name_en',
		'status',
		'province_code',
		'tsic_divisions',
		'certifications',
		'products',
		'monthly_capacity',
		'submitted_at',
		'approved_at',
		'contact_email',
		'phone',
		'website'
	],
	startupPage,
	(s) => [
		s.id,
		s.ref,
		s.nameTh,
		s.nameEn,
		s.status,
		s.province,
		s.divisions.join('; '),
		s.certifications.join('; '),
		s.products,
		// Per unit, as the gap CSV writes quantities: "500 kg; 2 tonne".
		s.monthlyCapacity.map((q) => `${q.quantity} ${q.unit}`).join('; '),
		iso(s.submittedAt),
		iso(s.approvedAt),
		s.contactEmail,
		s.phone,
		s.website
	]
);

const demandsCsv = paged(
	[
		'id',
		'ref',
		'buyer_organisation',
		'title_th',
		'title_en',
		'tsic_division',
		'quantity',
		'unit',
		'recurrence',
		'price_thb_max',
		'delivery_province_code',
		'needed_by',
		'status',
		'offers',
		'accepted_quantity',
		'published_at',
		'closed_at'
	],
	demandPage,
	(d) => [
		d.id,
		d.ref,
		d.buyer,
		d.titleTh,
		d.titleEn,
		d.division,
		d.quantity,
		d.unit,
		d.recurrence,
		d.priceThbMax,
		d.deliveryProvince,
		d.neededBy,
		d.status,
		d.offers,
		d.acceptedQuantity,
		iso(d.publishedAt),
		iso(d.closedAt)
	]
);

const dealsCsv = paged(
	[
		'deal_id',
		'created_at',
		'demand_id',
		'demand_title_th',
		'demand_title_en',
		'buyer_organisation',
		'startup_id',
		'startup_name_th',
		'startup_name_en',
		'startup_province_code',
		'delivery_province_code',
		'quantity',
		'unit',
		'value_thb'
	],
	dealPage,
	(d) => [
		d.id,
		iso(d.createdAt),
		d.demandId,
		d.demandTitleTh,
		d.demandTitleEn,
		d.buyer,
		d.startupId,
		d.startupNameTh,
		d.startupNameEn,
		d.startupProvince,
		d.deliveryProvince,
		d.quantity,
		d.unit,
		d.valueThb
	]
);

const gapCsv: Writer = async function* (db, province) {
	yield await gapFile(db, province ? { province } : {});
};

const REVIEW_HEADER = [
	'startup_id',
	'name_th',
	'name_en',
	'decision',
	'reason',
	'market',
	'innovation',
	'readiness',
	'compliance',
	'reviewer',
	'submitted_at',
	'decided_at'
];

// A province's review record is small: read at once, as the office has always had it.
const reviewsCsv: Writer = async function* (db, province) {
	// Offered only for a province (see isExportFile).
	const rows = await provinceReviews(db, province!);
	yield toCsv(
		REVIEW_HEADER,
		rows.map(({ review: r, name, nameEn, reviewer }) => [
			r.startupId,
			name,
			nameEn,
			r.decision,
			r.reason,
			r.marketScore,
			r.innovationScore,
			r.readinessScore,
			r.complianceScore,
			reviewer,
			iso(r.submittedAt),
			iso(r.createdAt)
		])
	);
};

const WRITERS: Record<ExportFile, Writer> = {
	'startups.csv': startupsCsv,
	'demands.csv': demandsCsv,
	'deals.csv': dealsCsv,
	'gap.csv': gapCsv,
	'reviews.csv': reviewsCsv
};

function isExportFile(file: string, province: string | null): file is ExportFile {
	const files: readonly string[] = province ? OFFICE_EXPORT_FILES : EXPORT_FILES;
	return files.includes(file);
}

/**
 * The file as a download, for one province or (null) all of them; null when there is no such file for that
 * scope. The first page is read before answering, so a failing database is an error response rather than a
 * cut-off file; the rest is read as the client takes it.
 */
export async function csvDownload(
	db: Queryable,
	file: string,
	province: string | null,
	{ pageSize = PAGE_SIZE, now = new Date() }: Options = {}
): Promise<Response | null> {
	if (!isExportFile(file, province)) return null;
	const chunks = WRITERS[file](db, province, pageSize);
	let next: IteratorResult<string> | null = await chunks.next();
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const chunk = next ?? (await chunks.next());
			next = null;
			if (chunk.done) controller.close();
			else controller.enqueue(encoder.encode(chunk.value));
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
	const name = `${file.replace(/\.csv$/, '')}-${province ?? 'all'}-${todayInThailand(now)}.csv`;
	return new Response(body, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${name}"`,
			'Cache-Control': 'no-store'
		}
	});
}
