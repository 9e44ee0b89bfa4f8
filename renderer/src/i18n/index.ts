import { en, type Messages } from './en';

export { format } from './en';
/** The active message catalogue. */
export const t: Messages = en;
