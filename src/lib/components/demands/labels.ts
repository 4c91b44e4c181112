// The demand form's field labels, for the error summary's links.
import { m } from '$lib/paraglide/messages';

export const demandLabels = () => ({
	titleTh: m.demand_title_th(),
	titleEn: m.demand_title_en(),
	detailsTh: m.demand_details_th(),
	detailsEn: m.demand_details_en(),
	divisionCode: m.demand_division(),
	quantity: m.demand_quantity(),
	unit: m.product_unit(),
	recurrence: m.demand_recurrence(),
	priceThbMax: m.demand_price_ceiling_field(),
	deliveryProvinceCode: m.demand_delivery(),
	neededBy: m.demand_needed_by_label(),
	maxOffers: m.demand_max_offers()
});
