/** The eligibility answers as a zod schema, for any boundary that receives them (the rules are `eligibility.ts`). */
import { z } from 'zod';
import type { EligibilityAnswers as Answers } from './eligibility';

export const EligibilityAnswers = z
  .object({
    needsSgtsOrGcc: z.boolean(),
    email: z.string().trim().min(1, 'Enter your organisational email address.'),
    hasNonSeGsib: z.boolean(),
    wantsSeed: z.boolean().default(false),
  })
  .strict();

// The schema accepts exactly the answers decideRoute takes, and what it outputs is such answers.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inputMatches: Same<z.input<typeof EligibilityAnswers>, Answers> = true;
const outputFits: z.output<typeof EligibilityAnswers> extends Answers ? true : false = true;
void inputMatches;
void outputFits;
