import { SUBSCRIBER_SEND_FAILED } from '../../contracts/log-messages';
import type { DigestContent, DigestPeriod } from '../../events/digest/compose';
import { digestStreamId } from '../../events/streams';
import type { EventStore } from '../adapters/event-store';
import { logger } from '../logger';
import { renderDigestHtml, renderDigestText } from '../render/digest';
import { listUnsubscribeHeaders, manageLinks } from './links';
import { narrowDigest } from './narrow';
import type { SubscriptionDeps } from './service';
import type { Subscription } from './store';

/**
 * Each confirmed subscriber gets their part of a published digest, once: the send record
 * (store.claimSend) is claimed before the mail goes and kept once it went, so a retried or repeated
 * firing sends only what was not sent. One failing address gives its claim back (a retry sends it)
 * and never stops the others.
 */

/** What sending needs: the same as the sign-up routes, without their limits. */
export type DeliveryDeps = Omit<SubscriptionDeps, 'limits'>;

export interface PublishedDigest {
  digestId: string;
  period: DigestPeriod;
  content: DigestContent;
}

export type SendOutcome = 'sent' | 'empty' | 'already-sent' | 'not-subscribed';
export interface DeliveryReport {
  sent: number;
  empty: number;
  alreadySent: number;
  failed: number;
}

/** The digest as published (its DigestPublished event), so every copy renders what the feed shows. */
export const findDigest = async (events: EventStore, period: DigestPeriod, digestId: string): Promise<PublishedDigest | undefined> => {
  const published = (await events.readStream(digestStreamId(period))).find((e) => e.type === 'DigestPublished' && e.data.digestId === digestId);
  return published?.type === 'DigestPublished' ? { digestId, period, content: published.data.content as DigestContent } : undefined;
};

export const deliverToSubscriber = async (deps: DeliveryDeps, digest: PublishedDigest, subscription: Subscription): Promise<SendOutcome> => {
  const { sid, preferences } = subscription;
  if (subscription.status !== 'confirmed' || preferences?.period !== digest.period) return 'not-subscribed';
  const part = narrowDigest(digest.content, preferences);
  if (!part) return 'empty';
  const nowMs = deps.now().getTime();
  if (!(await deps.store.claimSend(sid, digest.digestId, nowMs))) return 'already-sent';
  const links = { feedUrl: `${deps.baseUrl}/digests/${digest.period}/feed.rss`, ...manageLinks(deps.baseUrl, await deps.key(), sid, nowMs) };
  try {
    await deps.mailer.send({
      to: [subscription.email],
      subject: part.title,
      text: renderDigestText(part, links),
      html: renderDigestHtml(part, links),
      date: new Date(digest.content.window.end),
      // SES replaces it; the send record, not this header, is what prevents a second copy
      messageId: `${digest.digestId}.${sid}@storyline`,
      headers: listUnsubscribeHeaders(links.unsubscribeUrl),
    });
  } catch (error) {
    await deps.store.releaseSend(sid, digest.digestId);
    throw error;
  }
  await deps.store.markSent(sid, digest.digestId, deps.now().getTime());
  return 'sent';
};

/** Sends a digest to every confirmed subscriber of its period, a few at a time; failures are counted and logged by subscriber id. */
export const deliverDigest = async (deps: DeliveryDeps, digest: PublishedDigest, concurrency = 16): Promise<DeliveryReport> => {
  const report: DeliveryReport = { sent: 0, empty: 0, alreadySent: 0, failed: 0 };
  const count = { sent: 'sent', empty: 'empty', 'already-sent': 'alreadySent', 'not-subscribed': 'empty' } as const;
  for await (const page of deps.store.confirmed(digest.period)) {
    let next = 0;
    const worker = async () => {
      while (next < page.length) {
        const subscription = page[next++] as Subscription;
        try {
          report[count[await deliverToSubscriber(deps, digest, subscription)]] += 1;
        } catch (error) {
          report.failed += 1;
          logger.error(SUBSCRIBER_SEND_FAILED, { sid: subscription.sid, digestId: digest.digestId, error: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, worker));
  }
  return report;
};
