// The province's startups and reviews as CSV for the office's own records.
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { toCsv } from '$lib/server/csv';
import { provinceReviews, provinceStartups } from '$lib/server/offices/queries';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	let csv: string;
	if (params.file === 'startups.csv') {
		const rows = await provinceStartups(db(), params.province);
		csv = toCsv(
			[
				'id',
				'name_th',
				'name_en',
				'status',
				'submitted_at',
				'approved_at',
				'contact_email',
				'phone',
				'website'
			],
			rows.map((s) => [
				s.id,
				s.nameTh,
				s.nameEn,
				s.status,
				s.submittedAt?.toISOString(),
				s.approvedAt?.toISOString(),
				s.contactEmail,
				s.phone,
				s.website
			])
		);
	} else if (params.file === 'reviews.csv') {
		const rows = await provinceReviews(db(), params.province);
		csv = toCsv(
			[
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
			],
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
				r.submittedAt?.toISOString(),
				r.createdAt.toISOString()
			])
		);
	} else error(404, 'not_found');
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${params.province}-${params.file}"`,
			'Cache-Control': 'no-store'
		}
	});
};
