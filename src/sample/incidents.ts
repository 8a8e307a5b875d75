/** What the sample lake plants, and which query of the pack finds each incident. */
import { INCIDENT, MALLORY } from './world.js';

export interface PlantedIncident {
  id: string;
  query: string;
  description: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
}

/** Query ids of the pack that find each planted incident. */
export const INCIDENT_QUERIES = {
  bucketDeleted: 'who-deleted',
  trailTampering: 'trail-tampering',
  reconDenied: 'access-denied',
  iamPersistence: 'iam-persistence',
  rootLogin: 'root-login-no-mfa',
  securityGroupOpened: 'security-group-opened',
  portScan: 'port-scan',
  sshBruteForce: 'ssh-brute-force',
  exfiltration: 'top-talkers',
} as const;

const M = `${MALLORY.userName} (${MALLORY.arn}, key ${MALLORY.accessKeyId}, from ${MALLORY.sourceIPAddress})`;

export function plantedIncidents(day: string): PlantedIncident[] {
  const q = INCIDENT_QUERIES;
  return [
    {
      id: 'audit-bucket-deleted',
      query: q.bucketDeleted,
      description: `${M} deleted S3 bucket ${INCIDENT.deletedBucket} (DeleteBucket, 14:25:30 UTC) after a failed TerminateInstances on ${INCIDENT.terminateInstanceId} (Client.UnauthorizedOperation, 14:20:09); account 111122223333, us-east-1`,
      day,
    },
    {
      id: 'trail-stopped-flow-logs-deleted',
      query: q.trailTampering,
      description: `${MALLORY.userName} stopped logging on ${INCIDENT.trailArn} (StopLogging, 14:05:41 UTC) and deleted flow log ${INCIDENT.deletedFlowLogId} (DeleteFlowLogs, 14:07:48)`,
      day,
    },
    {
      id: 'recon-access-denied',
      query: q.reconDenied,
      description: `${MALLORY.userName}: 40 denied calls over 22 APIs in 15 services, 13:02-13:32 UTC (AccessDenied, AccessDeniedException, Client.UnauthorizedOperation, UnauthorizedOperation); background principals have at most two denied APIs`,
      day,
    },
    {
      id: 'iam-backdoor-user',
      query: q.iamPersistence,
      description: `${MALLORY.userName} created IAM user ${INCIDENT.backdoorUser}, an access key for it and attached ${INCIDENT.adminPolicyArn} (13:40-13:41 UTC)`,
      day,
    },
    {
      id: 'root-login-without-mfa',
      query: q.rootLogin,
      description: `root of 444455556666 signed in to the console without MFA from ${INCIDENT.rootLoginIp} (10:01:05 UTC) after three failed root sign-ins from the same address`,
      day,
    },
    {
      id: 'ssh-open-to-world',
      query: q.securityGroupOpened,
      description: `${MALLORY.userName} opened TCP 22 to 0.0.0.0/0 on ${INCIDENT.openedSecurityGroup} (AuthorizeSecurityGroupIngress, 13:50:03 UTC)`,
      day,
    },
    {
      id: 'port-scan',
      query: q.portScan,
      description: `${INCIDENT.scannerIp} probed ${INCIDENT.targetHost} (${INCIDENT.targetEni}) on 300 distinct TCP ports, all REJECT, 02:10-02:22 UTC; account 111122223333, us-east-1`,
      day,
    },
    {
      id: 'ssh-brute-force-then-rdp',
      query: q.sshBruteForce,
      description: `${INCIDENT.bruteForceIp}: 500 REJECTed flows to ${INCIDENT.targetHost}:22 (02:40-03:40 UTC), then 24 ACCEPTed sessions to ${INCIDENT.targetHost}:3389 (03:50-05:55)`,
      day,
    },
    {
      id: 'exfiltration',
      query: q.exfiltration,
      description: `${INCIDENT.exfilHost} sent ${INCIDENT.exfilBytesAtScale1 / 1e9} GB x max(1, scale) to ${INCIDENT.exfilDest}:443 over the whole day (ACCEPT, ${INCIDENT.exfilEni}); by far the top pair by bytes`,
      day,
    },
  ];
}
