import pino, { DestinationStream, Logger } from 'pino';
import { currentRequestId } from './request-scope';

export type { Logger };

/**
 * Every line logged while the server answers an HTTP request carries its requestId (the
 * x-request-id it answered; src/common/request-scope.ts), whichever logger wrote it. A logger that
 * has a requestId of its own (a context's child logger, createContext) keeps it.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: (_obj, _level, logger) => {
      const requestId = currentRequestId();
      return requestId && !hasRequestId(logger) ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

const OWN_ID = Symbol('has a requestId binding');

/** A child logger bound to a request id; the mixin above then adds none of its own. */
export function requestLogger(parent: Logger, requestId: string): Logger {
  return Object.assign(parent.child({ requestId }), { [OWN_ID]: true });
}

const hasRequestId = (logger: object) => (logger as Record<symbol, unknown>)[OWN_ID] === true;
