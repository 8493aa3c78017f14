import { useEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  testId: string;
  onClose(): void;
  children: ReactNode;
}

/**
 * A native modal <dialog>: the browser traps focus and turns Escape into a `cancel` event, which closes it
 * through React so the form state goes with it.
 */
export function Dialog({ title, testId, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    dialog.showModal();
    const onCancel = (ev: Event) => {
      ev.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
    };
  }, []);

  return (
    <dialog ref={ref} className="dialog" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <h2 id={`${testId}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}
