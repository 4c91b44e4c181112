// The one guard: the first line of every load, action and endpoint that is not public calls it. Who the
// user is was decided in the auth hook; what they may do is decided here.
import { error } from '@sveltejs/kit';
import type { SessionUser } from './session';

export type Role = SessionUser['role'];

interface GuardLocals {
	user: SessionUser | null;
}

/** The signed-in user, or 401. */
export function requireUser(locals: GuardLocals): SessionUser {
	if (!locals.user) error(401, 'sign_in_required');
	return locals.user;
}

/**
 * The signed-in user if their role is one of `roles`, or 403. With `province`, an officer must belong to
 * that province; admins act everywhere (and for Bangkok, which has no office).
 */
export function requireRole(
	locals: GuardLocals,
	roles: Role | Role[],
	scope: { province?: string } = {}
): SessionUser {
	const user = requireUser(locals);
	const allowed = Array.isArray(roles) ? roles : [roles];
	if (user.role === 'admin' && allowed.includes('officer')) return user;
	if (!allowed.includes(user.role)) error(403, 'forbidden');
	if (scope.province && user.role === 'officer' && user.provinceCode !== scope.province)
		error(403, 'forbidden');
	return user;
}
