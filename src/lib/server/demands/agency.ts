// Demand a partner agency posts through the API for a buyer organisation it manages. A record is keyed by its
// `ref` like an imported one: posting it again updates it, or changes nothing when it is the same. An agency can
// touch only the demand of organisations it manages, and no demand once a startup has offered on it.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { demandCertifications, demands, offers, organisations } from '../db/schema';
import { recordAudit } from '../audit/record';
import {
	buyersFor,
	checkDocument,
	demandColumns,
	ImportRejected,
	lockRefs,
	type ImportOutcome
} from '../exchange/service';
import { UserError } from '../errors';
import { enqueueSearchSync } from '../search/outbox';
import type { ExchangeDemand } from '$lib/schemas/exchange';
import { todayInThailand } from '$lib/schemas/demand';
import { one } from '../db/rows';

export interface AgencyActor {
	agencyId: string;
	/** Who acted, as the audit records it: the agency and the token's prefix. */
	label: string;
}

/** Creates or updates one demand record; throws ImportRejected (with paths) or UserError (409) when it can't. */
export async function upsertAgencyDemand(
	db: Db,
	actor: AgencyActor,
	record: ExchangeDemand,
	now = new Date()
): Promise<{ outcome: ImportOutcome; id: string }> {
	const { problems } = await checkDocument(db, {
		format: 'provincial-matchmaking/v1',
		demands: [record]
	});
	if (problems.length)
		throw new ImportRejected(problems.map((p) => ({ ...p, path: p.path.replace(/^\$\.demands\[0\]/, '$') })));
	if (record.needed_by <= todayInThailand(now))
		throw new ImportRejected([{ path: '$.needed_by', message: 'must be a date after today' }]);
	const required = [...new Set(record.required_certifications)].sort();
	return db.transaction(async (tx) => {
		await lockRefs(tx);
		const [existing] = await tx
			.select({ demand: demands, agencyId: organisations.agencyId })
			.from(demands)
			.innerJoin(organisations, eq(organisations.id, demands.buyerOrganisationId))
			.where(eq(demands.ref, record.ref))
			.for('update', { of: demands });
		if (existing && existing.agencyId !== actor.agencyId)
			throw new UserError('ref_taken', 'the ref belongs to demand another agency or buyer posted', {
				field: 'ref',
				status: 409
			});
		const buyerOrganisationId = (await buyersFor(tx, actor.agencyId, [record.buyer_name])).get(
			record.buyer_name
		)!;
		const fields = demandColumns(record, buyerOrganisationId);
		const audit = (action: string, id: string, before: unknown) =>
			recordAudit(tx, {
				actorLabel: actor.label,
				action,
				subjectType: 'demand',
				subjectId: id,
				provinceCode: fields.deliveryProvinceCode,
				before,
				after: { ref: record.ref, status: 'open' }
			});
		if (!existing) {
			const created = one(
				await tx
					.insert(demands)
					.values({ ...fields, ref: record.ref, status: 'open', publishedAt: now })
					.returning({ id: demands.id }),
				'insert into demands'
			);
			if (required.length)
				await tx
					.insert(demandCertifications)
					.values(required.map((certificationId) => ({ demandId: created.id, certificationId })));
			await audit('demand.api_create', created.id, null);
			await enqueueSearchSync(tx, 'demand', [created.id]);
			return { outcome: 'created', id: created.id };
		}
		const demand = existing.demand;
		const held = (
			await tx
				.select({ id: demandCertifications.certificationId })
				.from(demandCertifications)
				.where(eq(demandCertifications.demandId, demand.id))
		)
			.map((r) => r.id)
			.sort();
		const same =
			Object.entries(fields).every(([key, value]) => demand[key as keyof typeof demand] === value) &&
			JSON.stringify(held) === JSON.stringify(required);
		if (same) return { outcome: 'unchanged', id: demand.id };
		if (demand.status !== 'open')
			throw new UserError('demand_ended', 'the demand is no longer open', { field: 'ref', status: 409 });
		const [offered] = await tx
			.select({ id: offers.id })
			.from(offers)
			.where(and(eq(offers.demandId, demand.id), inArray(offers.status, ['pending', 'accepted'])))
			.limit(1);
		if (offered)
			throw new UserError('demand_has_offers', 'startups have offered on it; close it and post anew', {
				field: 'ref',
				status: 409
			});
		await tx.update(demands).set(fields).where(eq(demands.id, demand.id));
		await tx.delete(demandCertifications).where(eq(demandCertifications.demandId, demand.id));
		if (required.length)
			await tx
				.insert(demandCertifications)
				.values(required.map((certificationId) => ({ demandId: demand.id, certificationId })));
		await audit('demand.api_update', demand.id, { ref: record.ref, status: demand.status });
		await enqueueSearchSync(tx, 'demand', [demand.id]);
		return { outcome: 'updated', id: demand.id };
	});
}
