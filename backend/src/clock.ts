/** Every timestamp and deadline in the backend comes from a Clock, so tests can move time (domain.md §2.5). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at a given instant and only moves when told to (test mode). */
export class ManualClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(seconds: number): Date {
    this.offsetMs += seconds * 1000;
    return this.now();
  }
}
