/**
 * Tells a barcode scanner from a person at the keyboard (issue 13 item 12). A scanner types a burst of keys a few
 * milliseconds apart and ends it with Enter; a person types 120–250 ms per key. So printable keys are held back
 * while they might be a burst: a burst of at least `minLength` keys, each within `maxGapMs` of the previous one and
 * ended by Enter, is a scan (none of it reaches any field); anything else is given back as typed text once the gap
 * shows it was a person (at most `maxGapMs` plus a little later than it was typed).
 *
 * Digits are read from the key's position (`KeyboardEvent.code`: Digit0–9, Numpad0–9), not from the character it
 * made: a scanner set up for a US layout on an AZERTY keyboard sends the keys of "&é\"'(-è_çà" for 1234567890.
 *
 * Pure: times come in with the keys, so the table tests drive it without a browser.
 */

export interface ScanTiming {
  /** Longest gap between two keys of a scan (ms). Default 60: above a scanner's 1–40 ms, below a fast typist's ~120. */
  maxGapMs: number;
  /** Fewest characters a scan has (shorter bursts are typing). */
  minLength: number;
}

export const defaultScanTiming: ScanTiming = { maxGapMs: 60, minLength: 4 };

export interface KeyInput {
  key: string;
  code: string;
  /** ms, from the same clock for every key (KeyboardEvent.timeStamp). */
  time: number;
  /** Ctrl, Alt or Meta held: a shortcut, never part of a scan. */
  modified?: boolean;
}

/**
 * What to do with one key: `hold` (swallow it, it may be part of a scan), `pass` (let it do what it does), `scan`
 * (swallow this Enter: `code` was scanned). `release` is text held earlier that turned out to be typed: give it to
 * the field with focus before anything else.
 */
export interface ScanStep {
  release: string;
  action: 'hold' | 'pass' | 'scan';
  code?: string;
}

const DIGIT_CODE = /^(?:Digit|Numpad)([0-9])$/;

/** The character a key stands for in a barcode, or undefined when it is not a printable key. */
export function charOf(key: string, code: string): string | undefined {
  const digit = DIGIT_CODE.exec(code);
  if (digit) return digit[1];
  return key.length === 1 && key >= ' ' ? key : undefined;
}

export class ScanDetector {
  #held: string[] = [];
  #last = -Infinity;

  constructor(private readonly timing: ScanTiming = defaultScanTiming) {}

  key(input: KeyInput): ScanStep {
    let release = '';
    if (this.#held.length > 0 && input.time - this.#last > this.timing.maxGapMs) release = this.#take();
    if (input.modified) return { release: release + this.#take(), action: 'pass' };
    if (input.key === 'Enter') {
      if (this.#held.length >= this.timing.minLength) return { release, action: 'scan', code: this.#take() };
      return { release: release + this.#take(), action: 'pass' };
    }
    const char = charOf(input.key, input.code);
    if (char === undefined) return { release: release + this.#take(), action: 'pass' };
    this.#held.push(char);
    this.#last = input.time;
    return { release, action: 'hold' };
  }

  /** Called when no key came for a while: held text whose gap has shown it was typed, to give back now. */
  idle(time: number): string {
    return this.#held.length > 0 && time - this.#last > this.timing.maxGapMs ? this.#take() : '';
  }

  /** Whether keys are being held (the hook then schedules an `idle`). */
  get holding(): boolean {
    return this.#held.length > 0;
  }

  #take(): string {
    const text = this.#held.join('');
    this.#held = [];
    return text;
  }
}
