/**
 * casebook's one AWS region pattern: a partition prefix, one or more words, a number
 * (us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1).
 * It refuses what cannot be a region (`useast1`, `eu-west`, `eu west-1`) and accepts
 * regions AWS has yet to open.
 */
export const REGION = /^[a-z]{2,}(-[a-z]+)+-\d+[a-z]*$/;

export function isRegion(text: string): boolean {
  return REGION.test(text);
}
