import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useSubmit } from '../../components/useSubmit.js';
import { useLocale, useT } from '../../i18n/index.js';
import { printReceipt } from '../../pos/receipt/print.js';
import { ReceiptView } from '../../pos/receipt/ReceiptView.js';
import { sampleReceipt } from '../../pos/receipt/sample.js';
import { useApp } from '../../state/context.js';
import { SettingsFields } from './SettingsFields.js';
import { changedKeys, draftNameOf, fromDraft, toDraft, type SettingsDraft } from './settingsForm.js';
import './settings.css';

/** The counter settings (owner): one form, saved as one command that records a change per key touched. */
export function SettingsScreen() {
  const t = useT();
  const locale = useLocale();
  const view = useApp((s) => s.settings);
  const loadError = useApp((s) => s.settingsError);
  const loadSettings = useApp((s) => s.loadSettings);
  const updateSettings = useApp((s) => s.updateSettings);
  const currency = useApp((s) => s.status?.currency ?? 'ARS');
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [formIssues, setFormIssues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useSubmit(updateSettings);

  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);
  // A fresh copy from the node (first load, a save, another window's change) replaces the form unless it was edited.
  const dirty = useMemo(() => {
    if (!draft || !view) return false;
    return Object.keys(changedKeys(view.values, fromDraft(draft, currency).settings)).length > 0;
  }, [draft, view, currency]);
  useEffect(() => {
    if (view && !dirty) setDraft(toDraft(view.values, currency, locale));
  }, [view, currency, locale]);

  const serverIssues = useMemo(() => {
    const out: Record<string, string> = {};
    for (const issue of save.error?.issues ?? []) out[draftNameOf(issue.path)] ??= issue.message;
    return out;
  }, [save.error]);
  const issue = (name: string) => formIssues[name] ?? serverIssues[name];

  if (!view || !draft) {
    return (
      <section className="card wide" data-testid="settings-screen">
        <h1>{t('settings.title')}</h1>
        <p className="muted">{t('settings.loading')}</p>
        <ErrorNote error={loadError} testId="settings-load" />
      </section>
    );
  }

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const { settings, issues } = fromDraft(draft, currency);
    setFormIssues(Object.fromEntries(Object.entries(issues).map(([k, v]) => [k, t(v === 'badMoney' ? 'settings.badMoney' : 'settings.badNumber')])));
    if (Object.keys(issues).length > 0) return;
    const changes = changedKeys(view.values, settings);
    if (Object.keys(changes).length === 0) return;
    if (await save.submit({ changes })) setSaved(true);
  };

  const store = { name: draft.storeName.trim() || view.values.storeName, header: draft.receiptHeader.split('\n').filter((l) => l.trim()), footer: draft.receiptFooter.split('\n').filter((l) => l.trim()) };
  return (
    <section className="card wide" data-testid="settings-screen">
      <form onSubmit={onSubmit} noValidate className="settings-layout">
        <div className="settings-main">
          <div className="toolbar">
            <h1>{t('settings.title')}</h1>
            <span className="spacer" />
            {save.busy ? <span className="muted" role="status">{save.slow ? t('form.slow') : t('form.saving')}</span> : null}
            {saved && !dirty ? <span className="saved" role="status" data-testid="settings-saved">{t('settings.saved')}</span> : null}
            <button type="submit" className="primary" disabled={save.busy || !dirty} data-testid="settings-submit">{t('settings.save')}</button>
          </div>
          <ErrorNote error={save.error} testId="settings" onRetry={save.canRetry ? () => void save.retry() : undefined} />
          <SettingsFields draft={draft} currency={currency} issue={issue} onChange={(patch) => { setSaved(false); setDraft({ ...draft, ...patch }); }} />
        </div>
        <ReceiptPreview store={store} currency={currency} />
      </form>
    </section>
  );
}

function ReceiptPreview({ store, currency }: { store: { name: string; header: string[]; footer: string[] }; currency: string }) {
  const t = useT();
  const [paper, setPaper] = useState<58 | 80>(80);
  const ref = useRef<HTMLDivElement>(null);
  const receipt = useMemo(() => sampleReceipt(store, currency), [store.name, store.header.join('\n'), store.footer.join('\n'), currency]);
  return (
    <aside className="settings-preview" data-testid="settings-preview">
      <div className="toolbar">
        <strong>{t('settings.preview')}</strong>
        <span className="spacer" />
        <label className="inline">
          {t('receipt.paper')}
          <select value={paper} onChange={(e) => setPaper(Number(e.target.value) as 58 | 80)} data-testid="settings-preview-paper">
            <option value={58}>58 mm</option>
            <option value={80}>80 mm</option>
          </select>
        </label>
        <button type="button" onClick={() => ref.current && printReceipt(ref.current, paper)} data-testid="settings-preview-print">
          {t('receipt.print')}
        </button>
      </div>
      <ReceiptView receipt={receipt} paper={paper} ref={ref} />
    </aside>
  );
}
