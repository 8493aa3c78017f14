import type { ReactNode } from 'react';
import { Field } from '../../components/Field.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { NomenclatureEditor } from './NomenclatureEditor.js';
import type { SettingsDraft } from './settingsForm.js';

interface Props {
  draft: SettingsDraft;
  currency: string;
  /** The issue to show next to a draft field (the form's own, or the node's for that setting). */
  issue(name: string): string | undefined;
  onChange(patch: Partial<SettingsDraft>): void;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <fieldset className="settings-section" data-testid={`settings-section-${testId}`}>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

/** Every counter setting, grouped as an owner thinks of them. */
export function SettingsFields({ draft, currency, issue, onChange }: Props) {
  const t = useT();
  const text = (name: keyof SettingsDraft & string, label: MessageKey, extra: { hint?: string; inputMode?: 'numeric' | 'decimal'; maxLength?: number } = {}) => (
    <Field label={t(label)} testId={`settings-${name}`} issue={issue(name)} {...(extra.hint ? { hint: extra.hint } : {})}>
      <input value={draft[name] as string} onChange={(e) => onChange({ [name]: e.target.value })} autoComplete="off"
        inputMode={extra.inputMode} maxLength={extra.maxLength} data-testid={`settings-${name}`} />
    </Field>
  );
  const area = (name: 'receiptHeader' | 'receiptFooter', label: MessageKey) => (
    <Field label={t(label)} testId={`settings-${name}`} issue={issue(name)} hint={t('settings.linesHint')}>
      <textarea rows={3} value={draft[name]} onChange={(e) => onChange({ [name]: e.target.value })} data-testid={`settings-${name}`} />
    </Field>
  );
  const check = (name: 'mergeRepeatScans' | 'stockBlockOffline', label: MessageKey) => (
    <label className="check">
      <input type="checkbox" checked={draft[name]} onChange={(e) => onChange({ [name]: e.target.checked })} data-testid={`settings-${name}`} />
      {t(label)}
    </label>
  );
  const limits = draft.discountLimits;
  return (
    <div className="settings-grid">
      <Section title={t('settings.section.store')} testId="store">
        {text('storeName', 'settings.storeName', { maxLength: 60 })}
        {area('receiptHeader', 'settings.receiptHeader')}
        {area('receiptFooter', 'settings.receiptFooter')}
      </Section>
      <Section title={t('settings.section.money')} testId="money">
        {text('cashDenominations', 'settings.cashDenominations', { hint: t('settings.denominationsHint') })}
        <Field label={t('settings.cashRounding')} testId="settings-rounding" issue={issue('roundingStep')}>
          <span className="inline">
            <select value={draft.roundingMode} onChange={(e) => onChange({ roundingMode: e.target.value as SettingsDraft['roundingMode'] })}
              data-testid="settings-roundingMode">
              <option value="none">{t('settings.rounding.none')}</option>
              <option value="nearest">{t('settings.rounding.nearest')}</option>
            </select>
            {draft.roundingMode === 'nearest' ? (
              <input value={draft.roundingStep} onChange={(e) => onChange({ roundingStep: e.target.value })} inputMode="decimal"
                className="short" aria-label={t('settings.rounding.nearest')} data-testid="settings-roundingStep" />
            ) : null}
          </span>
        </Field>
        {text('overShortThreshold', 'settings.overShortThreshold', { inputMode: 'decimal' })}
      </Section>
      <Section title={t('settings.section.taxes')} testId="taxes">
        {draft.taxRates.map((r, i) => (
          <div className="field-pair" key={i}>
            <Field label={t('settings.taxRate')} testId={`settings-tax-${i}`} issue={issue(`taxRates.${i}`)}>
              <input value={r.percent} inputMode="decimal" data-testid={`settings-tax-${i}-percent`}
                onChange={(e) => onChange({ taxRates: draft.taxRates.map((x, k) => (k === i ? { ...x, percent: e.target.value } : x)) })} />
            </Field>
            <Field label={t('settings.taxLabel')} testId={`settings-tax-${i}-label`}>
              <span className="inline">
                <input value={r.label} maxLength={24} data-testid={`settings-tax-${i}-label`}
                  onChange={(e) => onChange({ taxRates: draft.taxRates.map((x, k) => (k === i ? { ...x, label: e.target.value } : x)) })} />
                <button type="button" onClick={() => onChange({ taxRates: draft.taxRates.filter((_, k) => k !== i) })}>{t('settings.remove')}</button>
              </span>
            </Field>
          </div>
        ))}
        {issue('taxRates') ? <p className="field-issue">{issue('taxRates')}</p> : null}
        <button type="button" onClick={() => onChange({ taxRates: [...draft.taxRates, { percent: '', label: '' }] })} data-testid="settings-tax-add">
          {t('settings.add')}
        </button>
      </Section>
      <Section title={t('settings.section.discounts')} testId="discounts">
        {(['supervisor', 'cashier', 'stockClerk'] as const).map((role) => (
          <div className="field-pair" key={role}>
            <Field label={`${t(`settings.role.${role}`)} — ${t('settings.maxPercent')}`} testId={`settings-limit-${role}`}
              issue={issue(`discountLimits.${role}.percent`) ?? issue('discountLimits')}>
              <input value={limits[role].percent} inputMode="decimal" data-testid={`settings-limit-${role}-percent`}
                onChange={(e) => onChange({ discountLimits: { ...limits, [role]: { ...limits[role], percent: e.target.value } } })} />
            </Field>
            <Field label={t('settings.maxAmount')} testId={`settings-limit-${role}-amount`} issue={issue(`discountLimits.${role}.amount`)}>
              <input value={limits[role].amount} inputMode="decimal" data-testid={`settings-limit-${role}-amount`}
                onChange={(e) => onChange({ discountLimits: { ...limits, [role]: { ...limits[role], amount: e.target.value } } })} />
            </Field>
          </div>
        ))}
      </Section>
      <Section title={t('settings.section.scanner')} testId="scanner">
        <div className="field-pair">
          {text('maxKeyGapMs', 'settings.scannerGap', { inputMode: 'numeric' })}
          {text('minLength', 'settings.scannerMinLength', { inputMode: 'numeric' })}
        </div>
        {check('mergeRepeatScans', 'settings.mergeRepeatScans')}
        <p className="field-label">{t('settings.nomenclature')}</p>
        <NomenclatureEditor value={draft.scaleNomenclature} currency={currency} onChange={(scaleNomenclature) => onChange({ scaleNomenclature })} />
        {issue('scaleNomenclature') ? <p className="field-issue">{issue('scaleNomenclature')}</p> : null}
      </Section>
      <Section title={t('settings.section.other')} testId="other">
        {text('idleTimeoutMinutes', 'settings.idleTimeoutMinutes', { inputMode: 'numeric' })}
        <div className="field-pair">
          {text('fiscalTicket', 'settings.fiscalTicket', { maxLength: 20 })}
          {text('fiscalCreditNote', 'settings.fiscalCreditNote', { maxLength: 20 })}
        </div>
        {check('stockBlockOffline', 'settings.stockBlockOffline')}
      </Section>
    </div>
  );
}
