// pino-roll ships no types; this is the part of its API the node uses (see node/log.ts).
declare module 'pino-roll' {
  import type SonicBoom from 'sonic-boom';

  interface PinoRollOptions {
    file: string;
    size?: string | number;
    extension?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }
  export default function roll(options: PinoRollOptions): Promise<SonicBoom>;
}
