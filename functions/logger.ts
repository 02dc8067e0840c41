import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../contracts/env';

/** Structured JSON logs (one logger per process); the request id is appended per invocation. */
export const logger = new Logger({ serviceName: process.env[ENV.serviceName] ?? 'storyline' });

/** What a log line says of a caught error: its message (a stack trace is noise in a structured log). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
