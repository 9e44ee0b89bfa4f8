import { z } from 'zod';

/**
 * domain.md §6.4: the supported-OS baseline for SEED, as versioned data (it changes monthly, so it is never code).
 * The backend serves this document at GET /v1/seed/os-baseline (response = `SeedOsBaseline`); the desktop host
 * validates what it receives with the same schema and falls back to `BUNDLED_SEED_OS_BASELINE` when the backend is
 * unreachable or sends something invalid.
 */

/** "26.1", "15.7.2", "14.8.2" */
const DottedVersion = z.string().regex(/^\d+(\.\d+){0,2}$/, 'expected a dotted version such as 15.7.2');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const MacosBaselineEntry = z
  .object({
    /** Major macOS version, e.g. 15 for macOS Sequoia. */
    major: z.number().int().positive(),
    /** Minimum accepted productVersion for this major (sw_vers -productVersion). */
    minVersion: DottedVersion,
    note: z.string().optional(),
  })
  .strict();
export type MacosBaselineEntry = z.infer<typeof MacosBaselineEntry>;

export const WindowsBaselineEntry = z
  .object({
    /** Feature release name as shown in DisplayVersion, e.g. "24H2". */
    release: z.string().min(1),
    /** CurrentBuild from HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion. */
    build: z.number().int().positive(),
    /** Minimum accepted revision (UBR) for this build. */
    minUbr: z.number().int().nonnegative(),
    note: z.string().optional(),
  })
  .strict();
export type WindowsBaselineEntry = z.infer<typeof WindowsBaselineEntry>;

export const UnsupportedOs = z
  .object({
    /** Human label, e.g. "macOS 13 and older", "Windows 10". */
    label: z.string().min(1),
    /** Why it is unsupported and since when. */
    note: z.string().min(1),
  })
  .strict();

export const SeedOsBaseline = z
  .object({
    /** Identifier of this edition of the table, e.g. "2026-02". Increases with every change. */
    version: z.string().min(1),
    /** The date (SGT) from which this table applies. */
    effectiveFrom: IsoDate,
    /** Where the numbers come from. */
    source: z.string().min(1),
    macos: z
      .object({
        /** Every supported major; a major not listed here is unsupported. */
        supported: z.array(MacosBaselineEntry).min(1),
        unsupported: z.array(UnsupportedOs),
        /** Advice shown when the version is below the baseline or not listed. */
        advice: z.string().min(1),
      })
      .strict(),
    windows: z
      .object({
        /** CurrentBuild at or above which the OS is Windows 11 (ProductName can still say "Windows 10"). */
        windows11MinBuild: z.number().int().positive(),
        /** Every supported build; a build not listed here is a FAIL (§6.4). */
        supported: z.array(WindowsBaselineEntry).min(1),
        unsupported: z.array(UnsupportedOs),
        advice: z.string().min(1),
      })
      .strict(),
    /** Platforms SEED does not support at all (Linux and others). */
    otherPlatforms: UnsupportedOs,
    /** Grace period for devices already in SEED that fall below the baseline (D19). */
    graceDays: z.number().int().nonnegative(),
    /** When OS patches are pushed (informational). */
    patchSchedule: z.string().optional(),
  })
  .strict();
export type SeedOsBaseline = z.infer<typeof SeedOsBaseline>;

/** The bundled copy (seed-documentation HEAD, Feb 2026). Used when the backend copy is absent or invalid. */
export const BUNDLED_SEED_OS_BASELINE: SeedOsBaseline = {
  version: '2026-02',
  effectiveFrom: '2026-02-23',
  source: 'GovTechSG/seed-documentation (HEAD 2026-02-23), supported OS versions',
  macos: {
    supported: [
      { major: 26, minVersion: '26.1' },
      {
        major: 15,
        minVersion: '15.7.2',
        note: 'Do not install macOS versions that are not supported unless the SEED team says so by email.',
      },
      { major: 14, minVersion: '14.8.2' },
    ],
    unsupported: [
      { label: 'macOS 13', note: 'Not supported: removed in November 2025.' },
      { label: 'macOS 12 and older', note: 'Not supported: blocked earlier.' },
    ],
    advice:
      'Update macOS (System Settings → General → Software Update) to a supported version at or above the minimum, then run the check again.',
  },
  windows: {
    windows11MinBuild: 22000,
    supported: [
      { release: '22H2', build: 22621, minUbr: 6060 },
      { release: '23H2', build: 22631, minUbr: 6491 },
      { release: '24H2', build: 26100, minUbr: 7623 },
      { release: '25H2', build: 26200, minUbr: 7623 },
    ],
    unsupported: [
      {
        label: 'Windows 10',
        note: 'Not supported: onboarding stopped on 19 Sep 2025 and access was blocked from 15 Oct 2025.',
      },
    ],
    advice:
      'Install the latest updates (Settings → Windows Update) or upgrade to a supported Windows 11 release, then run the check again.',
  },
  otherPlatforms: {
    label: 'Linux and other operating systems',
    note: 'Not supported by SEED: use a Windows or macOS device.',
  },
  graceDays: 7,
  patchSchedule: 'OS patches are pushed on the 3rd Tuesday of each month, 08:00–17:00 SGT, and may restart the device.',
};
