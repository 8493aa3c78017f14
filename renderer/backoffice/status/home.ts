import type { NodeStatus } from '../../../shared/contract/index.js';
import { formatBytes, formatWhen } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';

export type Tone = 'ok' | 'warn' | 'bad';

export interface HomeLine {
  id: 'running' | 'data' | 'backup' | 'disk' | 'version';
  tone: Tone;
  text: string;
}

export interface Home {
  verdict: { tone: Tone; text: string };
  lines: HomeLine[];
}

const diskTone = { ok: 'ok', low: 'warn', full: 'bad' } as const;

function dataLine(status: NodeStatus, t: Translate, when: (iso: string) => string): HomeLine {
  const { events, lastEventAt, verification } = status.journal;
  if (verification && !verification.ok) return { id: 'data', tone: 'bad', text: t('home.data.broken', { when: when(verification.at) }) };
  if (verification) {
    const key = verification.checked === 0 ? 'home.data.verifiedEmpty' : 'home.data.verified';
    return { id: 'data', tone: 'ok', text: t(key, { when: when(verification.at), count: verification.checked }) };
  }
  if (events === 0 || !lastEventAt) return { id: 'data', tone: 'ok', text: t('home.data.empty') };
  return { id: 'data', tone: 'ok', text: t('home.data.saved', { count: events, last: when(lastEventAt) }) };
}

/** What the owner's first screen says, in words: is Mostrador fine, and if not, what to do. */
export function homeOf(status: NodeStatus, t: Translate, locale: string, now = Date.now()): Home {
  const when = (iso: string) => formatWhen(iso, locale, t, now);
  const size = (bytes: number) => formatBytes(bytes, locale);
  const { disk, lastExport } = status;
  const lines: HomeLine[] = [
    { id: 'running', tone: 'ok', text: t('home.running', { since: when(status.startedAt) }) },
    dataLine(status, t, when),
    lastExport
      ? { id: 'backup', tone: 'ok', text: t('home.backup.last', { when: when(lastExport.at), size: size(lastExport.bytes) }) }
      : { id: 'backup', tone: 'warn', text: t('home.backup.never') },
    { id: 'disk', tone: diskTone[disk.state], text: t(`home.disk.${disk.state}`, { free: size(disk.freeBytes), reserve: size(disk.reserveBytes) }) },
    { id: 'version', tone: 'ok', text: t('home.version', { version: status.version }) },
  ];
  const broken = status.journal.verification?.ok === false;
  const verdict: Home['verdict'] =
    disk.state === 'full'
      ? { tone: 'bad', text: t('home.verdict.full') }
      : broken
        ? { tone: 'bad', text: t('home.verdict.broken') }
        : disk.state === 'low'
          ? { tone: 'warn', text: t('home.verdict.low') }
          : { tone: 'ok', text: t('home.verdict.ok') };
  return { verdict, lines };
}
