import { DEFAULT_JWT_AUDIENCE, defaultSettings, settingsFromContext } from '../../infra/settings';

describe('stack settings from CDK context', () => {
  it('have defaults for everything, so a plain `cdk synth` works', () => {
    expect(settingsFromContext({})).toEqual({
      cloudFront: false,
      apiThrottle: defaultSettings.apiThrottle,
      sesSendRate: 14,
      confirmationsPerDay: 3,
    });
    expect(settingsFromContext({ confirmationsPerDay: '5' }).confirmationsPerDay).toBe(5);
  });

  it('read `-c` strings: booleans, comma-separated audiences, numbers', () => {
    const settings = settingsFromContext({
      jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
      jwtAudience: ' one, two ,',
      cloudFront: 'true',
      apiRateLimit: '20',
      apiBurstLimit: 40,
      timezone: 'Asia/Karachi',
      publicBaseUrl: 'https://news.example.org/',
    });
    expect(settings).toMatchObject({ publicBaseUrl: 'https://news.example.org', jwtAudience: ['one', 'two'], cloudFront: true, apiThrottle: { rateLimit: 20, burstLimit: 40 }, timezone: 'Asia/Karachi' });
  });

  it('give an external issuer the default audience when none is set', () => {
    expect(settingsFromContext({ jwtIssuer: 'https://issuer.example.org/' })).toMatchObject({ jwtIssuer: 'https://issuer.example.org/', jwtAudience: [DEFAULT_JWT_AUDIENCE] });
  });

  it('take digest e-mail only as a pair of addresses', () => {
    expect(settingsFromContext({ digestEmailFrom: 'digest@example.org', digestEmailTo: 'me@example.org, you@example.net' }).digestEmail).toEqual({
      from: 'digest@example.org',
      to: ['me@example.org', 'you@example.net'],
    });
    expect(() => settingsFromContext({ digestEmailFrom: 'digest@example.org' })).toThrow(/both/);
    expect(() => settingsFromContext({ digestEmailFrom: 'nobody', digestEmailTo: 'me@example.org' })).toThrow(/e-mail address/);
  });

  it('take alarm e-mail as a list of addresses', () => {
    expect(settingsFromContext({ alarmEmail: 'oncall@example.org, desk@example.net' }).alarmEmail).toEqual(['oncall@example.org', 'desk@example.net']);
    expect(settingsFromContext({}).alarmEmail).toBeUndefined();
    expect(() => settingsFromContext({ alarmEmail: 'oncall' })).toThrow(/e-mail address/);
  });

  it('take WebSub hubs as a list of http(s) URLs, without duplicates', () => {
    expect(settingsFromContext({ websubHubs: 'https://pubsubhubbub.appspot.com/, https://hub.example.org/websub,https://pubsubhubbub.appspot.com/' }).websubHubs).toEqual([
      'https://pubsubhubbub.appspot.com/',
      'https://hub.example.org/websub',
    ]);
    expect(settingsFromContext({ websubHubs: ['https://hub.example.org/'] }).websubHubs).toEqual(['https://hub.example.org/']);
    expect(settingsFromContext({ websubHubs: '' }).websubHubs).toBeUndefined();
    expect(() => settingsFromContext({ websubHubs: 'hub.example.org' })).toThrow(/not an absolute http\(s\) URL/);
  });

  it('refuse malformed values instead of deploying something else', () => {
    expect(() => settingsFromContext({ jwtIssuer: 'http://insecure.example.com' })).toThrow(/https/);
    expect(() => settingsFromContext({ cloudFront: 'yes' })).toThrow(/true or false/);
    expect(() => settingsFromContext({ apiRateLimit: '0' })).toThrow(/positive integer/);
    expect(() => settingsFromContext({ timezone: 'Mars/Olympus' })).toThrow(/IANA/);
    expect(() => settingsFromContext({ publicBaseUrl: 'https://news.example.org/feeds' })).toThrow(/origin/);
  });
});
