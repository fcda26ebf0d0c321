/** Time comes from here so scenarios can walk a fake clock. */
export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Date.now() };

export class FakeClock implements Clock {
  constructor(private t: number) {}
  now() { return this.t; }
  set(t: number) { this.t = t; }
  advance(ms: number) { this.t += ms; }
}

export const DAY_MS = 86_400_000;
