import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import { type DataEnvelope, type ListEnvelope } from '@slipway/contracts';
import { IsDefined, IsUUID } from 'class-validator';
import { CurrentPrincipal } from '../auth/decorators';
import { type Principal } from '../auth/principal';
import { ApiDataResponse, ApiListResponse } from '../common/http/api-responses';
import { one, page } from '../common/http/envelope';
import { DomainError } from '../common/errors/domain-error';
import { UuidParam } from '../common/validation/uuid-param.pipe';
import { ServiceRoutes } from '../services/services-enabled.guard';
import { toVolumeTransferView, VolumeTransferView } from './volume-transfer.view';
import { VolumeTransfersService, type VolumeAddress } from './volume-transfers.service';

const VOLUME_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ORDINAL = /^(0|[1-9][0-9]{0,2})$/;

export class RestoreDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A finished backup of this service or another of yours',
  })
  @IsUUID('all', { message: 'must be a backup id (a UUID)' })
  @IsDefined({ message: 'is required' })
  backup_id!: string;
}

function addressOf(name: string, ordinal: string): VolumeAddress {
  if (!VOLUME_NAME.test(name))
    throw DomainError.validation(
      'name: must be a volume name as GET /v1/services/{id}/volumes lists them',
    );
  if (!ORDINAL.test(ordinal))
    throw DomainError.validation('ordinal: must be an instance number from 0 to 999');
  return { name, ordinal: Number(ordinal) };
}

@ServiceRoutes('volumes')
@Controller('v1/services')
export class VolumeTransfersController {
  constructor(private readonly transfers: VolumeTransfersService) {}

  @Post(':id/volumes/:name/:ordinal/backups')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Back up one instance's volume: a gzipped tar in the blob store, with its size and SHA-256, made by a job (poll the transfer)",
  })
  @ApiDataResponse(VolumeTransferView, 'The backup, running', 202)
  async backup(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Param('name') name: string,
    @Param('ordinal') ordinal: string,
  ): Promise<DataEnvelope<VolumeTransferView>> {
    const at = addressOf(name, ordinal);
    return one(toVolumeTransferView(await this.transfers.backup(principal.userId, id, at)));
  }

  @Post(':id/volumes/:name/:ordinal/restores')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Restore a backup into a stopped instance's volume (pause or scale down first): its files are written over the volume's, after the archive's checksum is verified",
  })
  @ApiDataResponse(VolumeTransferView, 'The restore, running', 202)
  async restore(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Param('name') name: string,
    @Param('ordinal') ordinal: string,
    @Body() body: RestoreDto,
  ): Promise<DataEnvelope<VolumeTransferView>> {
    const at = addressOf(name, ordinal);
    return one(
      toVolumeTransferView(await this.transfers.restore(principal.userId, id, at, body.backup_id)),
    );
  }

  @Get(':id/volume-transfers')
  @ApiOperation({ summary: "The service's backups and restores, newest first (the last 100)" })
  @ApiListResponse(VolumeTransferView)
  async list(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<ListEnvelope<VolumeTransferView>> {
    const transfers = (await this.transfers.list(principal.userId, id)).map(toVolumeTransferView);
    return page(transfers, transfers.length, 1, Math.max(1, transfers.length));
  }

  @Get(':id/volume-transfers/:transfer_id')
  @ApiOperation({ summary: 'One backup or restore: its progress, checksum and outcome' })
  @ApiDataResponse(VolumeTransferView)
  async get(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @UuidParam('transfer_id') transferId: string,
  ): Promise<DataEnvelope<VolumeTransferView>> {
    return one(toVolumeTransferView(await this.transfers.get(principal.userId, id, transferId)));
  }
}
