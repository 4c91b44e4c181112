// How long the LINE outbox keeps trying a message, in a module of its own (as email/attempts.ts): the metrics count
// the messages given up on without importing the outbox and, through it, the background jobs that report to them.

/** Gives up on a message after this many failed pushes (about 15 hours of trying, as for mail). */
export const MAX_LINE_ATTEMPTS = 12;
