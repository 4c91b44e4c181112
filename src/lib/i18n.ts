// Locale-aware helpers shared by pages.
import { reasonText } from '$lib/notifications';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const regionMessages = {
	North: m.region_North,
	Northeast: m.region_Northeast,
	Central: m.region_Central,
	East: m.region_East,
	West: m.region_West,
	South: m.region_South
} as const;

export function regionName(region: keyof typeof regionMessages): string {
	return regionMessages[region]();
}

const roleMessages = {
	startup: m.role_startup,
	buyer: m.role_buyer,
	officer: m.role_officer,
	admin: m.role_admin
} as const;

export function roleName(role: keyof typeof roleMessages): string {
	return roleMessages[role]();
}

const startupStatusMessages = {
	draft: m.startup_status_draft,
	submitted: m.startup_status_submitted,
	approved: m.startup_status_approved,
	rejected: m.startup_status_rejected,
	suspended: m.startup_status_suspended
} as const;

export function startupStatusName(status: string): string {
	return (startupStatusMessages[status as keyof typeof startupStatusMessages] ?? m.startup_status_draft)();
}

export function rejectReasonName(code: string): string {
	return reasonText(code, getLocale());
}

const unitMessages = {
	kg: m.unit_kg,
	tonne: m.unit_tonne,
	litre: m.unit_litre,
	piece: m.unit_piece,
	box: m.unit_box,
	pack: m.unit_pack,
	set: m.unit_set,
	metre: m.unit_metre,
	square_metre: m.unit_square_metre
} as const;

export function unitName(unit: string): string {
	return (unitMessages[unit as keyof typeof unitMessages] ?? (() => unit))();
}

const offerStatusMessages = {
	pending: m.offer_status_pending,
	accepted: m.offer_status_accepted,
	declined: m.offer_status_declined,
	withdrawn: m.offer_status_withdrawn
} as const;

export function offerStatusName(status: string): string {
	return (offerStatusMessages[status as keyof typeof offerStatusMessages] ?? m.offer_status_pending)();
}

const demandStatusMessages = {
	draft: m.demand_status_draft,
	open: m.demand_status_open,
	closed: m.demand_status_closed,
	fulfilled: m.demand_status_fulfilled,
	expired: m.demand_status_expired,
	hidden: m.demand_status_hidden
} as const;

export function demandStatusName(status: string): string {
	return (demandStatusMessages[status as keyof typeof demandStatusMessages] ?? m.demand_status_open)();
}
