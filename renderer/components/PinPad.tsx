import { useEffect } from 'react';
import { useT } from '../i18n/index.js';

interface PinPadProps {
  value: string;
  onChange(value: string): void;
  onSubmit(): void;
  disabled?: boolean;
  max?: number;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/**
 * A PIN pad with large keys for a touch screen; typing digits, Backspace and Enter on the keyboard works too,
 * whatever has focus (the pad owns the keyboard while it is shown).
 */
export function PinPad({ value, onChange, onSubmit, disabled = false, max = 6 }: PinPadProps) {
  const t = useT();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (disabled || e.ctrlKey || e.altKey || e.metaKey) return;
      if (/^[0-9]$/.test(e.key)) {
        e.preventDefault();
        if (value.length < max) onChange(value + e.key);
      } else if (e.key === 'Backspace') {
        e.preventDefault();
        onChange(value.slice(0, -1));
      } else if (e.key === 'Enter' && value.length >= 4) {
        e.preventDefault();
        onSubmit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [value, onChange, onSubmit, disabled, max]);

  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') onChange('');
    else if (key === 'back') onChange(value.slice(0, -1));
    else if (value.length < max) onChange(value + key);
  };
  return (
    <div className="pinpad" data-testid="pinpad">
      <output className="pin-dots" aria-label={t('people.pin')} data-testid="pin-dots" data-length={value.length}>
        {value.length === 0 ? <span className="muted">{t('people.typePin')}</span> : '●'.repeat(value.length)}
      </output>
      <div className="pin-keys">
        {KEYS.map((key) => (
          <button key={key} type="button" className="pin-key" disabled={disabled} onClick={() => press(key)} data-testid={`pin-${key}`}>
            {key === 'clear' ? t('people.pinClear') : key === 'back' ? '⌫' : key}
          </button>
        ))}
      </div>
      <button type="button" className="primary pin-ok" disabled={disabled || value.length < 4} onClick={onSubmit} data-testid="pin-ok">
        {t('people.enter')}
      </button>
    </div>
  );
}
