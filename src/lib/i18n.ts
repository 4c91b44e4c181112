// Locale-aware helpers shared by pages.
import { m } from '$lib/paraglide/messages';

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
