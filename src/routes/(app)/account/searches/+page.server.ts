// The signed-in person's saved searches: saved from /search, /demand and /waste (the create action), renamed, given
// another alert frequency or channels, or deleted. Each action works on the person's own searches only.
import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { criteriaSchema } from '$lib/server/alerts/criteria';
import {
	createSavedSearch,
	deleteSavedSearch,
	listSavedSearches,
	MAX_SAVED_SEARCHES,
	SAVED_SEARCH_SOURCES,
	updateSavedSearch
} from '$lib/server/alerts/service';
import { formError, formValues, invalid, readForm, userFailure } from '$lib/server/forms';
import { isUuid } from '$lib/server/text';
import { lineOffer } from '$lib/server/line/service';
import { savedSearchSettingsSchema } from '$lib/schemas/saved-search';

const FIELDS = ['name', 'frequency', 'email', 'line'] as const;
const sourceSchema = z.enum(SAVED_SEARCH_SOURCES, { message: 'invalid_value' });

/** The words and filters a save form carries as JSON; anything that does not read as criteria is refused. */
function parseCriteria(raw: string) {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return undefined;
	}
	const parsed = criteriaSchema.safeParse(value);
	return parsed.success ? parsed.data : undefined;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals);
	return {
		searches: await listSavedSearches(db(), user.id),
		lineOffer: await lineOffer(db(), user.id),
		limit: MAX_SAVED_SEARCHES,
		created: url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const user = requireUser(locals);
		const form = await readForm(request);
		const values = formValues(form, [...FIELDS, 'source', 'criteria']);
		const settings = savedSearchSettingsSchema.safeParse(values);
		if (!settings.success) return invalid(values, settings.error, 'create');
		const source = sourceSchema.safeParse(values.source);
		const criteria = parseCriteria(values.criteria ?? '');
		if (!source.success || !criteria) return formError(400, 'invalid_value', 'create', values);
		try {
			await createSavedSearch(db(), user.id, source.data, criteria, {
				name: settings.data.name,
				frequency: settings.data.frequency,
				byEmail: settings.data.email,
				byLine: settings.data.line
			});
		} catch (error) {
			return userFailure(error, values, 'create');
		}
		redirect(303, '/account/searches?saved=1');
	},
	update: async ({ locals, request }) => {
		const user = requireUser(locals);
		const form = await readForm(request);
		const values = formValues(form, [...FIELDS, 'id']);
		const id = values.id ?? '';
		const formName = `update-${isUuid(id) ? id : ''}`;
		if (!isUuid(id)) return formError(404, 'not_found', formName, values);
		const settings = savedSearchSettingsSchema.safeParse(values);
		if (!settings.success) return invalid(values, settings.error, formName);
		try {
			await updateSavedSearch(db(), user.id, id, {
				name: settings.data.name,
				frequency: settings.data.frequency,
				byEmail: settings.data.email,
				byLine: settings.data.line
			});
		} catch (error) {
			return userFailure(error, values, formName);
		}
		return { saved: id };
	},
	delete: async ({ locals, request }) => {
		const user = requireUser(locals);
		const values = formValues(await readForm(request), ['id']);
		const id = values.id ?? '';
		if (!isUuid(id)) return formError(404, 'not_found', 'delete', values);
		try {
			await deleteSavedSearch(db(), user.id, id);
		} catch (error) {
			return userFailure(error, values, 'delete');
		}
		return { deleted: true };
	}
};
