import { useEffect, useRef } from 'react';
import { ScanDetector, type ScanTiming } from './scanner.js';

/** Gives typed text back to the field with focus as if it had been typed (React sees an ordinary input event). */
function typeIntoFocus(text: string): boolean {
  const el = document.activeElement;
  const editable = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable);
  if (!editable || (el as HTMLInputElement).readOnly || (el as HTMLInputElement).disabled) return false;
  // execCommand is the one way to insert text that keeps the field's undo stack and fires `input` like a keystroke.
  return document.execCommand('insertText', false, text);
}

export interface ScannerHandlers {
  /** `at`: when the Enter that ended the scan happened (KeyboardEvent.timeStamp, the performance clock). */
  onScan(code: string, at: number): void;
  /** Typed text with no field to take it (nothing focused): the checkout sends it to its search. */
  onTyped?(text: string): void;
}

/** Whether keys are waiting to be handled (Chromium's `navigator.scheduling.isInputPending`; false elsewhere). */
function inputPending(): boolean {
  const scheduling = (navigator as { scheduling?: { isInputPending?: () => boolean } }).scheduling;
  return scheduling?.isInputPending?.() ?? false;
}

/** Extra wait before giving held keys back, so a scanner's next key that is already queued is read first. */
const IDLE_SLACK_MS = 25;

/**
 * Listens to every key at window level, before any field sees it (capture phase), so a scan is never lost and never
 * typed into a field whatever has focus; human typing reaches its field a few tens of milliseconds late.
 */
export function useScanner(handlers: ScannerHandlers, timing: ScanTiming, enabled = true): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    if (!enabled) return;
    const detector = new ScanDetector(timing);
    let timer: ReturnType<typeof setTimeout> | undefined;

    const giveBack = (text: string) => {
      if (text && !typeIntoFocus(text)) ref.current.onTyped?.(text);
    };
    const onIdle = () => {
      timer = undefined;
      // A busy page can run this timer before the scanner's next key, already queued, is read: look again later.
      if (inputPending()) {
        timer = setTimeout(onIdle, 5);
        return;
      }
      giveBack(detector.idle(performance.now()));
      if (detector.holding) timer = setTimeout(onIdle, timing.maxGapMs);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.repeat) return;
      // A PIN or password is typed by a person; a quick typist's digits must not be taken for a scan and lost.
      if (e.target instanceof HTMLInputElement && e.target.type === 'password') return;
      const step = detector.key({ key: e.key, code: e.code, time: e.timeStamp, modified: e.ctrlKey || e.altKey || e.metaKey });
      giveBack(step.release);
      if (step.action === 'pass') return;
      e.preventDefault();
      e.stopPropagation();
      if (step.action === 'scan') ref.current.onScan(step.code!, e.timeStamp);
      if (timer) clearTimeout(timer);
      timer = detector.holding ? setTimeout(onIdle, timing.maxGapMs + IDLE_SLACK_MS) : undefined;
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
      if (timer) clearTimeout(timer);
    };
  }, [enabled, timing.maxGapMs, timing.minLength]);
}
