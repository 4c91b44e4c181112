// Words shared by the gap figures' server code and pages.

/** Whether the matching engine found a good match for an open demand, none, or has not looked yet. */
export type Coverage = 'covered' | 'unmet' | 'pending';

export const MAP_LAYERS = ['demand', 'capacity', 'gap', 'startups', 'selected', 'byproducts'] as const;
export type MapLayer = (typeof MAP_LAYERS)[number];

export interface UnitQuantity {
	unit: string;
	quantity: number;
}

export interface GapRow {
	/** Null: demand to be delivered anywhere in Thailand. */
	province: string | null;
	division: string;
	openDemands: number;
	/** The value of the demands whose value is stated (price ceiling, else accepted prices for the product). */
	demandValue: number;
	/** Open demands with no price ceiling and no accepted price for their product: "value not stated". */
	unvaluedDemands: number;
	/** As asked: a monthly demand's quantity per month, a one-off's whole quantity. */
	demandQuantities: UnitQuantity[];
	/** Demands that deals and their matches' free capacity supply in full. */
	coveredDemands: number;
	/** Demands with a part that neither deals nor free capacity of their matches supply. */
	unmetDemands: number;
	/** That part, per unit in the demands' terms. */
	unmetQuantities: UnitQuantity[];
	/** Its value, over the unmet demands whose value is stated. */
	unmetValue: number;
	/** Unmet demands whose value is not stated. */
	unvaluedUnmetDemands: number;
	/** Demands not yet looked at by the engine (new or just edited). */
	pendingDemands: number;
	startups: number;
	capacityValue: number;
	capacityQuantities: UnitQuantity[];
}

/** One province's figures for the map and the region pages. */
export interface ProvinceTotals {
	openDemands: number;
	demandValue: number;
	unmetDemands: number;
	unmetValue: number;
	unvaluedUnmetDemands: number;
	unmetQuantities: UnitQuantity[];
	pendingDemands: number;
	capacityValue: number;
	approvedStartups: number;
	selected: boolean;
}

export const EMPTY_TOTALS: Readonly<ProvinceTotals> = {
	openDemands: 0,
	demandValue: 0,
	unmetDemands: 0,
	unmetValue: 0,
	unvaluedUnmetDemands: 0,
	unmetQuantities: [],
	pendingDemands: 0,
	capacityValue: 0,
	approvedStartups: 0,
	selected: false
};

/** The home page's four figures; sums in baht come with how many demands state no value. */
export interface HeadlineFigures {
	openDemands: number;
	demandValue: number;
	unvaluedDemands: number;
	unmetDemands: number;
	unmetValue: number;
	unvaluedUnmetDemands: number;
	startups: number;
	deals: number;
	dealValue: number;
}
