import { SUBSCRIBER_SEND_FAILED } from '../../contracts/log-messages';
import type { DigestContent, DigestPeriod } from '../../events/digest/compose';
import { digestStreamId } from '../../events/streams';
import type { EventStore } from '../adapters/event-store';
import { logger } from '../logger';
import { renderDigestHtml, renderDigestText } from '../render/digest';
import { feedPath } from '../links';
import { listUnsubscribeHeaders, manageLinks } from './links';
import { errorFields, sendMail } from './mail-errors';
import { narrowDigest } from './narrow';
import { SEND_WINDOW_SECONDS } from './send-ledger';
import type { SubscriptionDeps } from './service';
import type { Subscription } from './subscription-store';

/**
 * Each confirmed subscriber gets their part of a published digest, once: the send record
 * (send-ledger.ts) is claimed before the mail goes and kept once it went, so a retried or repeated
 * firing sends only what was not sent. One failing address gives its claim back (a retry sends it)
 * and never stops the others.
 *
 * A digest goes to those who were subscribed when it was published, within SEND_WINDOW_SECONDS of
 * that: a subscriber confirmed later (someone who erased and signed up again included, whose send
 * records went with the erasure) never gets it from a re-fired digest, and after the window no
 * firing sends it at all, which is what lets send records expire.
 */

/** What sending needs: the same as the sign-up routes, without their limits. */
export type DeliveryDeps = Omit<SubscriptionDeps, 'limits'>;

export interface PublishedDigest {
  digestId: string;
  period: DigestPeriod;
  content: DigestContent;
  /** When its DigestPublished event was recorded (ISO 8601). */
  publishedAt: string;
}

export type SendOutcome = 'sent' | 'empty' | 'already-sent' | 'not-subscribed' | 'too-late';
export interface DeliveryReport {
  sent: number;
  empty: number;
  alreadySent: number;
  /** Subscribers confirmed after the digest's publication, or a digest past its send window. */
  notSent: number;
  failed: number;
}

/** The digest as published (its DigestPublished event), so every copy renders what the feed shows. */
export const findDigest = async (events: EventStore, period: DigestPeriod, digestId: string): Promise<PublishedDigest | undefined> => {
  const published = (await events.readStream(digestStreamId(period))).find((e) => e.type === 'DigestPublished' && e.data.digestId === digestId);
  return published?.type === 'DigestPublished' ? { digestId, period, content: published.data.content as DigestContent, publishedAt: published.recordedAt } : undefined;
};

export const deliverToSubscriber = async (deps: DeliveryDeps, digest: PublishedDigest, subscription: Subscription): Promise<SendOutcome> => {
  const { sid, preferences } = subscription;
  if (subscription.status !== 'confirmed' || preferences?.period !== digest.period) return 'not-subscribed';
  const publishedAtMs = Date.parse(digest.publishedAt);
  if (Date.parse(subscription.confirmedAt) > publishedAtMs) return 'not-subscribed';
  const nowMs = deps.now().getTime();
  if (nowMs - publishedAtMs > SEND_WINDOW_SECONDS * 1000) return 'too-late';
  const part = narrowDigest(digest.content, preferences);
  if (!part) return 'empty';
  const claim = await deps.ledger.claimSend(sid, digest.digestId, nowMs, publishedAtMs);
  if (claim !== 'claimed') return claim;
  const links = { feedUrl: `${deps.baseUrl}${feedPath({ kind: 'digest', period: digest.period }, 'rss')}`, ...manageLinks(deps.baseUrl, await deps.keys(), sid, subscription.tokenVersion) };
  try {
    await sendMail(deps.mailer, {
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
    await deps.ledger.releaseSend(sid, digest.digestId);
    throw error;
  }
  // false when the subscriber was erased while the mail went: then nothing is kept
  await deps.ledger.markSent(sid, digest.digestId, deps.now().getTime());
  return 'sent';
};

/** Sends a digest to every confirmed subscriber of its period, a few at a time; failures are counted and logged by subscriber id and error name. */
export const deliverDigest = async (deps: DeliveryDeps, digest: PublishedDigest, concurrency = 16): Promise<DeliveryReport> => {
  const report: DeliveryReport = { sent: 0, empty: 0, alreadySent: 0, notSent: 0, failed: 0 };
  const count = { sent: 'sent', empty: 'empty', 'already-sent': 'alreadySent', 'not-subscribed': 'notSent', 'too-late': 'notSent' } as const;
  for await (const page of deps.subscriptions.confirmed(digest.period)) {
    let next = 0;
    const worker = async () => {
      while (next < page.length) {
        const subscription = page[next++] as Subscription;
        try {
          report[count[await deliverToSubscriber(deps, digest, subscription)]] += 1;
        } catch (error) {
          report.failed += 1;
          logger.error(SUBSCRIBER_SEND_FAILED, { sid: subscription.sid, digestId: digest.digestId, ...errorFields(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, worker));
  }
  return report;
};
