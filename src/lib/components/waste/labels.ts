// The waste forms' field labels, for the error summary's links.
import { m } from '$lib/paraglide/messages';

export const lotLabels = () => ({
	nameTh: m.waste_name_th(),
	nameEn: m.waste_name_en(),
	wasteCode: m.waste_code(),
	quantityPerMonth: m.waste_quantity_per_month(),
	unit: m.product_unit(),
	provinceCode: m.waste_province_lot(),
	handling: m.waste_handling(),
	priceThb: m.waste_price_lot(),
	availableUntil: m.waste_available_until()
});

export const wantLabels = () => ({
	nameTh: m.waste_name_th(),
	nameEn: m.waste_name_en(),
	wasteCodes: m.waste_codes_accepted(),
	quantityPerMonth: m.waste_quantity_per_month(),
	unit: m.product_unit(),
	provinceCode: m.waste_province_want(),
	maxDistanceKm: m.waste_max_distance(),
	priceThb: m.waste_price_want(),
	licenceClass: m.waste_licence_class(),
	licenceNumber: m.waste_licence_number()
});

export const transferLabels = () => ({
	transferredOn: m.waste_transfer_date(),
	quantity: m.waste_quantity_per_month(),
	receiverLicence: m.waste_transfer_licence(),
	valueThb: m.waste_transfer_value()
});
