import { z } from 'zod';

// ---------- audit trail ----------
const IsoTime = z.iso.datetime({ offset: true });

/** Filters of the audit list; `before` is the keyset cursor (the `seq` of the last record of the previous page). */
export const AuditListQuery = z
  .object({
    account: z.string().min(1).max(200).optional(),
    actor: z.string().min(1).max(200).optional(),
    type: z.string().min(1).max(60).optional(),
    since: IsoTime.optional(),
    until: IsoTime.optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditActorType = z.enum(['account', 'admin', 'system', 'anonymous']);
export const AuditRecord = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actor: z.string(),
  type: z.string(),
  subject: z.string(),
  outcome: z.string(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;
export const AuditRecordList = z.array(AuditRecord);

export const AuditVerification = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), records: z.number().int(), headSeq: z.number().int() }),
  z.object({
    ok: z.literal(false),
    records: z.number().int(),
    firstBad: z.object({ seq: z.number().int(), id: z.string(), reason: z.string() }),
  }),
]);
export type AuditVerification = z.infer<typeof AuditVerification>;

// ---------- onboarding funnel ----------
export const FunnelQuery = z
  .object({
    since: IsoTime.optional(),
    until: IsoTime.optional(),
    /** How far ahead a deadline counts as close (hours, default 72). */
    withinHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
  })
  .strict();

export const FunnelStageStats = z.object({
  stage: z.string(),
  count: z.number().int(),
  eligible: z.number().int(),
  conversion: z.number().nullable(),
  dropOff: z.number().int(),
  medianSecondsFromPrevious: z.number().nullable(),
  p90SecondsFromPrevious: z.number().nullable(),
});
export const FunnelReport = z.object({
  since: z.string(),
  until: z.string(),
  generatedAt: z.string(),
  total: z.array(FunnelStageStats),
  groups: z.array(
    z.object({ businessOperation: z.string(), countryCode: z.string(), stages: z.array(FunnelStageStats) }),
  ),
  deadlines: z.object({ withinSeconds: z.number(), activation: z.number().int(), seedEmail: z.number().int() }),
});
export type FunnelReport = z.infer<typeof FunnelReport>;
