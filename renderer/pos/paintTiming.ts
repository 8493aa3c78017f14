/**
 * Scan-to-paint timing (bench:scan): from the Enter keydown that completes a scan (its event time, so time spent
 * waiting in the input queue counts) to the animation frame in which the new line or quantity is in the document,
 * the frame that paints it. Read with `performance.getEntriesByName('scan-to-paint')`.
 */
export function markScan(at: number): void {
  const lines = document.querySelectorAll('[data-testid="cart-line"]').length;
  const quantityText = document.querySelector('[aria-selected="true"] [data-testid="line-quantity"]')?.textContent;
  const frame = (tries: number) =>
    requestAnimationFrame(() => {
      const changed =
        document.querySelectorAll('[data-testid="cart-line"]').length !== lines ||
        document.querySelector('[aria-selected="true"] [data-testid="line-quantity"]')?.textContent !== quantityText;
      if (changed || tries === 0) performance.measure('scan-to-paint', { start: at, end: performance.now() });
      else frame(tries - 1);
    });
  frame(30);
}
