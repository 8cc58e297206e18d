// Rotation function of the secrets spalce/SERVICE-internal-tls (Secrets Manager rotation, pki.tf): each rotation
// issues the service a new internal certificate from the internal AWS Private CA and rolls the service onto it.
//   createSecret: a new EC P-256 key pair made here, in memory; a CSR signed with it; the certificate issued by the
//                 CA for VALIDITY_DAYS with the APIPassthrough template (subject CN=SERVICE, which MSK's ACLs name;
//                 URI SAN spiffe://spalce/SERVICE, which the services check; DNS SANs SERVICE and
//                 SERVICE.INTERNAL_DOMAIN, which callers verify); stored as the secret's AWSPENDING version
//                 ({certificate, private_key, ca}, PEM);
//   setSecret:    nothing: no other system holds the key pair;
//   testSecret:   the pending certificate matches its key, chains to the CA and outlives the next rotation
//                 (MIN_REMAINING_DAYS, the rotation period);
//   finishSecret: the pending version becomes AWSCURRENT and the ECS service is redeployed, so that its tasks'
//                 files-init container writes the new pair (a task reads its files when it starts).
// The private key exists only in this function's memory and in the secret (encrypted with Spalce's secrets key).
// Node.js 20 runtime: node:crypto and the AWS SDK v3 it ships; nothing to install.
import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import {
  ACMPCAClient,
  GetCertificateAuthorityCertificateCommand,
  GetCertificateCommand,
  IssueCertificateCommand,
  waitUntilCertificateIssued,
} from '@aws-sdk/client-acm-pca';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { certificationRequest } from './csr.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const CA_ARN = env('CA_ARN');
const TEMPLATE_ARN = env('TEMPLATE_ARN');
const VALIDITY_DAYS = Number(env('VALIDITY_DAYS'));
const MIN_REMAINING_DAYS = Number(env('MIN_REMAINING_DAYS'));
const CLUSTER = env('CLUSTER');
const INTERNAL_DOMAIN = env('INTERNAL_DOMAIN');
const SERVICES = env('SERVICES').split(',');
const SUFFIX = '-internal-tls';

const pca = new ACMPCAClient({});
const secrets = new SecretsManagerClient({});
const ecs = new ECSClient({});

export const handler = async (event) => {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const description = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  const service = serviceOf(description.Name);
  if (!description.RotationEnabled) throw new Error(`rotation is not enabled for ${description.Name}`);
  const stages = description.VersionIdsToStages?.[token];
  if (!stages) throw new Error(`version ${token} is not a version of ${description.Name}`);
  if (stages.includes('AWSCURRENT')) return; // already finished
  if (!stages.includes('AWSPENDING')) throw new Error(`version ${token} is not pending`);
  switch (step) {
    case 'createSecret': return createSecret(secretId, token, service);
    case 'setSecret': return;
    case 'testSecret': return testSecret(secretId, token);
    case 'finishSecret': return finishSecret(secretId, token, service, description);
    default: throw new Error(`unknown step ${step}`);
  }
};

// spalce/evidence-service-internal-tls -> evidence-service, and only the five services.
function serviceOf(name) {
  const base = name.substring(name.lastIndexOf('/') + 1);
  const service = base.endsWith(SUFFIX) ? base.substring(0, base.length - SUFFIX.length) : '';
  if (!SERVICES.includes(service)) throw new Error(`${name} is not the internal-tls secret of a Spalce service`);
  return service;
}

async function createSecret(secretId, token, service) {
  try {
    await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
    return; // this rotation's certificate was already issued (a retried step)
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const csr = certificationRequest(service, privateKey, publicKey);
  const issued = await pca.send(new IssueCertificateCommand({
    CertificateAuthorityArn: CA_ARN,
    Csr: new TextEncoder().encode(csr),
    SigningAlgorithm: 'SHA256WITHECDSA',
    TemplateArn: TEMPLATE_ARN,
    Validity: { Type: 'DAYS', Value: VALIDITY_DAYS },
    // One issuance per rotation version, even when Secrets Manager retries the step.
    IdempotencyToken: createHash('sha256').update(token).digest('hex').substring(0, 36),
    ApiPassthrough: {
      Subject: { CommonName: service },
      Extensions: {
        SubjectAlternativeNames: [
          { UniformResourceIdentifier: `spiffe://spalce/${service}` },
          { DnsName: service },
          { DnsName: `${service}.${INTERNAL_DOMAIN}` },
        ],
        KeyUsage: { DigitalSignature: true },
        ExtendedKeyUsage: [{ ExtendedKeyUsageType: 'SERVER_AUTH' }, { ExtendedKeyUsageType: 'CLIENT_AUTH' }],
      },
    },
  }));
  const where = { CertificateAuthorityArn: CA_ARN, CertificateArn: issued.CertificateArn };
  await waitUntilCertificateIssued({ client: pca, maxWaitTime: 120 }, where);
  const certificate = await pca.send(new GetCertificateCommand(where));
  const ca = await pca.send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: CA_ARN }));
  await secrets.send(new PutSecretValueCommand({
    SecretId: secretId,
    ClientRequestToken: token,
    VersionStages: ['AWSPENDING'],
    SecretString: JSON.stringify({
      certificate: certificate.Certificate,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      ca: [ca.Certificate, ca.CertificateChain].filter(Boolean).join('\n'),
    }),
  }));
}

async function testSecret(secretId, token) {
  const pending = await secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }));
  const value = JSON.parse(pending.SecretString);
  const certificate = new X509Certificate(value.certificate);
  if (!certificate.checkPrivateKey(createPrivateKey(value.private_key))) throw new Error('the certificate does not match the key');
  const ca = new X509Certificate(value.ca);
  if (!certificate.verify(ca.publicKey)) throw new Error('the certificate is not signed by the internal CA');
  const remainingDays = (Date.parse(certificate.validTo) - Date.now()) / 86_400_000;
  if (remainingDays < MIN_REMAINING_DAYS) throw new Error(`the certificate lives ${remainingDays} days only`);
}

async function finishSecret(secretId, token, service, description) {
  const current = Object.entries(description.VersionIdsToStages).find(([, stages]) => stages.includes('AWSCURRENT'));
  await secrets.send(new UpdateSecretVersionStageCommand({
    SecretId: secretId,
    VersionStage: 'AWSCURRENT',
    MoveToVersionId: token,
    RemoveFromVersionId: current?.[0],
  }));
  try {
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service, forceNewDeployment: true }));
  } catch (error) {
    // The first rotation runs when Terraform creates the secret, before the service exists: its first tasks read the
    // new secret anyway.
    if (error.name !== 'ServiceNotFoundException' && error.name !== 'ServiceNotActiveException') throw error;
  }
}
