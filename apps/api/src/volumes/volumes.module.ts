import { Module, type OnModuleInit } from '@nestjs/common';
import { BlobStore } from '../blob-store/blob-store';
import { ServiceTeardown } from '../services/service-teardown';
import { DeploymentsModule } from '../deployments/deployments.module';
import { ServicesModule } from '../services/services.module';
import { VolumeTransferHandler } from './volume-transfer.handler';
import { VolumeTransfersController } from './volume-transfers.controller';
import { VolumeTransfersService } from './volume-transfers.service';
import { VolumesController } from './volumes.controller';

@Module({
  imports: [ServicesModule, DeploymentsModule],
  controllers: [VolumesController, VolumeTransfersController],
  providers: [VolumeTransfersService, VolumeTransferHandler],
})
export class VolumesModule implements OnModuleInit {
  constructor(
    private readonly teardown: ServiceTeardown,
    private readonly blobs: BlobStore,
  ) {}

  onModuleInit(): void {
    // A deleted service's backups go with it (a restore into another service needs its own).
    this.teardown.register('volume backups', (service) =>
      this.blobs.deletePrefix(`backups/${service.id}`),
    );
  }
}
