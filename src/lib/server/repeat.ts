// Moved to background-jobs.ts. Kept only until alerts/service.ts, email/outbox.ts, line/outbox.ts and
// waste/reminders.ts (other branches' files) import from there at merge time; then this file goes.
export { repeatEvery, type Repeating } from './background-jobs';
