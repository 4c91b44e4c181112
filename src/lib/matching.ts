// Shapes of matching results as pages receive them (shared by the server that builds them and the components that
// show them).

/** A startup as a match list names it: its page, its names and its province in both languages. */
export interface NamedStartup {
	slug: string;
	nameTh: string | null;
	nameEn: string | null;
	provinceTh: string;
	provinceEn: string;
}

/** Startups whose free capacity together covers a demand no single one covers, and what remains. */
export interface ProposedGroup {
	unit: string;
	recurrence: 'once' | 'monthly';
	/** The quantity still to be supplied (the demand less its deals), in the demand's terms. */
	needed: number;
	members: (NamedStartup & {
		id: string;
		distanceKm: number | null;
		score: number;
		/** In the demand's terms: per month for a monthly demand, the whole quantity by needed-by for a one-off. */
		covers: number;
	})[];
	uncovered: number;
}
