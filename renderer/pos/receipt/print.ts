import type { Paper } from './layout.js';

const STYLE_ID = 'receipt-page-size';
const MM_PER_PX = 25.4 / 96;

/**
 * Prints the receipt element through the browser's dialog, on paper of its width and exactly its length: the page
 * size is set from the element's measured height (a continuous roll has no fixed page), and the print CSS hides
 * everything but `.receipt-print` (receipt.css).
 */
export function printReceipt(element: HTMLElement, paper: Paper): void {
  const heightMm = Math.ceil(element.getBoundingClientRect().height * MM_PER_PX) + 8;
  let style = document.getElementById(STYLE_ID);
  if (!style) {
    style = document.createElement('style');
    style.id = STYLE_ID;
    document.head.appendChild(style);
  }
  style.textContent = pageCss(paper, heightMm);
  document.body.classList.add('printing-receipt');
  element.classList.add('receipt-print');
  const done = () => {
    document.body.classList.remove('printing-receipt');
    element.classList.remove('receipt-print');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

/** The @page rule for one receipt: paper width, its length, no margins (the printer has its own). */
export const pageCss = (paper: Paper, heightMm: number): string => `@page { size: ${paper}mm ${heightMm}mm; margin: 0; }`;
