// A LIKE / ILIKE pattern that finds `text` anywhere, with its own %, _ and \ taken literally.
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
