import { describe, expect, it } from 'vitest';
import { ScanDetector, charOf, type KeyInput, type ScanTiming } from './scanner.js';

const codeOf = (char: string): string =>
  /[0-9]/.test(char) ? `Digit${char}` : char === '\n' ? 'Enter' : /[a-z]/i.test(char) ? `Key${char.toUpperCase()}` : 'Other';

/** Keys for a text typed at fixed gaps ("\n" is Enter), from time `start`. */
function keys(text: string, gapMs: number, start = 0): KeyInput[] {
  return [...text].map((c, i) => ({ key: c === '\n' ? 'Enter' : c, code: codeOf(c), time: start + i * gapMs }));
}

/** Keys with a gap per key (human typing is uneven). */
function typed(text: string, gaps: readonly number[], start = 0): KeyInput[] {
  let t = start;
  return [...text].map((c, i) => {
    t += i === 0 ? 0 : gaps[(i - 1) % gaps.length]!;
    return { key: c === '\n' ? 'Enter' : c, code: codeOf(c), time: t };
  });
}

interface Outcome {
  scans: string[];
  /** What reached the focused field, in order: released text, and keys passed through shown as ⏎ / ⇥. */
  field: string;
}

/** Drives the detector as the hook does: an idle tick fires when no key came for longer than the gap. */
function run(input: readonly KeyInput[], timing?: ScanTiming): Outcome {
  const d = new ScanDetector(timing);
  const gap = timing?.maxGapMs ?? 60;
  const out: Outcome = { scans: [], field: '' };
  let last = -Infinity;
  for (const k of input) {
    if (d.holding && k.time - last > gap + 10) out.field += d.idle(last + gap + 10);
    const step = d.key(k);
    out.field += step.release;
    if (step.action === 'scan') out.scans.push(step.code!);
    if (step.action === 'pass') out.field += k.key === 'Enter' ? '⏎' : k.key.length === 1 ? k.key : `[${k.key}]`;
    last = k.time;
  }
  out.field += d.idle(last + 10_000);
  return out;
}

const EAN = '7790001000011';

describe('the scan detector', () => {
  it.each([1, 10, 40])('takes a burst at %i ms per key ending in Enter as one scan, none of it typed', (gap) => {
    expect(run(keys(`${EAN}\n`, gap))).toEqual({ scans: [EAN], field: '' });
  });

  it.each([
    [120, [120]],
    [180, [180]],
    [250, [250]],
    [120, [120, 250, 140, 200, 170]],
  ])('gives human typing (%i… ms per key) back to the field, Enter included', (_first, gaps) => {
    expect(run(typed(`${EAN}\n`, gaps))).toEqual({ scans: [], field: `${EAN}⏎` });
  });

  it('keeps a scan apart from typing before and after it (mixed)', () => {
    const input = [...typed('yer', [150]), ...keys(`${EAN}\n`, 10, 1000), ...typed('ba', [200], 2000)];
    expect(run(input)).toEqual({ scans: [EAN], field: 'yerba' });
  });

  it('two fast keys by a person (a roll of the fingers) are still typing', () => {
    expect(run(typed('ab\n', [20, 200]))).toEqual({ scans: [], field: 'ab⏎' });
  });

  it('a burst shorter than the minimum is typing', () => {
    expect(run(keys('123\n', 5))).toEqual({ scans: [], field: '123⏎' });
  });

  it('a burst with one gap too long in it is not a scan', () => {
    const input = [...keys('77900', 10), ...keys('01000011\n', 10, 40 + 200)];
    expect(run(input)).toEqual({ scans: ['01000011'], field: '77900' });
  });

  it('two scans back to back are two scans', () => {
    const input = [...keys(`${EAN}\n`, 5), ...keys('2012345012342\n', 5, 200)];
    expect(run(input).scans).toEqual([EAN, '2012345012342']);
  });

  it('reads digits by key position, so an AZERTY layout does not mangle them', () => {
    const azerty = '&é"\'(-è_çà';
    const input: KeyInput[] = [...azerty].map((key, i) => ({ key, code: `Digit${(i + 1) % 10}`, time: i * 5 }));
    input.push({ key: 'Enter', code: 'Enter', time: 60 });
    expect(run(input).scans).toEqual(['1234567890']);
    expect(charOf('&', 'Numpad1')).toBe('1');
  });

  it('keeps letters of Code 128 labels', () => {
    expect(run(keys('ABC-123.x\n', 2)).scans).toEqual(['ABC-123.x']);
  });

  it('lets shortcuts and function keys through, giving back what it held first', () => {
    const input: KeyInput[] = [
      { key: 'a', code: 'KeyA', time: 0 },
      { key: 'F2', code: 'F2', time: 10 },
      { key: 'c', code: 'KeyC', time: 20, modified: true },
    ];
    expect(run(input)).toEqual({ scans: [], field: 'a[F2]c' });
  });

  it('follows the timing setting', () => {
    expect(run(keys(`${EAN}\n`, 40), { maxGapMs: 30, minLength: 4 }).scans).toEqual([]);
    expect(run(keys('12345\n', 5), { maxGapMs: 50, minLength: 6 }).scans).toEqual([]);
    expect(run(keys('123456\n', 5), { maxGapMs: 50, minLength: 6 }).scans).toEqual(['123456']);
  });
});
