/** The status screen's central-server panel (issue 14 item 11); Spanish is the reference, English fills the same keys. */
export const federationEs = {
  'ago.now': 'hace un momento',
  'ago.minutes': 'hace {n} min',
  'ago.hours': 'hace {n} h',
  'fed.centralAt': 'Servidor central: {url}',
  'fed.online.ago': 'En línea · último contacto {ago}',
  'fed.offline.ago': 'Sin conexión · último contacto {ago}. Las ventas se guardan en esta terminal y se envían solas cuando vuelve la red.',
  'fed.pending': 'Pendientes de enviar',
  'fed.reconcile': 'Conciliación con la central',
  'fed.reconcile.never': 'todavía no se hizo',
  'fed.reconcile.in-sync': 'todo coincide ({when})',
  'fed.reconcile.converged': 'faltaban operaciones y se completaron (recibidas: {pulled}, enviadas: {pushed}); ahora todo coincide ({when})',
  'fed.reconcile.stalled': 'hay operaciones que no coinciden con la central y no se corrigen solas: llamá a soporte ({when})',
  'fed.reconcile.failed': 'no se pudo completar, seguramente por la conexión; se vuelve a intentar sola ({when})',
  'fed.reconcile.skipped': 'no se hizo porque ya había otra en curso ({when})',
  'fed.reconcileNow': 'Conciliar ahora',
  'fed.working': 'Un momento, hablando con el servidor central…',
  'fed.reconcileHint':
    'Sincronizar envía y trae las novedades ya. Conciliar compara todas las operaciones de esta terminal con las del servidor central y completa las que falten; también se hace sola al reconectar y cada noche.',
} as const;

export const federationEn: Record<keyof typeof federationEs, string> = {
  'ago.now': 'a moment ago',
  'ago.minutes': '{n} min ago',
  'ago.hours': '{n} h ago',
  'fed.centralAt': 'Central server: {url}',
  'fed.online.ago': 'Online · last contact {ago}',
  'fed.offline.ago': 'Offline · last contact {ago}. Sales are saved on this terminal and sent by themselves when the network is back.',
  'fed.pending': 'Waiting to be sent',
  'fed.reconcile': 'Reconciliation with the central',
  'fed.reconcile.never': 'not done yet',
  'fed.reconcile.in-sync': 'everything matches ({when})',
  'fed.reconcile.converged': 'operations were missing and were completed (received: {pulled}, sent: {pushed}); everything matches now ({when})',
  'fed.reconcile.stalled': 'some operations do not match the central and cannot fix themselves: call support ({when})',
  'fed.reconcile.failed': 'could not finish, most likely because of the connection; it will try again by itself ({when})',
  'fed.reconcile.skipped': 'not done because another one was running ({when})',
  'fed.reconcileNow': 'Reconcile now',
  'fed.working': 'One moment, talking to the central server…',
  'fed.reconcileHint':
    'Sync sends and brings the news now. Reconcile compares every operation of this terminal with the central server and completes what is missing; it also runs by itself after reconnecting and every night.',
};
