// How long the outbox keeps trying a message, in a module of its own: the metrics count the messages given up on
// without importing the outbox (and through it the background jobs that report to the metrics).

/** Gives up on a message after this many failed sends (about 15 hours of trying); it stays with its last error. */
export const MAX_EMAIL_ATTEMPTS = 12;
