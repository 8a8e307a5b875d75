/**
 * casebook's one AWS region pattern: us-east-1, eu-central-2, ap-southeast-5,
 * us-gov-west-1, cn-north-1, us-isob-east-1, il-central-1 ...
 */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d{1,2}$/;

export function isRegion(text: string): boolean {
  return REGION.test(text);
}
