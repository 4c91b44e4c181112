// Administrators keep the list of Thailand's public holidays that working days skip: add a day the cabinet or the
// Bank of Thailand announces, remove one that is cancelled. Each change is audited.
import type { Actions, PageServerLoad } from './$types';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { addHoliday, listHolidays, removeHoliday } from '$lib/server/holidays/service';
import { holidayDaySchema, holidaySchema } from '$lib/schemas/holiday';
import { todayInThailand } from '$lib/schemas/calendar-date';

export const load: PageServerLoad = async ({ locals }) => {
	requireRole(locals, 'admin');
	return { holidays: await listHolidays(db()), today: todayInThailand() };
};

export const actions: Actions = {
	add: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		const values = formValues(await readForm(request), ['day', 'nameTh', 'nameEn']);
		const parsed = holidaySchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'add');
		try {
			await addHoliday(db(), { id: admin.id, email: admin.email }, parsed.data);
		} catch (error) {
			return userFailure(error, values, 'add');
		}
		return { added: parsed.data.day };
	},
	remove: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		const values = formValues(await readForm(request), ['day']);
		const parsed = holidayDaySchema.safeParse(values);
		if (!parsed.success) return invalid(values, parsed.error, 'remove');
		try {
			await removeHoliday(db(), { id: admin.id, email: admin.email }, parsed.data.day);
		} catch (error) {
			return userFailure(error, values, 'remove');
		}
		return { removed: parsed.data.day };
	}
};
