// Every account, searchable; admins suspend (ending all sessions at once) and restore them.
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { listUsers, USERS_PAGE_SIZE } from '$lib/server/accounts/queries';
import { AccountError, setUserStatus } from '$lib/server/accounts/service';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/context';
import { withoutNul } from '$lib/server/text';
import { userFailure, formValues, readForm } from '$lib/server/forms';

const filterSchema = z.object({
	q: z.string().transform(withoutNul).pipe(z.string().trim().max(200)).optional().catch(undefined),
	role: z.enum(['startup', 'buyer', 'officer', 'admin']).optional().catch(undefined),
	status: z.enum(['active', 'suspended']).optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined)
});

export const load: PageServerLoad = async ({ locals, url }) => {
	requireRole(locals, 'admin');
	const filter = filterSchema.parse(Object.fromEntries(url.searchParams));
	return { filter, pageSize: USERS_PAGE_SIZE, ...(await listUsers(db(), filter)) };
};

const userId = z.uuid();

async function changeStatus(
	admin: { id: string; email: string },
	request: Request,
	status: 'active' | 'suspended'
) {
	const values = formValues(await readForm(request), ['userId']);
	try {
		const id = userId.safeParse(values.userId);
		if (!id.success) throw new AccountError('not_found', 'no such account');
		const user = await setUserStatus(db(), { id: admin.id, label: admin.email }, id.data, status);
		return { changed: user.email, status };
	} catch (error) {
		return userFailure(error, values);
	}
}

export const actions: Actions = {
	suspend: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		return changeStatus(admin, request, 'suspended');
	},
	reactivate: async ({ locals, request }) => {
		const admin = requireRole(locals, 'admin');
		return changeStatus(admin, request, 'active');
	}
};
