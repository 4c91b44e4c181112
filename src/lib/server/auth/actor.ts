// Who acts on a record: the one shape every service takes for a signed-in member (startups, buyers, and the
// organisation checks), so no service imports another's for its type.

/** A signed-in member: the user's id, the email the audit log names them by, and their organisation, if any. */
export interface Member {
	id: string;
	email: string;
	organisationId: string | null;
}
