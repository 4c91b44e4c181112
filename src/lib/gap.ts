// Words shared by the gap figures' server code and pages.

/** Whether the matching engine found a good match for an open demand, none, or has not looked yet. */
export type Coverage = 'covered' | 'unmet' | 'pending';

export const MAP_LAYERS = ['demand', 'capacity', 'gap', 'startups', 'selected'] as const;
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
	demandValue: number;
	demandQuantities: UnitQuantity[];
	/** Demands with at least one good match from the matching engine. */
	coveredDemands: number;
	/** Demands the engine found no good match for. */
	unmetDemands: number;
	unmetValue: number;
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
	pendingDemands: 0,
	capacityValue: 0,
	approvedStartups: 0,
	selected: false
};
