// The one row a statement is known to give: `.returning()` of a single insert, an update by a key just read, a
// lookup by a key a constraint guarantees. Used instead of `rows[0]!`, so a statement that gave nothing fails here,
// with what was expected, rather than later as "cannot read properties of undefined".

/** The first (and expected only) row of `rows`; throws when there is none (`what` names the statement). */
export function one<T>(rows: readonly T[], what = 'statement'): T {
	const [row] = rows;
	if (row === undefined) throw new Error(`Expected one row from the ${what}, got none`);
	return row;
}
