/**
 * Code 128 as bars (ISO/IEC 15417), for the refund barcode printed on a receipt: printable ASCII in code set B,
 * runs of digits packed two per symbol in code set C (a receipt is narrow: 58 mm paper holds about 380 dots).
 * Pure: the renderer draws the widths as SVG; no library, no DOM.
 */

/** Bar/space widths of symbols 0–105 (bar first, 11 modules each); 106 is the stop (13 modules, with its final bar). */
const PATTERNS = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 ' +
  '123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 ' +
  '232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 ' +
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 ' +
  '111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 ' +
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'
).split(' ');

export const CODE128_PATTERNS: readonly string[] = PATTERNS;

const START_B = 104;
const START_C = 105;
const TO_C = 99;
const TO_B = 100;
const STOP = 106;

/** Text a Code 128 label can carry here: printable ASCII (code set B and digits). */
export const isCode128Text = (text: string): boolean => /^[\x20-\x7e]+$/.test(text);

const digitRun = (text: string, from: number): number => {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  return i - from;
};

/**
 * The symbol values of `text` with start, check and stop. Set C is used for a run of at least 4 digits at the start
 * or end, or 6 inside (shorter runs cost more to switch than they save).
 */
export function code128Values(text: string): number[] {
  if (!isCode128Text(text)) throw new Error('Code 128 here carries printable ASCII only');
  const values: number[] = [];
  let i = 0;
  let set: 'B' | 'C' = digitRun(text, 0) >= 4 || (text.length === 2 && digitRun(text, 0) === 2) ? 'C' : 'B';
  values.push(set === 'C' ? START_C : START_B);
  while (i < text.length) {
    const run = digitRun(text, i);
    if (set === 'C') {
      if (run >= 2) {
        values.push(Number(text.slice(i, i + 2)));
        i += 2;
        continue;
      }
      values.push(TO_B);
      set = 'B';
    }
    const atEnd = i + run === text.length;
    if (run >= 6 || (atEnd && run >= 4)) {
      // An odd run keeps its first digit in set B so the rest pairs up.
      if (run % 2 === 1) values.push(text.charCodeAt(i++) - 32);
      values.push(TO_C);
      set = 'C';
      continue;
    }
    values.push(text.charCodeAt(i++) - 32);
  }
  const check = values.reduce((sum, v, k) => sum + v * Math.max(k, 1), 0) % 103;
  return [...values, check, STOP];
}

/** Alternating bar and space widths in modules, starting and ending with a bar (quiet zones are the caller's). */
export function code128Widths(text: string): number[] {
  return code128Values(text).flatMap((v) => [...PATTERNS[v]!].map(Number));
}
