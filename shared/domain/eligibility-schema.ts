/** The eligibility answers as a zod schema, for any boundary that receives them (the rules are `eligibility.ts`). */
import { z } from 'zod';
import type { EligibilityAnswers as Answers } from './eligibility';

export const EligibilityAnswers = z
  .object({
    needsSgtsOrGcc: z.boolean(),
    // A field problem code as the check's message (the one list is field-problems.ts): whoever shows it words it.
    email: z.string().trim().min(1, 'email.required'),
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
