/**
 * Scan-to-paint timing (bench:scan): a mark at the Enter that completes a scan, and a measure at the next animation
 * frame once the new line is in the document, which is the frame that paints it. Read with
 * `performance.getEntriesByName('scan-to-paint')`.
 */
let pending = 0;

export function markScan(): void {
  const mark = `scan-${++pending}`;
  performance.mark(mark);
  const lines = document.querySelectorAll('[data-testid="cart-line"]').length;
  const quantityText = document.querySelector('[aria-selected="true"] [data-testid="line-quantity"]')?.textContent;
  const frame = (tries: number) =>
    requestAnimationFrame(() => {
      const changed =
        document.querySelectorAll('[data-testid="cart-line"]').length !== lines ||
        document.querySelector('[aria-selected="true"] [data-testid="line-quantity"]')?.textContent !== quantityText;
      if (changed || tries === 0) {
        performance.measure('scan-to-paint', mark);
        performance.clearMarks(mark);
      } else frame(tries - 1);
    });
  frame(30);
}
