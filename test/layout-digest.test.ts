import { describe, expect, it } from 'vitest';
import { digestDayFolder, digestFileName, keySecond } from '../src/layout/keys.js';
import { parseDigestFileName, parseKey, stampMs } from '../src/layout/parse.js';

describe('digest file names and keys', () => {
  it('builds and parses the digest grammar, trail names with underscores included', () => {
    const end = Date.parse('2024-03-11T00:00:07Z');
    const name = digestFileName('111122223333', 'eu-west-1', 'my_org_trail', 'us-east-1', keySecond(end));
    expect(name).toBe('111122223333_CloudTrail-Digest_eu-west-1_my_org_trail_us-east-1_20240311T000007Z.json.gz');
    expect(parseDigestFileName(name)).toEqual({
      account: '111122223333',
      region: 'eu-west-1',
      trail: 'my_org_trail',
      homeRegion: 'us-east-1',
      endSecond: '20240311T000007Z',
      backfill: false,
    });
    expect(stampMs('20240311T000007Z')).toBe(end);
    expect(parseDigestFileName(name.replace('.json.gz', '_backfill.json.gz'))?.backfill).toBe(true);
    for (const bad of [
      '111122223333_CloudTrail_us-east-1_20240311T0000Z_abc.json.gz',
      '111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_2024.json.gz',
      'x.json',
    ]) {
      expect(parseDigestFileName(bad)).toBeUndefined();
    }
  });

  it('places digests beside the CloudTrail folder, under an organization and a Control Tower prefix', () => {
    const folder = digestDayFolder({ orgId: 'o-abcdef1234', account: '111122223333', region: 'us-east-1', day: '2024/03/11' });
    expect(folder).toBe('AWSLogs/o-abcdef1234/111122223333/CloudTrail-Digest/us-east-1/2024/03/11/');
    const parsed = parseKey(`o-abcdef1234/${folder}x.json.gz`, { strict: true });
    expect(parsed).toMatchObject({
      prefix: 'o-abcdef1234/',
      orgId: 'o-abcdef1234',
      account: '111122223333',
      digest: true,
      service: 'CloudTrail-Digest',
      day: '2024/03/11',
      file: 'x.json.gz',
    });
    expect(parsed?.table).toBeUndefined();
  });
});
