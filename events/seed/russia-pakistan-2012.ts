import type { DateSpan, Source } from '../catalog/development';
import type { EventData, EventType } from '../catalog/events';
import type { RecordCommand, StoryEvent } from '../story/decider';

/**
 * The first story, from the (untitled) article that opens "In an unprecedented exchange between
 * Russia and Pakistan": Russia and Pakistan in September and October 2012. Every development the article reports, dated only as precisely as the article
 * dates it, with the article's own words as sources. The event ids are fixed, so seeding twice
 * adds nothing.
 *
 * Dating: the article is undated; it calls General Kayani's arrival in Moscow on 4 October 2012
 * "last week", so it was written in the week after (from 8 October 2012). Its "last week" for the
 * cancellation of Mr Putin's trip can therefore fall in late September or early October, and
 * developments it does not date at all carry only their year.
 */

/** Where the article speaks in its own voice rather than citing an outlet. */
export const ARTICLE_OUTLET = 'Article (source text)';
const DAWN = 'Dawn';
const THE_NATION = 'The Nation';
const PAKISTAN_OBSERVER = 'Pakistan Observer';
const MILITARY_STATEMENT = 'Pakistan military (statement)';

const event = <K extends EventType>(id: string, type: K, data: EventData<K>): StoryEvent => ({ id, type, data }) as StoryEvent;
const source = (outlet: string, quote: string): Source => ({ outlet, quote });

const year2012: DateSpan = { start: '2012', precision: 'year' };
/** "last week", seen from an article written in the week after 4 October 2012. */
const lastWeek: DateSpan = { start: '2012-09', end: '2012-10', precision: 'month' };
const october2012: DateSpan = { start: '2012-10', precision: 'month' };

const storyId = 'russia-pakistan-2012';

const opened = event('5ed16ca7-ac0e-4d33-a593-e920d088dbca', 'StoryOpened', {
  storyId,
  title: 'Russia and Pakistan, September-October 2012: Putin stays away, Lavrov and Kayani visit',
  summary:
    'President Putin cancelled his trip to the Quadrilateral Summit planned in Islamabad for 2-3 October 2012. Foreign Minister Lavrov came to Islamabad to reassure Pakistan, while Pakistan\'s army chief, General Kayani, visited Moscow. Around them: MoUs on steel, railways and energy, Russian pledges for Pakistan Steel Mills and the New Jamshoro Power Plant, Russian interest in CASA-1000 and other projects, no progress on the Iran-Pakistan gas pipeline, and defense ties built since 2011.',
  topics: ['diplomacy', 'defense', 'energy', 'railways', 'steel', 'pipeline', 'summit'],
});

const actors: StoryEvent[] = [
  event('5f87867a-1f79-4d23-bafb-4635adb8483e', 'ActorIdentified', {
    actorId: 'putin',
    name: 'Vladimir Putin',
    aliases: ['Putin', 'President Putin', 'Mr Putin', 'Russian President Vladimir Putin'],
    kind: 'person',
    role: 'President of Russia',
    country: 'Russia',
  }),
  event('31b58268-5fe9-4d39-96fc-5c7a5dd4f8ac', 'ActorIdentified', {
    actorId: 'lavrov',
    name: 'Sergey Lavrov',
    aliases: ['Lavrov', 'Mr Lavrov', 'Russian Foreign Minister Sergey Lavrov'],
    kind: 'person',
    role: 'Foreign Minister of Russia',
    country: 'Russia',
  }),
  event('fb4b0493-df12-461c-8dae-7cd044fe414d', 'ActorIdentified', {
    actorId: 'kayani',
    name: 'Ashfaq Kayani',
    aliases: [
      'Kayani',
      'General Kayani',
      'General Ashfaq Kayani',
      'Kiani',
      'Ashfaq Pervez Kiani',
      'General Ashfaq Pervez Kiani',
      'Ashfaq Parvez Kayani',
    ],
    kind: 'person',
    role: 'Chief of Army Staff (COAS), Pakistan Army',
    country: 'Pakistan',
  }),
  event('978c973c-b541-4b8d-b48e-dc149cfba5a4', 'ActorIdentified', {
    actorId: 'khar',
    name: 'Hina Rabbani Khar',
    aliases: ['Khar', 'Foreign Minister Khar'],
    kind: 'person',
    role: 'Foreign Minister of Pakistan',
    country: 'Pakistan',
  }),
  event('876af4bc-3656-4b0c-94f0-3ae6740e0d2a', 'ActorIdentified', {
    actorId: 'zardari',
    name: 'Asif Ali Zardari',
    aliases: ['Zardari', 'President Zardari'],
    kind: 'person',
    role: 'President of Pakistan',
    country: 'Pakistan',
  }),
  event('c29df30d-f477-48cd-b783-8a6dcb538534', 'ActorIdentified', {
    actorId: 'makarov',
    name: 'Nikolai Makarov',
    aliases: ['Makarov', 'General Makarov'],
    kind: 'person',
    role: 'Chief of General Staff (CGS), Russian Federation Armed Forces',
    country: 'Russia',
  }),
  event('5d27d625-ef60-4473-9057-b6a0fa206801', 'ActorIdentified', {
    actorId: 'postnikov',
    name: 'Alexander Postnikov',
    aliases: ['Postnikov', 'Col-Gen Alexander Postnikov'],
    kind: 'person',
    role: 'Colonel General, Russian military chief',
    country: 'Russia',
  }),
  event('0cd50e48-04dd-42c8-8885-466aa07352d8', 'ActorIdentified', {
    actorId: 'tahir-rafique-butt',
    name: 'Tahir Rafique Butt',
    aliases: ['Air Chief Marshal Tahir Rafique Butt', 'Butt'],
    kind: 'person',
    role: 'Air Chief Marshal, Pakistan Air Force',
    country: 'Pakistan',
  }),
  event('14be4c7a-5009-41fc-b537-23ced4469184', 'ActorIdentified', {
    actorId: 'russia',
    name: 'Russia',
    aliases: ['Russian Federation', 'Moscow'],
    kind: 'country',
  }),
  event('a2d1bc48-50fa-4034-99d6-581327e5d171', 'ActorIdentified', {
    actorId: 'pakistan',
    name: 'Pakistan',
    aliases: ['Islamabad'],
    kind: 'country',
  }),
  event('d180baee-98b0-42d2-93b0-a21bf0556209', 'ActorIdentified', { actorId: 'tajikistan', name: 'Tajikistan', aliases: [], kind: 'country' }),
  event('76dc201f-d03c-4b26-9ed1-673da126b0c2', 'ActorIdentified', { actorId: 'afghanistan', name: 'Afghanistan', aliases: [], kind: 'country' }),
  event('0efc70a7-6d6e-45d2-9124-ff132c8fcaf5', 'ActorIdentified', { actorId: 'kyrgyzstan', name: 'Kyrgyzstan', aliases: [], kind: 'country' }),
  event('0ca3bf21-133c-41d5-a17f-5292748257ee', 'ActorIdentified', { actorId: 'iran', name: 'Iran', aliases: [], kind: 'country' }),
  event('4ba27d48-8676-43a6-bf24-dd5a8699fb8b', 'ActorIdentified', {
    actorId: 'united-states',
    name: 'United States',
    aliases: ['US'],
    kind: 'country',
  }),
  event('2634fb4b-0737-48de-a25a-cf299a5c0aab', 'ActorIdentified', {
    actorId: 'gazprom',
    name: 'Gazprom',
    aliases: [],
    kind: 'organisation',
    role: "Russia's state-controlled energy company",
    country: 'Russia',
  }),
  event('8d346ff8-3ce0-4471-8498-205c0b1c698a', 'ActorIdentified', {
    actorId: 'pakistan-military',
    name: 'Pakistan military',
    aliases: ['Pakistan Army', 'Inter-Services Public Relations', 'ISPR'],
    kind: 'organisation',
    role: "Pakistan's armed forces, whose statement reported General Kayani's meeting with General Makarov",
    country: 'Pakistan',
  }),
  event('28a09c4e-64ad-4b4d-a0de-d99ba5a2fa8d', 'ActorIdentified', {
    actorId: 'russian-armed-forces',
    name: 'Russian Federation Armed Forces',
    aliases: ['Russian armed forces'],
    kind: 'organisation',
    country: 'Russia',
  }),
  event('19dc14e6-1f0e-4651-9d71-d20b7a88bc1c', 'ActorIdentified', {
    actorId: 'pakistan-steel-mills',
    name: 'Pakistan Steel Mills',
    aliases: [],
    kind: 'organisation',
    role: 'Steel producer, to be modernized and expanded with Russian assistance',
    country: 'Pakistan',
  }),
  event('23f1d4c2-1227-4f31-99b1-591423d93873', 'ActorIdentified', {
    actorId: 'dawn',
    name: 'Dawn',
    aliases: ['the daily Dawn'],
    kind: 'outlet',
    role: 'Pakistani daily newspaper',
    country: 'Pakistan',
  }),
  event('f75da9f1-8daa-4cec-a632-9aa4deb45d0f', 'ActorIdentified', {
    actorId: 'the-nation',
    name: 'The Nation',
    aliases: ['the daily Nation', 'Nation'],
    kind: 'outlet',
    role: 'Pakistani daily newspaper',
    country: 'Pakistan',
  }),
  event('859148f1-d59a-4c26-afe9-941892cc163d', 'ActorIdentified', {
    actorId: 'pakistan-observer',
    name: 'Pakistan Observer',
    aliases: [],
    kind: 'outlet',
    role: 'Pakistani daily newspaper',
    country: 'Pakistan',
  }),
];

/** The developments, roughly in the order they happened. */
const developments: StoryEvent[] = [
  // Defense ties before the story: Postnikov in Pakistan (May 2011), Butt in Moscow (August 2012).
  event('b9be2a31-2299-4d39-9967-bca9b031a8cc', 'VisitTookPlace', {
    visitId: 'postnikov-pakistan-2011-05',
    visitors: ['postnikov'],
    destination: 'Pakistan',
    headline: 'Russian military chief Col-Gen Alexander Postnikov visits Pakistan',
    summary:
      "Col-Gen Alexander Postnikov, Russia's military chief, visited Pakistan in May 2011. The article says his visit initiated the strengthening of military-to-military relations that General Kayani's visit to Moscow in October 2012 is poised to carry forward.",
    occurred: { start: '2011-05', precision: 'month' },
    actors: ['postnikov', 'russia', 'pakistan'],
    places: ['Pakistan'],
    topics: ['defense', 'diplomacy'],
    sources: [
      source(
        ARTICLE_OUTLET,
        "General Kayani's visit is poised to carry forward the strengthening of military-to-military relations initiated by Russian Military Chief Col-Gen Alexander Postnikov's visit to Pakistan in May last year.",
      ),
    ],
    confidence: 'confirmed',
  }),
  event('cd09064c-51c3-47b9-96dc-11c11f67a2a8', 'InterestExpressed', {
    interestId: 'postnikov-expanded-defense-ties',
    party: 'postnikov',
    project: 'Expanded Russia-Pakistan defense ties',
    terms: 'Joint military exercises, exchanges of trainees and trainers, and the sale and purchase of weapons',
    headline: 'Postnikov proposes joint exercises, trainee exchanges and arms trade with Pakistan',
    summary:
      'During his visit to Pakistan in May 2011, Col-Gen Alexander Postnikov proposed the possibility of expanding defense ties by holding joint military exercises, exchanging trainees and trainers, and selling and buying weapons.',
    occurred: { start: '2011-05', precision: 'month' },
    actors: ['postnikov', 'russia', 'pakistan'],
    places: ['Pakistan'],
    topics: ['defense'],
    sources: [
      source(
        ARTICLE_OUTLET,
        'He had proposed the possibility of expanding defense ties by holding joint military exercises, exchanging trainees and trainers and selling and buying weapons.',
      ),
    ],
    confidence: 'confirmed',
  }),
  event('007a1e3d-c321-47d5-8669-76e043c89b2f', 'VisitTookPlace', {
    visitId: 'butt-moscow-2012-08',
    visitors: ['tahir-rafique-butt'],
    destination: 'Moscow',
    headline: 'Air Chief Marshal Tahir Rafique Butt visits Moscow',
    summary:
      "Pakistan's Air Chief Marshal Tahir Rafique Butt visited Moscow in August 2012. His visit has been reported as a significant development towards greater cooperation with Russia in defense, particularly in air defense.",
    occurred: { start: '2012-08', precision: 'month' },
    actors: ['tahir-rafique-butt', 'pakistan', 'russia'],
    places: ['Moscow'],
    topics: ['defense', 'diplomacy'],
    sources: [
      source(ARTICLE_OUTLET, "Likewise, Pakistan's Air Chief Marshal Tahir Rafique Butt visited Moscow in August."),
      source(
        ARTICLE_OUTLET,
        'His visit has been reported as a significant development towards greater cooperation with Russia in the field of defense, particularly in air defense.',
      ),
    ],
    confidence: 'confirmed',
  }),

  // Plans of 2012.
  event('fcab1798-1d1d-4c6d-bf02-09529cc3d15a', 'VisitPlanned', {
    visitId: 'lavrov-islamabad-2012',
    visitors: ['lavrov'],
    destination: 'Islamabad',
    scheduled: year2012,
    purpose: 'A visit to Pakistan at the invitation of Foreign Minister Khar',
    headline: 'Foreign Minister Khar invites Sergey Lavrov to Pakistan',
    summary:
      "Pakistan's Foreign Minister Khar invited Russia's Foreign Minister Sergey Lavrov to Pakistan earlier in 2012. The article gives no date for the visit as first planned.",
    occurred: year2012,
    actors: ['lavrov', 'khar', 'russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['diplomacy'],
    sources: [source(ARTICLE_OUTLET, 'Mr Lavrov was invited by Foreign Minister Khar earlier this year')],
    confidence: 'confirmed',
  }),
  event('4c1ffadb-3590-4028-96d1-b46b787b7212', 'VisitPlanned', {
    visitId: 'putin-quadrilateral-summit-islamabad-2012',
    visitors: ['putin'],
    destination: 'Islamabad',
    scheduled: { start: '2012-10-02', end: '2012-10-03', precision: 'day' },
    purpose: 'To attend the Quadrilateral Summit of Pakistan, Russia, Tajikistan and Afghanistan',
    headline: 'President Putin to attend the Quadrilateral Summit in Islamabad on 2-3 October 2012',
    summary:
      'President Putin was to travel to Pakistan for the Quadrilateral Summit of Pakistan, Russia, Tajikistan and Afghanistan, planned in Islamabad from 2 to 3 October 2012. The article does not say when the trip was arranged.',
    occurred: year2012,
    actors: ['putin', 'russia', 'pakistan', 'tajikistan', 'afghanistan'],
    places: ['Islamabad'],
    topics: ['diplomacy', 'summit'],
    sources: [
      source(
        ARTICLE_OUTLET,
        "President Putin's trip to Pakistan to attend the Quadrilateral Summit (Pakistan, Russia, Tajikistan and Afghanistan), which was planned in Islamabad from 2-3 October 2012.",
      ),
    ],
    confidence: 'confirmed',
  }),

  // Energy: the Inter-Governmental Commission, Gazprom and the Iran-Pakistan pipeline.
  event('aaab0adc-b2e9-4344-ba09-015e9f32cb4f', 'MeetingHeld', {
    meetingId: 'pak-russia-igc-2012-09-10',
    participants: ['russia', 'pakistan', 'gazprom'],
    place: 'Not stated in the article',
    outcome: 'Gazprom representatives gave a presentation on the Iran-Pakistan gas pipeline.',
    headline: 'Russian deputy energy minister and Gazprom attend the Pak-Russia Inter-Governmental Commission',
    summary:
      "Russia's deputy minister for energy and representatives of Gazprom attended the Pak-Russia Inter-Governmental Commission on 10 September 2012, where the Gazprom representatives gave a presentation on the Iran-Pakistan gas pipeline.",
    occurred: { start: '2012-09-10', precision: 'day' },
    actors: ['russia', 'pakistan', 'gazprom'],
    places: [],
    topics: ['energy', 'pipeline', 'diplomacy'],
    sources: [
      source(
        ARTICLE_OUTLET,
        "Russia 's deputy minister for energy and representatives of leading energy giant Gazprom had attended the Pak-Russia Inter-Governmental Commission on 10th September.",
      ),
      source(ARTICLE_OUTLET, 'In the meeting, Gazprom representatives had given a presentation on the pipeline'),
    ],
    confidence: 'confirmed',
  }),
  event('5703d64b-88b5-4482-b9d9-1e9c020d934e', 'MeetingHeld', {
    meetingId: 'gazprom-zardari-2012',
    participants: ['gazprom', 'zardari'],
    place: 'Not stated in the article',
    outcome: 'Gazprom representatives reiterated their interest in the Iran-Pakistan gas pipeline.',
    headline: 'Gazprom reiterates its pipeline interest to President Zardari',
    summary:
      'Gazprom representatives reiterated their interest in the Iran-Pakistan gas pipeline during a meeting with President Zardari. The article mentions the meeting with the Inter-Governmental Commission of 10 September 2012 but does not date it.',
    occurred: year2012,
    actors: ['gazprom', 'zardari', 'russia', 'pakistan'],
    places: [],
    topics: ['energy', 'pipeline'],
    sources: [source(ARTICLE_OUTLET, 'reiterated the interest during a meeting with President Zardari')],
    confidence: 'confirmed',
  }),
  event('981d6aea-3482-449b-b615-b8d97afa11a5', 'InterestExpressed', {
    interestId: 'gazprom-iran-pakistan-pipeline',
    party: 'russia',
    project: 'Iran-Pakistan gas pipeline',
    terms: 'The contract for building it to go to Gazprom without going through the procedure of bidding',
    headline: 'Russia wants Gazprom to build the Iran-Pakistan gas pipeline without bidding',
    summary:
      "According to a story in a section of the Pakistani media, reported by Pakistan Observer, Russia wanted its state-controlled Gazprom to be given the contract for building the Iran-Pakistan gas pipeline without going through the procedure of bidding. The article later describes the visiting Russian delegation as wanting to get the project without bidding.",
    occurred: year2012,
    actors: ['russia', 'gazprom', 'pakistan', 'iran', 'pakistan-observer'],
    places: [],
    topics: ['energy', 'pipeline'],
    sources: [
      source(
        PAKISTAN_OBSERVER,
        'Section of Pakistan media came out with the story that Russia wanted that its state-controlled Gazprom be given the contract for building Iran-Pakistan gas pipeline without going through the procedure of bidding.',
      ),
      source(ARTICLE_OUTLET, 'No firm commitments were given to the Russian delegation that wanted to get the project without bidding.'),
    ],
    confidence: 'reported',
  }),

  // The high-powered delegation: MoUs in three sectors, and the pledges made under them.
  event('468e18b2-b099-496a-a9a3-93fd649731ad', 'VisitTookPlace', {
    visitId: 'russian-delegation-islamabad-2012',
    visitors: ['russia'],
    destination: 'Islamabad',
    headline: 'A high-powered Russian delegation comes to Islamabad and signs MoUs',
    summary:
      'A high-powered Russian delegation came to Islamabad and signed memorandums of understanding in three sectors of the Pakistani economy. The Nation counts it among three visits that went ahead as scheduled; the article does not date it.',
    occurred: year2012,
    actors: ['russia', 'pakistan', 'the-nation'],
    places: ['Islamabad'],
    topics: ['diplomacy', 'steel', 'railways', 'energy'],
    sources: [
      source(
        THE_NATION,
        'First, it was a high-powered delegation that came to Islamabad and signed memorandums of understanding about three important sectors of our economy',
      ),
    ],
    confidence: 'confirmed',
  }),
  event('de42c437-9db0-43ca-804d-d0c77696c107', 'AgreementSigned', {
    agreementId: 'mou-pakistan-steel-mills',
    kind: 'mou',
    title: 'MoU on the expansion and modernization of Pakistan Steel Mills',
    parties: ['russia', 'pakistan'],
    sector: 'steel',
    headline: 'Russia and Pakistan sign an MoU on modernizing Pakistan Steel Mills',
    summary: 'The high-powered Russian delegation in Islamabad signed a memorandum of understanding on the expansion and modernization of Pakistan Steel Mills.',
    occurred: year2012,
    actors: ['russia', 'pakistan', 'pakistan-steel-mills'],
    places: ['Islamabad'],
    topics: ['steel'],
    sources: [source(THE_NATION, 'expansion and modernization of Pakistan Steel Mills')],
    confidence: 'confirmed',
  }),
  event('830e91b2-fb5a-4569-bce0-459788309679', 'AgreementSigned', {
    agreementId: 'mou-railways',
    kind: 'mou',
    title: 'MoU on cooperation in the Railways',
    parties: ['russia', 'pakistan'],
    sector: 'railways',
    headline: 'Russia and Pakistan sign an MoU on railway cooperation',
    summary: 'The high-powered Russian delegation in Islamabad signed a memorandum of understanding on cooperation in the railways.',
    occurred: year2012,
    actors: ['russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['railways'],
    sources: [source(THE_NATION, 'cooperation in the Railways')],
    confidence: 'confirmed',
  }),
  event('14e67a59-1f95-4dbc-a794-2c9a4ee5c698', 'AgreementSigned', {
    agreementId: 'mou-energy',
    kind: 'mou',
    title: 'MoU on cooperation in energy',
    parties: ['russia', 'pakistan'],
    sector: 'energy',
    headline: 'Russia and Pakistan sign an MoU on energy cooperation',
    summary: 'The high-powered Russian delegation in Islamabad signed a memorandum of understanding on cooperation in energy.',
    occurred: year2012,
    actors: ['russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['energy'],
    sources: [source(THE_NATION, 'cooperation in the Railways and in energy')],
    confidence: 'confirmed',
  }),
  event('8bd36708-c07e-40b8-8948-117cab51448f', 'AssistancePledged', {
    pledgeId: 'pakistan-steel-mills-modernization',
    from: 'russia',
    to: 'pakistan',
    purpose: 'Modernization and expansion of Pakistan Steel Mills',
    amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 },
    agreementId: 'mou-pakistan-steel-mills',
    headline: 'Russia to provide $300-500 million for Pakistan Steel Mills',
    summary: 'Under the MoUs, Russia will provide assistance of $300 million to $500 million for the modernization and expansion of Pakistan Steel Mills.',
    occurred: year2012,
    actors: ['russia', 'pakistan', 'pakistan-steel-mills'],
    places: [],
    topics: ['steel'],
    sources: [
      source(ARTICLE_OUTLET, 'Under the MoUs, Russia will provide assistance of $300 to $500 million for the modernization and expansion of Pakistan Steel Mills.'),
    ],
    confidence: 'confirmed',
  }),
  event('68d6f431-8b2a-43fd-9cdf-cae286527925', 'AssistancePledged', {
    pledgeId: 'new-jamshoro-power-plant',
    from: 'russia',
    to: 'pakistan',
    purpose: 'Help in constructing the New Jamshoro Power Plant',
    capacity: { value: 500, unit: 'MW' },
    agreementId: 'mou-energy',
    headline: 'Russia to help build the 500 MW New Jamshoro Power Plant',
    summary: 'Under the MoUs, Russia will also help in constructing the New Jamshoro Power Plant of 500 MW capacity.',
    occurred: year2012,
    actors: ['russia', 'pakistan'],
    places: ['Jamshoro'],
    topics: ['energy'],
    sources: [source(ARTICLE_OUTLET, 'It will also help in constructing New Jamshoro Power Plant of 500MW capacity.')],
    confidence: 'confirmed',
  }),
  event('3ff17111-6d4c-4762-92f5-6cb4424f731c', 'NegotiationStalled', {
    project: 'Iran-Pakistan gas pipeline',
    parties: ['russia', 'pakistan'],
    headline: 'No progress on the Iran-Pakistan pipeline in talks with a Russian delegation',
    summary:
      'There was no progress on the Iran-Pakistan pipeline project during the talks held with a visiting Russian delegation, and no firm commitments were given to the delegation, which wanted to get the project without bidding. The article does not date the talks.',
    occurred: year2012,
    actors: ['russia', 'pakistan', 'gazprom'],
    places: [],
    topics: ['energy', 'pipeline'],
    sources: [
      source(ARTICLE_OUTLET, 'However, there was no progress on the Iran-Pakistan pipeline project during the talks held with a visiting Russian delegation.'),
      source(ARTICLE_OUTLET, 'No firm commitments were given to the Russian delegation that wanted to get the project without bidding.'),
    ],
    confidence: 'confirmed',
  }),

  // Russia's other interests.
  event('b7205f2e-c738-4899-ba14-34696799baa6', 'InterestExpressed', {
    interestId: 'russia-casa-1000',
    party: 'russia',
    project: 'CASA-1000: Central Asia-South Asia electricity transmission from Kyrgyzstan and Tajikistan to Afghanistan and Pakistan',
    headline: 'Russia interested in the CASA-1000 electricity transmission project',
    summary:
      'Russia is interested in the Central Asia-South Asia electricity transmission from Kyrgyzstan and Tajikistan to Afghanistan and Pakistan (CASA-1000).',
    occurred: year2012,
    actors: ['russia', 'kyrgyzstan', 'tajikistan', 'afghanistan', 'pakistan'],
    places: [],
    topics: ['energy'],
    sources: [
      source(
        ARTICLE_OUTLET,
        'Russia is also interested in the Central Asia-South Asia electricity transmission from Kyrgyzstan and Tajikistan to Afghanistan and Pakistan (CASA-1000)',
      ),
      source(ARTICLE_OUTLET, 'Russia is interested in Tarbela-4, Keyal Khwar and CASA-1000 projects as well.'),
    ],
    confidence: 'confirmed',
  }),
  event('24f9a1b1-8b77-44c8-891e-fc1abc3850a9', 'InterestExpressed', {
    interestId: 'russia-tajikistan-pakistan-rail-and-roads',
    party: 'russia',
    project: 'Rail tracks and motor roads from Tajikistan to Pakistan',
    terms: 'To create new trade routes in the region',
    headline: 'Russia interested in building rail tracks and motor roads from Tajikistan to Pakistan',
    summary: 'Russia is interested in the construction of rail tracks and motor roads from Tajikistan to Pakistan to create new trade routes in the region.',
    occurred: year2012,
    actors: ['russia', 'tajikistan', 'pakistan'],
    places: [],
    topics: ['railways', 'roads', 'trade'],
    sources: [
      source(ARTICLE_OUTLET, 'the construction of rail tracks and motor roads from Tajikistan to Pakistan to create new trade routes in the region.'),
    ],
    confidence: 'confirmed',
  }),
  event('ec20576f-227b-4361-bc85-c12cbcce2d7d', 'InterestExpressed', {
    interestId: 'russia-tarbela-4',
    party: 'russia',
    project: 'Tarbela-4',
    headline: 'Russia interested in the Tarbela-4 project',
    summary: 'Russia is interested in the Tarbela-4 project.',
    occurred: year2012,
    actors: ['russia', 'pakistan'],
    places: ['Tarbela'],
    topics: ['energy'],
    sources: [source(ARTICLE_OUTLET, 'Russia is interested in Tarbela-4, Keyal Khwar and CASA-1000 projects as well.')],
    confidence: 'confirmed',
  }),
  event('daafcc54-a7bf-48d5-b600-029cbd2bdbf2', 'InterestExpressed', {
    interestId: 'russia-keyal-khwar',
    party: 'russia',
    project: 'Keyal Khwar',
    headline: 'Russia interested in the Keyal Khwar project',
    summary: 'Russia is interested in the Keyal Khwar project.',
    occurred: year2012,
    actors: ['russia', 'pakistan'],
    places: ['Keyal Khwar'],
    topics: ['energy'],
    sources: [source(ARTICLE_OUTLET, 'Russia is interested in Tarbela-4, Keyal Khwar and CASA-1000 projects as well.')],
    confidence: 'confirmed',
  }),

  // Putin stays away; Lavrov comes instead.
  event('a9b58cfb-14f8-4a76-a424-bac5fa7cd34a', 'VisitCancelled', {
    visitId: 'putin-quadrilateral-summit-islamabad-2012',
    headline: "President Putin cancels his trip to the Quadrilateral Summit in Islamabad",
    summary:
      'President Putin opted against traveling to Islamabad for the Quadrilateral Summit of 2-3 October 2012. The article dates the cancellation only as "last week", seen from early October 2012; apparently it shocked the Pakistani government, which had invested significantly in rebuilding the relationship with Russia after decades of mistrust and acrimony.',
    occurred: lastWeek,
    actors: ['putin', 'russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['diplomacy', 'summit'],
    sources: [
      source(ARTICLE_OUTLET, "last week's cancellation of President Putin's trip to Pakistan to attend the Quadrilateral Summit"),
      source(ARTICLE_OUTLET, 'Mr Putin opted against traveling to Islamabad'),
      source(
        ARTICLE_OUTLET,
        'The cancellation, apparently, shocked the government which had significantly invested in rebuilding relationship with Russia after decades of mistrust and acrimony.',
      ),
    ],
    confidence: 'confirmed',
  }),
  event('c0df0987-76d4-451e-8e17-f5413fd67ab0', 'VisitRescheduled', {
    visitId: 'lavrov-islamabad-2012',
    scheduled: october2012,
    headline: "Lavrov's visit to Islamabad is brought forward after Putin's cancellation",
    summary: "The dates of Foreign Minister Lavrov's trip to Pakistan had to be pulled up after President Putin opted against traveling to Islamabad.",
    occurred: lastWeek,
    actors: ['lavrov', 'putin', 'russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['diplomacy'],
    sources: [source(ARTICLE_OUTLET, 'but dates for his trip had to be pulled up after Mr Putin opted against traveling to Islamabad.')],
    confidence: 'confirmed',
  }),
  event('920533e4-d5e0-46f9-8116-099604006e4b', 'VisitTookPlace', {
    visitId: 'lavrov-islamabad-2012',
    headline: 'Sergey Lavrov visits Islamabad to reassure Pakistan',
    summary:
      "Russia's Foreign Minister Sergey Lavrov made an unscheduled visit to Islamabad in October 2012, at the same time as General Kayani's visit to Russia, to reassure Pakistan's leadership that President Putin remained committed to resetting ties despite the cancellation of his visit.",
    occurred: october2012,
    actors: ['lavrov', 'putin', 'russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['diplomacy'],
    sources: [
      source(ARTICLE_OUTLET, 'Russian Foreign Minister Sergey Lavrov visited Islamabad last week'),
      source(
        ARTICLE_OUTLET,
        "Lavrov's unscheduled visit was to reassure Pakistani leader-ship that President Putin remained committed to resetting ties despite cancellation of his visit.",
      ),
    ],
    confidence: 'confirmed',
  }),

  // Kayani in Moscow.
  event('22c9a282-674d-487b-a6be-6b1071b582ce', 'VisitTookPlace', {
    visitId: 'kayani-moscow-2012-10',
    visitors: ['kayani'],
    destination: 'Moscow',
    headline: 'General Kayani arrives in Moscow and lays a wreath at the tomb of the unknown soldier',
    summary:
      "Pakistan's Chief of Army Staff, General Ashfaq Kayani (also spelled Kiani), arrived in Moscow on 4 October 2012 to consolidate progress in defense cooperation, and laid a floral wreath at the tomb of an unknown soldier at the Kremlin. The visit is poised to carry forward the military-to-military relations initiated by Col-Gen Postnikov's visit to Pakistan in May 2011.",
    occurred: { start: '2012-10-04', precision: 'day' },
    actors: ['kayani', 'pakistan', 'russia'],
    places: ['Moscow', 'Kremlin'],
    topics: ['defense', 'diplomacy'],
    sources: [
      source(ARTICLE_OUTLET, 'Pakistan Army Chief General Ashfaq Pervez Kiani flew to Russia for consolidating progress in defense cooperation'),
      source(ARTICLE_OUTLET, 'General Ashfaq Kayani arrived in Moscow on October 4'),
      source(ARTICLE_OUTLET, 'tomb of an unknown soldier at the Kremlin to lay a floral wreath.'),
    ],
    confidence: 'confirmed',
  }),
  event('a93edc6a-2817-44b4-bd80-d6d1f326bd62', 'MeetingHeld', {
    meetingId: 'kayani-makarov-2012-10-05',
    participants: ['kayani', 'makarov'],
    place: 'Defense Ministry, Moscow',
    outcome: 'The two military leaders expressed consensus to enhance the cooperation between the armies of the two countries.',
    headline: 'General Kayani calls on General Makarov; both agree to enhance army cooperation',
    summary:
      "The day after his arrival, General Kayani called on General Makarov, Chief of General Staff of the Russian Federation Armed Forces, at the Defense Ministry. According to a statement released by Pakistan's military, the two expressed consensus to enhance the cooperation between the armies of the two countries.",
    occurred: { start: '2012-10-05', precision: 'day' },
    actors: ['kayani', 'makarov', 'pakistan-military', 'russian-armed-forces'],
    places: ['Moscow'],
    topics: ['defense'],
    sources: [
      source(
        MILITARY_STATEMENT,
        'General Ashfaq Kayani called on Russian Federation Armed Forces Chief of General Staff (CGS) General Makarov in the Defense Ministry and the two military leaders expressed consensus to enhance the cooperation between the armies of the two countries.',
      ),
    ],
    confidence: 'confirmed',
  }),

  // What the press made of it.
  event('886d3c30-5033-4aec-8e76-fed372a3afcb', 'CommentaryPublished', {
    outlet: 'dawn',
    speaker: 'An unnamed Pakistani official',
    quote:
      "They (Russians) must have realized that President Putin's decision would not go well in Islamabad, which has acquired a new found strategic significance in their calculus for the region",
    headline: "Dawn: an official says Russia realized Putin's decision would not go well in Islamabad",
    summary:
      "Dawn quoted an official as saying that the Russians must have realized President Putin's decision would not go well in Islamabad, which has acquired a new strategic significance in their calculus for the region. The official added that Lavrov's visit showed the significance Moscow attached to its ties with Pakistan.",
    occurred: lastWeek,
    actors: ['dawn', 'putin', 'lavrov', 'russia', 'pakistan'],
    places: ['Islamabad'],
    topics: ['diplomacy'],
    sources: [
      source(
        DAWN,
        "They (Russians) must have realized that President Putin's decision would not go well in Islamabad, which has acquired a new found strategic significance in their calculus for the region",
      ),
      source(
        DAWN,
        'The official added that the mere fact that Mr Lavrov was visiting Pakistan showed the significance Moscow attached to its ties with Pakistan.',
      ),
    ],
    confidence: 'confirmed',
  }),
  event('460b3350-a912-4932-9fb1-3570e74ee5b0', 'CommentaryPublished', {
    outlet: 'dawn',
    quote:
      'Russia additionally sees Pakistan as a country playing an important role in countering terrorism and achievement of its vision of regional connectivity. Accordingly, Russia moved to bolster its economic and security cooperation with the one time South Asian foe, while Pakistan, because of troubled relationship with the US, embraced the rapprochement for diversifying the sources of its military supplies.',
    headline: 'Dawn: Russia and Pakistan converge on Afghanistan, regional stability and counter-narcotics',
    summary:
      'Dawn said Russia and Pakistan have a convergence of views on Afghanistan, regional stability and counter-narcotics. Russia also sees Pakistan as important in countering terrorism and in its vision of regional connectivity, and moved to bolster economic and security cooperation; Pakistan, with a troubled relationship with the US, embraced the rapprochement to diversify the sources of its military supplies.',
    occurred: lastWeek,
    actors: ['dawn', 'russia', 'pakistan', 'afghanistan', 'united-states'],
    places: [],
    topics: ['diplomacy', 'defense'],
    sources: [
      source(DAWN, 'Russia and Pakistan have convergence of views on Afghanistan, regional stability and counter-narcotics efforts'),
      source(
        DAWN,
        'Russia additionally sees Pakistan as a country playing an important role in countering terrorism and achievement of its vision of regional connectivity.',
      ),
    ],
    confidence: 'confirmed',
  }),
  event('faa9fc81-e54b-4eed-b7b4-e758388006d0', 'CommentaryPublished', {
    outlet: 'the-nation',
    quote:
      "The dismay that the unexpected cancellation of Russian President Vladimir Putin's visit has caused among Pakistan's political circles and even the general public has been somewhat allayed by the three visits that went ahead as scheduled.",
    headline: "The Nation: dismay at Putin's cancellation allayed by three visits that went ahead",
    summary:
      "Commenting on Lavrov's visit, The Nation said the dismay that the unexpected cancellation of President Putin's visit caused among Pakistan's political circles and the general public has been somewhat allayed by three visits that went ahead as scheduled, the first a high-powered delegation that signed MoUs on steel, railways and energy.",
    occurred: october2012,
    actors: ['the-nation', 'putin', 'lavrov', 'pakistan', 'russia'],
    places: [],
    topics: ['diplomacy'],
    sources: [
      source(
        THE_NATION,
        "The dismay that the unexpected cancellation of Russian President Vladimir Putin's visit has caused among Pakistan's political circles and even the general public has been somewhat allayed by the three visits that went ahead as scheduled.",
      ),
    ],
    confidence: 'confirmed',
  }),
  event('c5afddad-3c10-477a-ac90-aedd4bef12a8', 'CommentaryPublished', {
    outlet: 'pakistan-observer',
    quote: "speculation abounds regarding Putin's visit",
    headline: "Pakistan Observer: speculation over Putin's cancelled visit; observers believe the pipeline displeased him",
    summary:
      "According to Pakistan Observer, speculation abounds regarding Putin's visit; a section of the Pakistani media reported that Russia wanted Gazprom to get the Iran-Pakistan pipeline contract without bidding. Diplomatic observers, unnamed in the article, believe Putin was not pleased with Pakistan's less-than-keen response to Russian interest in the pipeline. Neither the article nor the outlets state that this was the reason for the cancellation.",
    occurred: lastWeek,
    actors: ['pakistan-observer', 'putin', 'russia', 'pakistan', 'gazprom'],
    places: [],
    topics: ['diplomacy', 'pipeline', 'summit'],
    sources: [
      source(PAKISTAN_OBSERVER, "According to Pakistan Observer, speculation abounds regarding Putin's visit."),
      source(
        ARTICLE_OUTLET,
        "Diplomatic observers believe that Putin was not pleased with Pakistan's less-than-keen response to Russian interest in the IP project.",
      ),
    ],
    confidence: 'speculation',
  }),
];

export interface SeedStory {
  storyId: string;
  /** When the article reported these developments (ISO 8601 UTC): the earliest date it can have been written. */
  reportedAt: string;
  events: StoryEvent[];
}

export const seedStory: SeedStory = {
  storyId,
  reportedAt: '2012-10-08T00:00:00.000Z',
  events: [opened, ...actors, ...developments],
};

/** The seed as the commands that record it, in order. */
export const seedCommands = (): RecordCommand[] => seedStory.events.map((event) => ({ type: 'Record', storyId: seedStory.storyId, event }));
