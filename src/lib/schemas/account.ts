// Account fields shared by sign-up, the CLI and the API: one definition each.
import { z } from 'zod';

export const emailSchema = z.string().trim().toLowerCase().max(254).email();
export const passwordSchema = z.string().min(10).max(256);
