import { AccessKey } from '../access-keys/access-key.entity';
import { AccessLog } from '../access-logs/access-log.entity';
import { Deployment } from '../deployments/deployment.entity';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { Installation } from '../installation/installation.entity';
import { RequestMetric } from '../metrics/request-metric.entity';
import { UsageSample } from '../metrics/usage-sample.entity';
import { Membership } from '../orgs/membership.entity';
import { ServiceOperation } from '../operations/service-operation.entity';
import { Organization } from '../orgs/organization.entity';
import { Project } from '../projects/project.entity';
import { ResourceProfile } from '../resource-profiles/resource-profile.entity';
import { ServiceRoute } from '../routes/service-route.entity';
import { ServiceDomain } from '../services/service-domain.entity';
import { ServiceRepository } from '../services/service-repository.entity';
import { Session } from '../sessions/session.entity';
import { Service } from '../services/service.entity';
import { Span } from '../traces/span.entity';
import { PersonalAccessToken } from '../tokens/personal-access-token.entity';
import { User } from '../users/user.entity';
import { VolumeTransfer } from '../volumes/volume-transfer.entity';

/** Every entity; the DataSource for the app and for the migration CLI share this list. */
export const ENTITIES = [
  User,
  Organization,
  Membership,
  Project,
  PersonalAccessToken,
  Session,
  AccessKey,
  ResourceProfile,
  Service,
  ServiceDomain,
  ServiceRepository,
  Deployment,
  ServiceRoute,
  ServiceOperation,
  VolumeTransfer,
  Span,
  AccessLog,
  RequestMetric,
  UsageSample,
  IdempotencyRecord,
  Installation,
];
