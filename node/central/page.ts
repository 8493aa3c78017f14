/**
 * The central operator's one page (stores, devices, alerts, enrollment codes, revoke): plain HTML and a few lines of
 * script over `/admin/v1`, served by the central itself so that the printed link works without the terminal's
 * renderer. Spanish first. Everything shown goes through textContent (no markup from data).
 */
export const OPERATOR_PAGE = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Mostrador central</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:13px}#msg{color:#a00}#code{font:bold 20px monospace}</style></head>
<body><h1>Mostrador central</h1><p id="msg"></p>
<h2>Código de alta</h2>
<form id="codeForm"><label>Tienda (id, vacío: tienda nueva) <input name="storeId" size="38"></label>
<label>Nombre <input name="storeName" value="Tienda"></label> <button>Crear código</button></form><p id="code"></p>
<h2>Tiendas</h2><table id="stores"></table><h2>Dispositivos</h2><table id="devices"></table><h2>Alertas</h2><table id="alerts"></table>
<script>
const msg = (t) => { document.getElementById('msg').textContent = t; };
async function call(method, path, body) {
  const r = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await r.json();
  if (!r.ok) throw new Error(data.error ? data.error.message : r.status);
  return data;
}
function table(id, rows, columns, action) {
  const t = document.getElementById(id); t.replaceChildren();
  const head = t.insertRow(); for (const c of columns) { const th = document.createElement('th'); th.textContent = c[1]; head.appendChild(th); }
  for (const row of rows) {
    const tr = t.insertRow(); for (const c of columns) tr.insertCell().textContent = row[c[0]] == null ? '' : String(row[c[0]]);
    if (action) tr.insertCell().appendChild(action(row));
  }
}
async function load() {
  const [stores, devices, alerts] = await Promise.all([call('GET', '/admin/v1/stores'), call('GET', '/admin/v1/devices'), call('GET', '/admin/v1/alerts')]);
  table('stores', stores.stores, [['storeId', 'Tienda'], ['name', 'Nombre'], ['devices', 'Dispositivos'], ['events', 'Eventos']]);
  table('devices', devices.devices, [['storeId', 'Tienda'], ['deviceId', 'Dispositivo'], ['name', 'Nombre'], ['ackedSeq', 'Recibido hasta'], ['revokedAt', 'Revocado']], (d) => {
    const b = document.createElement('button'); b.textContent = 'Revocar'; b.disabled = !!d.revokedAt;
    b.onclick = () => confirm('¿Revocar ' + d.name + '?') && call('POST', '/admin/v1/devices/' + d.deviceId + '/revoke').then(load, (e) => msg(e.message));
    return b;
  });
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
  await load().catch((e) => msg(e.message + ' — pida un enlace nuevo: mostrador central'));
})();
</script></body></html>`;
