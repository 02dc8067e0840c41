import { agreementsProjection, initialAgreements, type AgreementsModel } from '../../events/projections/agreements';
import { agreementsKey, timelineKey } from '../../events/projections/keys';
import { agreementsByStatus } from '../../events/projections/queries';
import type { TimelineModel } from '../../events/projections/timeline';
import { fold, summitStory } from '../support/projection-fixtures';

describe('the agreements projection', () => {
  const story = summitStory();
  const model = fold(story.events)<AgreementsModel>(agreementsKey('summit'));
  const byStatus = agreementsByStatus(model);

  it('keeps a signed MoU with its parties and sector', () => {
    expect(byStatus.signed).toEqual([
      expect.objectContaining({ id: 'steel-mou', kind: 'mou', status: 'signed', title: 'MoU on Pakistan Steel Mills', parties: ['russia', 'pakistan'], sector: 'steel', eventId: story.mou.id }),
    ]);
  });

  it('keeps a pledge with its amount range, purpose, parties and agreement, corrections applied', () => {
    expect(byStatus.pledged).toEqual([
      expect.objectContaining({
        id: 'steel-pledge',
        kind: 'pledge',
        status: 'pledged',
        parties: ['russia', 'pakistan'],
        purpose: 'Modernization of Pakistan Steel Mills',
        amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 },
        agreementId: 'steel-mou',
        headline: 'Russia pledges $300-500 million for Pakistan Steel Mills',
        topics: ['steel', 'energy'],
        corrections: [{ eventId: story.correction.id, note: 'The amount and who announced it were missing.', at: story.correction.reportedAt }],
      }),
    ]);
  });

  it('keeps an interest with its terms, marked when retracted', () => {
    expect(byStatus.interest).toEqual([
      expect.objectContaining({
        id: 'gazprom-pipeline',
        status: 'interest',
        parties: ['gazprom'],
        project: 'Iran-Pakistan gas pipeline',
        terms: 'Without bidding',
        retracted: { reason: 'The report was not confirmed.', at: story.retraction.reportedAt },
      }),
    ]);
  });

  it('keeps a stalled negotiation under its event id', () => {
    expect(byStatus.stalled).toEqual([expect.objectContaining({ id: story.stalled.id, status: 'stalled', title: 'Iran-Pakistan gas pipeline', parties: ['russia', 'pakistan'] })]);
  });

  it('orders items by when they occurred', () => {
    expect(model.items.map((item) => item.id)).toEqual([story.stalled.id, 'gazprom-pipeline', 'steel-mou', 'steel-pledge']);
  });

  it('asks for the document only for agreement events and corrections of them', () => {
    const before = (version: number) => fold(story.events.slice(0, version - 1))<TimelineModel>(timelineKey('summit'));
    expect(agreementsProjection.keysOf(story.pledge, undefined)).toEqual([agreementsKey('summit')]);
    expect(agreementsProjection.keysOf(story.planned, undefined)).toEqual([]);
    expect(agreementsProjection.keysOf(story.correction, before(story.correction.version))).toEqual([agreementsKey('summit')]);
    expect(agreementsProjection.keysOf(story.events[0]!, undefined)).toEqual([]);
    expect(agreementsProjection.initial(agreementsKey('summit'))).toEqual(initialAgreements('summit'));
  });
});
