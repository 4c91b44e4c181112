// Where each role starts after signing in.
export interface RoleHolder {
	role: 'startup' | 'buyer' | 'officer' | 'admin';
	provinceCode: string | null;
}

export function homePathFor(user: RoleHolder): string {
	switch (user.role) {
		case 'startup':
			return '/startup';
		case 'buyer':
			return '/buyer';
		case 'officer':
			return `/office/${user.provinceCode}`;
		case 'admin':
			return '/admin';
	}
}
