/**
 * Whether this node counts as online for the stock policy (SPEC R5): a standalone store always does; an enrolled
 * terminal does while its relay reports a connection. The relay (node/federation) sets the probe when it starts;
 * until one is set, the node counts as connected.
 */
let relayConnected: () => boolean = () => true;

export function setRelayProbe(probe: () => boolean): void {
  relayConnected = probe;
}

export const isOnline = (authority: 'self' | 'central'): boolean => authority === 'self' || relayConnected();
