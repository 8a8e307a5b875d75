/** What the sample lake plants, and which queries of the pack find each incident. */
import { INCIDENT, MALLORY } from './world.js';

export interface PlantedIncident {
  /** Unique per entry: the incident, plus the query when one incident is found by several queries. */
  id: string;
  /** Id of the query in queries/ that finds it. */
  query: string;
  description: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
}

/** Query ids of the pack that find the planted incidents (the first one of each incident is its main query). */
export const INCIDENT_QUERIES = {
  bucketDeleted: 'who-deleted',
  trailTampering: 'trail-tampering',
  flowLogsDeleted: 'flow-logs-deleted',
  reconDenied: 'access-denied',
  reconApis: 'recon-denied-apis',
  userCreated: 'iam-users-created',
  accessKeyCreated: 'access-keys-created',
  adminPolicy: 'admin-policy-attached',
  rootLogin: 'console-login-without-mfa',
  rootActivity: 'root-account-activity',
  securityGroupOpened: 'security-group-opened-to-world',
  portScan: 'port-scans',
  sshBruteForce: 'admin-port-traffic',
  exfiltration: 'top-talkers',
  largeTransfer: 'large-transfers',
} as const;

const M = `${MALLORY.userName} (${MALLORY.arn}, key ${MALLORY.accessKeyId}, from ${MALLORY.sourceIPAddress})`;

export function plantedIncidents(day: string): PlantedIncident[] {
  const q = INCIDENT_QUERIES;
  const I = INCIDENT;
  const list: Array<[string, string, string]> = [
    [
      'audit-bucket-deleted',
      q.bucketDeleted,
      `${M} deleted S3 bucket ${I.deletedBucket} (DeleteBucket, 14:25:30 UTC) after a failed TerminateInstances on ${I.terminateInstanceId} (Client.UnauthorizedOperation, 14:20:09); account 111122223333, us-east-1`,
    ],
    [
      'trail-stopped',
      q.trailTampering,
      `${MALLORY.userName} stopped logging on ${I.trailArn} (StopLogging, 14:05:41 UTC), then deleted flow log ${I.deletedFlowLogId} (DeleteFlowLogs, 14:07:48)`,
    ],
    [
      'trail-stopped/flow-logs-deleted',
      q.flowLogsDeleted,
      `${MALLORY.userName} deleted flow log ${I.deletedFlowLogId} (DeleteFlowLogs, 14:07:48 UTC)`,
    ],
    [
      'recon-access-denied',
      q.reconDenied,
      `${MALLORY.userName}: 40 denied calls over 22 APIs in 15 services, 13:02-13:32 UTC (AccessDenied, AccessDeniedException, Client.UnauthorizedOperation, UnauthorizedOperation), plus the denied TerminateInstances at 14:20; background principals are denied at most two APIs`,
    ],
    [
      'recon-access-denied/recon-denied-apis',
      q.reconApis,
      `${MALLORY.userName}: 22 distinct denied APIs in 15 services within half an hour (13:02-13:32 UTC)`,
    ],
    ['backdoor-user', q.userCreated, `${MALLORY.userName} created IAM user ${I.backdoorUser} (CreateUser, 13:40:12 UTC)`],
    [
      'backdoor-user/access-key',
      q.accessKeyCreated,
      `${MALLORY.userName} created an access key for ${I.backdoorUser} (CreateAccessKey, 13:40:49 UTC)`,
    ],
    [
      'backdoor-user/admin-policy',
      q.adminPolicy,
      `${MALLORY.userName} attached ${I.adminPolicyArn} to ${I.backdoorUser} (AttachUserPolicy, 13:41:41 UTC)`,
    ],
    [
      'root-login-without-mfa',
      q.rootLogin,
      `root of 444455556666 signed in to the console without MFA from ${I.rootLoginIp} (10:01:05 UTC), after three failed root sign-ins from the same address`,
    ],
    [
      'root-login-without-mfa/root-activity',
      q.rootActivity,
      `root of 444455556666: three failed console sign-ins (09:57-09:59 UTC) and one successful, without MFA (10:01:05), all from ${I.rootLoginIp}`,
    ],
    [
      'ssh-open-to-world',
      q.securityGroupOpened,
      `${MALLORY.userName} opened TCP 22 to 0.0.0.0/0 on ${I.openedSecurityGroup} (AuthorizeSecurityGroupIngress, 13:50:03 UTC)`,
    ],
    [
      'port-scan',
      q.portScan,
      `${I.scannerIp} probed ${I.targetHost} (${I.targetEni}) on 300 distinct TCP ports, all REJECT, 02:10-02:22 UTC; account 111122223333, us-east-1`,
    ],
    [
      'ssh-brute-force',
      q.sshBruteForce,
      `${I.bruteForceIp}: 500 REJECTed flows to ${I.targetHost}:22 (02:40-03:40 UTC), then 24 ACCEPTed sessions to ${I.targetHost}:3389 (03:50-05:55)`,
    ],
    [
      'exfiltration',
      q.exfiltration,
      `${I.exfilHost} sent ${I.exfilBytesAtScale1 / 1e9} GB x max(1, scale) to ${I.exfilDest}:443 over the whole day (ACCEPT, ${I.exfilEni}); by far the top pair by bytes`,
    ],
    [
      'exfiltration/large-transfer',
      q.largeTransfer,
      `${I.exfilHost} -> ${I.exfilDest}:443, ${I.exfilBytesAtScale1 / 1e9} GB x max(1, scale) accepted over the day; at scale 1 no background pair moves more than about 0.2 GiB in 14 days`,
    ],
  ];
  return list.map(([id, query, description]) => ({ id, query, description, day }));
}
