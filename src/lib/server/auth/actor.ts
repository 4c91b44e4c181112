// Who acts on a record: the one actor type every service takes, so no service defines a copy or imports another's
// for its type. A service names the fields it reads (Pick), and a caller passes the signed-in user, or any row with
// those fields.
import type { users } from '../db/schema';

/** A signed-in user acting: their id, the email the audit log names them by, their role, organisation and province. */
export type Actor = Pick<
	typeof users.$inferSelect,
	'id' | 'email' | 'role' | 'organisationId' | 'provinceCode'
>;

/** An actor as a member of an organisation (startups, buyers, the organisation checks). */
export type Member = Pick<Actor, 'id' | 'email' | 'organisationId'>;
