import { logger } from '../logger';
import type { SubscriptionStore } from './subscription-store';
import { subscriberIdOf, type SubscriptionKeys } from './tokens';

/**
 * SES feedback (a configuration set's event destination, through SNS): a permanent bounce or a
 * complaint erases the subscriber, so that no more mail goes to that address. Transient bounces
 * change nothing (SES retried already; the next digest tries again).
 */
export interface SesNotification {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

/** The addresses a notification says to stop mailing. */
export const addressesToStop = (notification: SesNotification): string[] => {
  const type = notification.eventType ?? notification.notificationType;
  if (type === 'Bounce' && notification.bounce?.bounceType === 'Permanent') return (notification.bounce.bouncedRecipients ?? []).flatMap((r) => (r.emailAddress ? [r.emailAddress] : []));
  if (type === 'Complaint') return (notification.complaint?.complainedRecipients ?? []).flatMap((r) => (r.emailAddress ? [r.emailAddress] : []));
  return [];
};

export const stopMailTo = async (store: SubscriptionStore, keys: SubscriptionKeys, notification: SesNotification): Promise<number> => {
  let stopped = 0;
  for (const address of addressesToStop(notification)) {
    // a recipient may be written `Name <address>`
    const sid = subscriberIdOf(keys, /<([^<>]+)>\s*$/.exec(address)?.[1] ?? address);
    const items = await store.erase(sid);
    logger.info('subscriber erased after SES feedback', { sid, type: notification.eventType ?? notification.notificationType, items });
    stopped += 1;
  }
  return stopped;
};
