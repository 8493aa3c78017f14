import type { ReactNode } from 'react';

interface FieldProps {
  label: string;
  /** Used to give the issue text a stable test id next to its input. */
  testId: string;
  issue?: string | undefined;
  hint?: string;
  children: ReactNode;
}

export function Field({ label, testId, issue, hint, children }: FieldProps) {
  return (
    <label className={issue ? 'field field-invalid' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !issue ? <span className="field-hint">{hint}</span> : null}
      {issue ? (
        <span className="field-issue" data-testid={`${testId}-issue`}>
          {issue}
        </span>
      ) : null}
    </label>
  );
}
