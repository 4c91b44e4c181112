// The CSV files staff can download, named for the server that builds them and the pages that link to them.

/** Every office and the admins get these; an office's are limited to its province. */
export const EXPORT_FILES = ['startups.csv', 'demands.csv', 'deals.csv', 'gap.csv'] as const;

/** An office also gets its own review record. */
export const OFFICE_EXPORT_FILES = [...EXPORT_FILES, 'reviews.csv'] as const;

export type ExportFile = (typeof OFFICE_EXPORT_FILES)[number];
