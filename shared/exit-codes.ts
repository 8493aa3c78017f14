/**
 * Exit codes of the local node that whoever started it acts on (Electron main, `npm start`'s launcher). A failed
 * fsync (74, EX_IOERR in sysexits.h) means the node could not make what it acknowledged durable: it stops and is
 * restarted, so it recovers from its log instead of answering from a state it could not persist.
 */
export const EXIT_FSYNC_FAILED = 74;
