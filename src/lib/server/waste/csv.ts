// The waste figures per province as CSV, for the public page's download.
import type { Queryable } from '../db';
import { toCsv } from '../csv';
import { provinceData } from '../reference';
import { wasteFiguresByProvince } from './queries';

export async function wasteFiguresCsv(db: Queryable): Promise<string> {
	const names = new Map(provinceData.map((p) => [p.code, p]));
	const rows = await wasteFiguresByProvince(db);
	return toCsv(
		[
			'province_code',
			'province_th',
			'province_en',
			'diverted_tonnes',
			'value_thb',
			'confirmed_transfers',
			'unclaimed_lots',
			'unclaimed_tonnes_per_month'
		],
		rows.map((row) => [
			row.provinceCode,
			names.get(row.provinceCode)?.name_th,
			names.get(row.provinceCode)?.name_en,
			row.divertedTonnes,
			row.valueThb,
			row.transfers,
			row.unclaimedLots,
			row.unclaimedTonnesPerMonth
		])
	);
}
