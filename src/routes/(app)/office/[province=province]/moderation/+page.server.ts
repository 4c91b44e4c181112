// The office's moderation queue: reports on demands delivered to its province, on their offers, and on its own
// startups' profiles. The office hides a reported demand, withdraws a reported offer (each with a reason, settling
// the reports on it), decides a reported startup's standing on its own page, or dismisses a baseless report: all on
// the record.
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { openReports } from '$lib/server/demands/queries';
import { dismissReport, hideDemand } from '$lib/server/demands/service';
import { formValues, idOr404, invalid, readForm, userFailure } from '$lib/server/forms';
import { withdrawReportedOffer } from '$lib/server/offers/service';
import { verifiedStartupIds } from '$lib/server/organisations/queries';

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'officer', { province: params.province });
	const reports = await openReports(db(), params.province);
	// The badge of a verified organisation beside a reported startup, read from Postgres as on /search.
	const verified = await verifiedStartupIds(
		db(),
		reports.flatMap((r) => (r.startupId ? [r.startupId] : []))
	);
	return { reports, verifiedStartups: [...verified] };
};

const hideSchema = z.object({
	reason: z.string().trim().min(1, { error: 'reason_required' }).max(1000, { error: 'too_long' })
});
const withdrawSchema = hideSchema;
const dismissSchema = z.object({
	note: z
		.string()
		.trim()
		.max(1000, { error: 'too_long' })
		.transform((value) => value || null)
});

export const actions: Actions = {
	hide: async ({ locals, params, request, url }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), ['demandId', 'reason']);
		const demandId = idOr404(values.demandId);
		const parsed = hideSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, demandId);
		try {
			await hideDemand(db(), officer, demandId, parsed.data.reason, url.origin);
		} catch (caught) {
			return userFailure(caught, values, demandId);
		}
		return { hidden: demandId };
	},
	withdraw: async ({ locals, params, request, url }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), ['reportId', 'reason']);
		const reportId = idOr404(values.reportId);
		const parsed = withdrawSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, `withdraw-${reportId}`);
		try {
			await withdrawReportedOffer(db(), officer, params.province, reportId, parsed.data.reason, url.origin);
		} catch (caught) {
			return userFailure(caught, values, `withdraw-${reportId}`);
		}
		return { withdrawn: reportId };
	},
	dismiss: async ({ locals, params, request }) => {
		const officer = requireRole(locals, 'officer', { province: params.province });
		const values = formValues(await readForm(request), ['reportId', 'note']);
		const reportId = idOr404(values.reportId);
		const parsed = dismissSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, `dismiss-${reportId}`);
		try {
			await dismissReport(db(), officer, params.province, reportId, parsed.data.note);
		} catch (caught) {
			return userFailure(caught, values, `dismiss-${reportId}`);
		}
		return { dismissed: reportId };
	}
};
