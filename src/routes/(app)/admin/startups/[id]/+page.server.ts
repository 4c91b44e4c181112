// An administrator moves a startup to another province, with a reason on the record.
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { provinceOptions } from '$lib/server/provinces/options';
import { startupById } from '$lib/server/startups/queries';
import { moveStartup } from '$lib/server/startups/service';
import { provinceCodeSchema } from '$lib/schemas/account';

const uuid = z.uuid();

export const load: PageServerLoad = async ({ locals, params }) => {
	requireRole(locals, 'admin');
	const id = uuid.safeParse(params.id);
	if (!id.success) error(404, 'not_found');
	const startup = await startupById(db(), id.data);
	if (!startup) error(404, 'not_found');
	return {
		startup: {
			id: startup.id,
			nameTh: startup.nameTh,
			nameEn: startup.nameEn,
			provinceCode: startup.provinceCode,
			status: startup.status
		},
		provinces: await provinceOptions(db())
	};
};

const moveSchema = z.object({
	provinceCode: provinceCodeSchema,
	reason: z.string().trim().min(1, { error: 'reason_required' }).max(1000, { error: 'too_long' })
});

export const actions: Actions = {
	move: async ({ locals, params, request }) => {
		const admin = requireRole(locals, 'admin');
		const values = formValues(await readForm(request), ['provinceCode', 'reason']);
		const parsed = moveSchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error);
		const id = uuid.safeParse(params.id);
		if (!id.success) error(404, 'not_found');
		try {
			await moveStartup(db(), admin, id.data, parsed.data.provinceCode, parsed.data.reason);
		} catch (caught) {
			return userFailure(caught, values);
		}
		return { moved: true };
	}
};
