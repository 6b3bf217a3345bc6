import { ApiProperty } from '@nestjs/swagger';
import { type ServiceVolume } from '../runtime/runtime-driver';

export class VolumeView {
  @ApiProperty({ example: 'data', description: 'The declared volume' }) name!: string;
  @ApiProperty({
    example: 0,
    description: 'The instance it belongs to (instance N mounts ordinal N)',
  })
  ordinal!: number;
  @ApiProperty({ example: '10Gi', nullable: true, type: String, description: 'As declared' })
  size!: string | null;
  @ApiProperty({
    example: 4096,
    nullable: true,
    type: Number,
    description: 'What it holds now, where the runtime can tell (docker does; Kubernetes: null)',
  })
  used_bytes!: number | null;
  @ApiProperty({ description: 'A running instance mounts it' }) attached!: boolean;
  @ApiProperty({
    example: 'slipway-db-1f2e3d4c-data-0',
    description: "The runtime's name: a docker volume or a PersistentVolumeClaim",
  })
  runtime_name!: string;
}

export function toVolumeView(volume: ServiceVolume): VolumeView {
  return {
    name: volume.name,
    ordinal: volume.ordinal,
    size: volume.size,
    used_bytes: volume.usedBytes,
    attached: volume.attached,
    runtime_name: volume.runtimeName,
  };
}
