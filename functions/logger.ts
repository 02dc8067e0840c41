import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (one logger per process); the request id is appended per invocation. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'storyline' });
