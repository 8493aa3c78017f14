// Preloaded (`node --import`) into a terminal process a test starts with a skewed wall clock (the clock-skew chaos):
// Date.now() and `new Date()` run MOSTRADOR_TEST_CLOCK_OFFSET_MS ahead (negative: behind). Monotonic time
// (performance.now, process.hrtime) is untouched, as on a machine whose wall clock is set wrong.
const offset = Number(process.env.MOSTRADOR_TEST_CLOCK_OFFSET_MS ?? 0);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
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
