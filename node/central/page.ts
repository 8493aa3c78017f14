/**
 * The central operator's one page (stores; per store its devices: online, last contact, backlog, breaker, last
 * reconciliation, fiscal numbers left, version, with "reconcile now" and revoke; alerts; enrollment codes): plain HTML and a few lines of
 * script over `/admin/v1`, served by the central itself so that the printed link works without the terminal's
 * renderer. Spanish first. Everything shown goes through textContent (no markup from data).
 */
export const OPERATOR_PAGE = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Mostrador central</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:13px;vertical-align:top}#msg{color:#a00}#code{font:bold 20px monospace}
.on{color:#161;white-space:nowrap}.off{color:#a50;white-space:nowrap}.bad{color:#a00}.muted{color:#666;font-size:12px}td button{margin:0 .3rem .2rem 0;white-space:nowrap}h3{margin:1rem 0 .2rem}</style></head>
<body><h1>Mostrador central</h1><p id="msg"></p>
<h2>Código de alta</h2>
<form id="codeForm"><label>Tienda (id, vacío: tienda nueva) <input name="storeId" size="38"></label>
<label>Nombre <input name="storeName" value="Tienda"></label> <button>Crear código</button></form><p id="code"></p>
<h2>Tiendas</h2><table id="stores"></table><h2>Dispositivos</h2><div id="devices"></div><h2>Alertas</h2><table id="alerts"></table>
<script>
const msg = (t) => { document.getElementById('msg').textContent = t; };
async function call(method, path, body) {
  const r = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await r.json();
  if (!r.ok) throw new Error(data.error ? data.error.message : r.status);
  return data;
}
function table(id, rows, columns, action) {
  const t = typeof id === 'string' ? document.getElementById(id) : id; t.replaceChildren();
  const head = t.insertRow(); for (const c of columns.concat(action ? [[null, '']] : [])) { const th = document.createElement('th'); th.textContent = c[1]; head.appendChild(th); }
  for (const row of rows) {
    const tr = t.insertRow(); if (row.deviceId) tr.dataset.device = row.deviceId;
    for (const c of columns) {
      const cell = tr.insertCell(); const v = typeof c[0] === 'function' ? c[0](row) : row[c[0]];
      if (Array.isArray(v)) { cell.textContent = v[0]; cell.className = v[1] || ''; if (v[2]) cell.title = v[2]; } else cell.textContent = v == null ? '' : String(v);
    }
    if (action) tr.insertCell().append(...[].concat(action(row)));
  }
}
const ago = (iso) => {
  if (!iso) return 'nunca'; const m = Math.floor(Math.max(0, Date.now() - Date.parse(iso)) / 60000);
  if (m < 1) return 'hace un momento'; if (m < 60) return 'hace ' + m + ' min'; if (m < 1440) return 'hace ' + Math.floor(m / 60) + ' h';
  return new Date(iso).toLocaleString('es-AR', { dateStyle: 'short', timeStyle: 'short' });
};
const num = (n) => (n == null ? '—' : n.toLocaleString('es-AR'));
const RECONCILED = { 'in-sync': 'todo coincide', converged: 'completada', stalled: 'detenida: llamá a soporte', failed: 'no se pudo completar', skipped: 'no se hizo (había otra en curso)' };
function reconciled(d) {
  const r = d.lastReconcile; const asked = d.reconcileAskedAt ? ' · pedida ' + ago(d.reconcileAskedAt) + ', espera el próximo contacto' : '';
  if (!r) return ['todavía no se hizo' + asked, '', ''];
  const moved = r.outcome === 'converged' ? ' (recibidas ' + r.pulled + ', enviadas ' + r.pushed + ')' : '';
  return [(RECONCILED[r.outcome] || r.outcome) + moved + ' · ' + ago(r.at) + asked, r.outcome === 'stalled' ? 'bad' : r.outcome === 'failed' ? 'off' : '', r.reason];
}
const BREAKER = { closed: 'normal', open: 'en pausa', halfOpen: 'probando de nuevo' };
const DEVICE_COLUMNS = [
  [(d) => [d.name, '', d.deviceId], 'Dispositivo'],
  [(d) => {
    const s = d.status || {};
    if (d.revokedAt) return ['revocado', 'bad'];
    if (s.deadLetter) return ['envíos detenidos: la central rechazó una operación', 'bad', s.deadLetter.reason];
    return d.online ? ['● en línea', 'on'] : ['○ sin conexión', 'off', s.lastError || ''];
  }, 'Estado'],
  [(d) => ago(d.lastContactAt), 'Último contacto'],
  [(d) => num(d.backlog), 'Pendientes de enviar'],
  [(d) => (d.breaker ? [BREAKER[d.breaker] || d.breaker, d.breaker === 'closed' ? '' : 'off'] : '—'), 'Protección de conexión'],
  [reconciled, 'Conciliación'],
  [(d) => num(d.fiscalNumbersLeft), 'Números fiscales'],
  [(d) => d.appVersion || '—', 'Versión'],
];
function deviceActions(d) {
  const r = document.createElement('button'); r.textContent = 'Conciliar ahora'; r.disabled = !!d.revokedAt; r.dataset.action = 'reconcile';
  r.onclick = () => call('POST', '/admin/v1/devices/' + d.deviceId + '/reconcile').then(() => { msg(''); return load(); }, (e) => msg(e.message));
  const b = document.createElement('button'); b.textContent = 'Revocar'; b.disabled = !!d.revokedAt;
  b.onclick = () => confirm('¿Revocar ' + d.name + '?') && call('POST', '/admin/v1/devices/' + d.deviceId + '/revoke').then(load, (e) => msg(e.message));
  return [r, b];
}
async function load() {
  const [stores, devices, alerts] = await Promise.all([call('GET', '/admin/v1/stores'), call('GET', '/admin/v1/devices'), call('GET', '/admin/v1/alerts')]);
  table('stores', stores.stores, [['storeId', 'Tienda'], ['name', 'Nombre'], ['devices', 'Dispositivos'], ['events', 'Eventos']]);
  const box = document.getElementById('devices'); box.replaceChildren();
  for (const store of stores.stores) {
    const mine = devices.devices.filter((d) => d.storeId === store.storeId);
    const h = document.createElement('h3'); h.textContent = store.name + ' '; const id = document.createElement('span'); id.className = 'muted'; id.textContent = store.storeId; h.append(id);
    const t = document.createElement('table'); t.dataset.store = store.storeId; box.append(h, t);
    if (mine.length === 0) { t.insertRow().insertCell().textContent = 'Sin dispositivos todavía: creá un código de alta para esta tienda.'; continue; }
    table(t, mine, DEVICE_COLUMNS, deviceActions);
  }
  if (alerts.alerts.length === 0) { const t = document.getElementById('alerts'); t.replaceChildren(); t.insertRow().insertCell().textContent = 'Sin alertas: nada rechazado, ningún envío detenido y ninguna devolución mayor que lo vendido.'; return; }
  const kinds = { refused: 'Evento rechazado', overRefund: 'Devolución mayor que lo vendido' };
  table('alerts', alerts.alerts.map((a) => ({ ...a, kind: kinds[a.kind] || a.kind })), [['raisedAt', 'Cuándo'], ['kind', 'Tipo'], ['deviceId', 'Dispositivo'], ['eventId', 'Evento'], ['reason', 'Motivo']]);
}
document.getElementById('codeForm').onsubmit = (ev) => {
  ev.preventDefault(); const f = new FormData(ev.target); const body = { storeName: f.get('storeName') || undefined };
  if (f.get('storeId')) body.storeId = f.get('storeId');
  call('POST', '/admin/v1/enrollment-codes', body).then((r) => { document.getElementById('code').textContent = r.code + ' (vence ' + r.expiresAt + ')'; }, (e) => msg(e.message));
};
(async () => {
  const code = new URLSearchParams(location.search).get('code');
  if (code) { history.replaceState(null, '', '/'); await call('POST', '/auth/session', { code }).catch((e) => msg(e.message)); }
  await load().catch((e) => msg(e.message + ' — pedí un enlace nuevo: mostrador central'));
  // The devices report after every round: the table follows by itself.
  setInterval(() => load().catch(() => undefined), 10000);
})();
</script></body></html>`;
