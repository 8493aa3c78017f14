// Test support only (never loaded by the product): a process whose wall clock is MOSTRADOR_TEST_CLOCK_OFFSET_MS off,
// loaded with NODE_OPTIONS=--import. `Date.now()` and `new Date()` are shifted; monotonic time (performance.now,
// timers) is not, as on a machine whose clock was set wrong.
const offset = Number(process.env.MOSTRADOR_TEST_CLOCK_OFFSET_MS ?? 0);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = globalThis.Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }

    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = SkewedDate;
}
