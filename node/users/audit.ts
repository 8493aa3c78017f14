import type { AuditEntry, AuditKind, ParsedInputOf } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import type { ReadDb } from '../db/types.js';

/**
 * Audited journal events by type name (matched as strings: the counter's and the settings' domains register them),
 * each with the SQL that keeps only the audited ones (a sale is audited when it carries approvals; a cash movement
 * when it is a no-sale drawer opening) and how it reads as an audit kind.
 */
const JOURNAL: Record<string, { kinds: AuditKind[]; when?: string }> = {
  SaleVoided: { kinds: ['saleVoided'] },
  SaleRefunded: { kinds: ['saleRefunded'] },
  SaleCreated: { kinds: ['discount', 'priceOverride'], when: "jsonb_array_length(coalesce(e.payload->'approvals', '[]'::jsonb)) > 0" },
  TicketLineRemoved: { kinds: ['lineRemoved'] },
  TicketAbandoned: { kinds: ['ticketAbandoned'] },
  CashLedgerEntryCreated: { kinds: ['noSale'], when: "e.payload->>'kind' = 'noSale'" },
  PriceChanged: { kinds: ['priceChanged'] },
  UserCreated: { kinds: ['userCreated'] },
  UserUpdated: { kinds: ['userUpdated'] },
  SettingChanged: { kinds: ['settingChanged'] },
};
const SECURITY: AuditKind[] = ['signInFailed', 'lockedOut', 'approvalRefused'];

const journalTypes = (kind: AuditKind | undefined) => Object.keys(JOURNAL).filter((t) => !kind || JOURNAL[t]!.kinds.includes(kind));

const typeFilter = Object.entries(JOURNAL)
  .map(([type, { when }]) => (when ? `(e.type <> '${type}' OR ${when})` : ''))
  .filter(Boolean)
  .join(' AND ');

/** A discount or override kind of a sale narrows to sales whose approvals include that action. */
const saleKindFilter = `(e.type <> 'SaleCreated' OR $8::text IS NULL OR $8::text NOT IN ('discount', 'priceOverride')
  OR e.payload->'approvals' @> jsonb_build_array(jsonb_build_object('action', $8::text)))`;

const QUERY = `
WITH entries AS (
  SELECT 'journal' AS source, e.event_id::text AS id, e.type, e.payload AS details, e.actor_id AS user_id, e.created_at AS at,
    coalesce(e.payload->'approval'->>'supervisorId', e.payload->'approvals'->0->>'supervisorId') AS approved_by
  FROM events e
  WHERE e.store_id = $1 AND e.created_at >= $2 AND e.created_at <= $3 AND e.type = ANY($4::text[]) AND ${typeFilter}
    AND ${saleKindFilter} AND ($5::text IS NULL OR e.actor_id = $5::text)
  UNION ALL
  SELECT 'security', 'sec-' || lpad(s.seq::text, 19, '0'), s.kind, s.details, s.user_id::text, s.at, NULL
  FROM security_record s
  WHERE s.store_id = $1 AND s.at >= $2 AND s.at <= $3 AND s.kind = ANY($6::text[]) AND ($5::text IS NULL OR s.user_id::text = $5::text)
)
SELECT x.source, x.id, x.type, x.details, x.user_id, x.at, x.approved_by, u.name AS user_name, a.name AS approved_by_name
FROM entries x
LEFT JOIN users u ON u.store_id = $1 AND u.id::text = x.user_id
LEFT JOIN users a ON a.store_id = $1 AND a.id::text = x.approved_by
WHERE ($7::timestamptz IS NULL OR (x.at, x.id) < ($7::timestamptz, $9::text))
ORDER BY x.at DESC, x.id DESC
LIMIT $10`;

interface Row {
  source: 'journal' | 'security';
  id: string;
  type: string;
  details: Record<string, unknown>;
  user_id: string | null;
  at: Date;
  approved_by: string | null;
  user_name: string | null;
  approved_by_name: string | null;
}

function kindOf(row: Row, wanted: AuditKind | undefined): AuditKind {
  if (row.source === 'security') return row.type as AuditKind;
  if (row.type !== 'SaleCreated') return JOURNAL[row.type]!.kinds[0]!;
  const actions = ((row.details.approvals ?? []) as { action?: string }[]).map((a) => a.action);
  if (wanted === 'discount' || wanted === 'priceOverride') return wanted;
  return actions.includes('discount') ? 'discount' : 'priceOverride';
}

const ENTRY_ID = /^(sec-[0-9]{19}|[0-9a-f-]{36})$/;

const encodeCursor = (at: Date, id: string) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' && ENTRY_ID.test(value[1]) && !Number.isNaN(Date.parse(String(value[0])))) {
      return [String(value[0]), value[1]];
    }
  } catch {
    // fall through: a cursor this node did not make
  }
  throw AppError.t('ValidationError', 'badCursor');
}

/** The audit log, newest first: audited journal events and local security records, in one page. */
export async function listAudit(db: ReadDb, storeId: string, input: ParsedInputOf<'audit.list'>): Promise<{ items: AuditEntry[]; next: string | null }> {
  const [afterAt, afterId] = input.cursor ? decodeCursor(input.cursor) : [null, null];
  const kind = input.kind;
  const security = SECURITY.filter((k) => !kind || k === kind);
  const rows = await db.query<Row>(QUERY, [
    storeId, new Date(input.from), new Date(input.to), journalTypes(kind), input.userId ?? null, security,
    afterAt, kind ?? null, afterId, input.limit + 1,
  ]);
  const page = rows.slice(0, input.limit);
  const items = page.map((r): AuditEntry => ({
    id: r.id,
    at: r.at.toISOString(),
    kind: kindOf(r, kind),
    source: r.source,
    userId: r.user_id,
    userName: r.user_name,
    approvedBy: r.approved_by,
    approvedByName: r.approved_by_name,
    details: r.details,
  }));
  const last = page.at(-1);
  return { items, next: rows.length > input.limit && last ? encodeCursor(last.at, last.id) : null };
}
