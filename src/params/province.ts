// A province code as in ISO 3166-2:TH, e.g. TH-50.
import type { ParamMatcher } from '@sveltejs/kit';

export const match: ParamMatcher = (param) => /^TH-\d{2}$/.test(param);
