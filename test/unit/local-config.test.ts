import { LOCAL_ENV } from '../../contracts/env';
import { localConfig } from '../../infra/local/config';

describe('the local runtime settings', () => {
  const saved = process.env[LOCAL_ENV.digestTimezone];
  afterEach(() => {
    if (saved === undefined) delete process.env[LOCAL_ENV.digestTimezone];
    else process.env[LOCAL_ENV.digestTimezone] = saved;
  });

  it(`run the digest schedules in their declared zone unless ${LOCAL_ENV.digestTimezone} names another`, () => {
    delete process.env[LOCAL_ENV.digestTimezone];
    expect(localConfig().digestTimezone).toBeUndefined();
    process.env[LOCAL_ENV.digestTimezone] = 'Europe/London';
    expect(localConfig().digestTimezone).toBe('Europe/London');
  });

  it(`refuse a ${LOCAL_ENV.digestTimezone} that is not an IANA timezone, in one line`, () => {
    for (const zone of ['Mars/Olympus', 'CEST', '+02:00']) {
      process.env[LOCAL_ENV.digestTimezone] = zone;
      expect(() => localConfig()).toThrow(`${LOCAL_ENV.digestTimezone} must be an IANA timezone (such as Europe/London), got ${JSON.stringify(zone)}`);
    }
  });
});

describe('the local table names', () => {
  const saved = process.env[LOCAL_ENV.tablePrefix];
  afterEach(() => {
    if (saved === undefined) delete process.env[LOCAL_ENV.tablePrefix];
    else process.env[LOCAL_ENV.tablePrefix] = saved;
  });

  it(`start with storyline, or with ${LOCAL_ENV.tablePrefix} (runtimes sharing one DynamoDB Local keep apart)`, () => {
    delete process.env[LOCAL_ENV.tablePrefix];
    expect(localConfig().tables).toEqual({ events: 'storyline-Events', readModels: 'storyline-ReadModels', snapshots: 'storyline-Snapshots', subscriptions: 'storyline-Subscriptions' });
    process.env[LOCAL_ENV.tablePrefix] = 'e2e-1a2b';
    expect(localConfig().tables.events).toBe('e2e-1a2b-Events');
  });

  it(`refuse a ${LOCAL_ENV.tablePrefix} DynamoDB would not take in a table name`, () => {
    process.env[LOCAL_ENV.tablePrefix] = 'my tables';
    expect(() => localConfig()).toThrow(`${LOCAL_ENV.tablePrefix} must be letters, digits`);
  });
});
