import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../contracts/env';

/** Structured JSON logs (one logger per process); the request id is appended per invocation. */
export const logger = new Logger({ serviceName: process.env[ENV.serviceName] ?? 'storyline' });
