/**
 * The docker runtime's volumes: one named volume per instance ordinal and declared volume,
 * labelled as the service's, created on first use with its root owned by the contract's
 * UID (a fresh volume is root's, and the container runs as 1000 with every capability
 * dropped), kept across deployments, restarts and scaling, removed with the service.
 */
import { CONTAINER_CONTRACT, MANAGED_BY, type ServiceSpec } from '@slipway/k8s-spec';
import type Dockerode from 'dockerode';
import { Header } from 'tar';
import { RolloutFailedError, VolumeTransferError, type ServiceVolume } from '../runtime-driver';
import { engineMessage, ignoringGone, isStatus } from './docker-errors';
import { DOCKER_LABELS, serviceVolumesFilter, volumeName } from './docker-naming';

/** Where the never-started helper container mounts a fresh volume to set its owner. */
const INIT_MOUNT = 'volume';

/** A tar holding one directory entry, `volume/`, owned by the contract's UID and GID. */
function ownedDirectoryArchive(): Buffer {
  const header = new Header({
    path: `${INIT_MOUNT}/`,
    type: 'Directory',
    mode: 0o755,
    uid: CONTAINER_CONTRACT.uid,
    gid: CONTAINER_CONTRACT.gid,
    size: 0,
    mtime: new Date(0),
  });
  const block = Buffer.alloc(512);
  header.encode(block, 0);
  // The entry, then the two zero blocks that end an archive.
  return Buffer.concat([block, Buffer.alloc(1024)]);
}

export class DockerVolumes {
  constructor(
    private readonly docker: Dockerode,
    private readonly labels: Readonly<Record<string, string>>,
  ) {}

  /**
   * Makes sure instance `ordinal` finds each of its volumes, creating (and handing to the
   * contract's UID) the missing ones. The helper that sets the owner is a container of the
   * service's own image that is never started: the engine extracts an archive into its
   * mounted volume, so no code runs and no other image is needed.
   */
  async prepare(spec: ServiceSpec, image: string, ordinal: number): Promise<void> {
    for (const volume of spec.volumes ?? []) {
      const name = volumeName(spec, volume.name, ordinal);
      if (await this.exists(name)) continue;
      await this.docker.createVolume({
        Name: name,
        Driver: 'local',
        Labels: {
          ...this.labels,
          [DOCKER_LABELS.managedBy]: MANAGED_BY,
          [DOCKER_LABELS.orgId]: spec.org.id,
          [DOCKER_LABELS.projectId]: spec.project.id,
          [DOCKER_LABELS.serviceId]: spec.service.id,
          [DOCKER_LABELS.volumeName]: volume.name,
          [DOCKER_LABELS.instanceIndex]: String(ordinal),
          [DOCKER_LABELS.volumeSize]: volume.size.toString(),
        },
      });
      try {
        await this.handOver(name, image);
      } catch (error) {
        // Not left half made: the next attempt creates it again.
        await ignoringGone(() => this.docker.getVolume(name).remove());
        throw new RolloutFailedError(
          `volume ${name} could not be prepared: ${engineMessage(error)}`,
        );
      }
    }
  }

  private async exists(name: string): Promise<boolean> {
    try {
      await this.docker.getVolume(name).inspect();
      return true;
    } catch (error) {
      if (isStatus(error, 404)) return false;
      throw error;
    }
  }

  private async handOver(name: string, image: string): Promise<void> {
    const helper = await this.helper(name, image);
    try {
      await helper.putArchive(ownedDirectoryArchive(), { path: '/' });
    } finally {
      await ignoringGone(() => helper.remove({ force: true }));
    }
  }

  /** The service's volumes, with what the engine knows of their use. */
  async list(serviceId: string): Promise<ServiceVolume[]> {
    const { Volumes: volumes } = await this.docker.listVolumes({
      filters: serviceVolumesFilter(serviceId),
    });
    if (!volumes?.length) return [];
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${DOCKER_LABELS.serviceId}=${serviceId}`] },
    });
    const attached = new Set(
      containers
        .filter((c) => c.State === 'running')
        .flatMap((c) => (c.Mounts ?? []).map((m) => m.Name)),
    );
    const usage = await this.usedBytes(new Set(volumes.map((v) => v.Name)));
    return volumes
      .map((volume) => ({
        name: volume.Labels[DOCKER_LABELS.volumeName] ?? volume.Name,
        ordinal: Number(volume.Labels[DOCKER_LABELS.instanceIndex] ?? 0),
        size: volume.Labels[DOCKER_LABELS.volumeSize] ?? null,
        usedBytes: usage.get(volume.Name) ?? null,
        attached: attached.has(volume.Name),
        runtimeName: volume.Name,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.ordinal - b.ordinal);
  }

  /** Sizes from the engine's disk usage report (computed by the engine; null when it cannot). */
  private async usedBytes(names: ReadonlySet<string>): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    try {
      const report = (await this.docker.df()) as {
        Volumes?: { Name: string; UsageData?: { Size?: number } }[];
      };
      for (const volume of report.Volumes ?? []) {
        const size = volume.UsageData?.Size;
        if (names.has(volume.Name) && size !== undefined && size >= 0) sizes.set(volume.Name, size);
      }
    } catch {
      // Usage is a nicety: the list stands without it.
    }
    return sizes;
  }

  /**
   * One volume's content as a tar whose entries start with `volume/` (the helper's mount),
   * read through a never-started helper container; the helper goes when the stream ends.
   */
  async export(volume: ServiceVolume, image: string): Promise<NodeJS.ReadableStream> {
    const helper = await this.helper(volume.runtimeName, image);
    try {
      const archive = await helper.getArchive({ path: `/${INIT_MOUNT}` });
      const done = () => void ignoringGone(() => helper.remove({ force: true }));
      archive.on('end', done).on('error', done).on('close', done);
      return archive;
    } catch (error) {
      await ignoringGone(() => helper.remove({ force: true }));
      throw new VolumeTransferError(
        `volume ${volume.runtimeName} could not be read: ${engineMessage(error)}`,
      );
    }
  }

  /** Extracts an archive made by `export` into the volume, over what it holds. */
  async import(
    volume: ServiceVolume,
    image: string,
    archive: NodeJS.ReadableStream,
  ): Promise<void> {
    const helper = await this.helper(volume.runtimeName, image);
    try {
      await helper.putArchive(archive, { path: '/' });
    } catch (error) {
      throw new VolumeTransferError(
        `volume ${volume.runtimeName} could not be written: ${engineMessage(error)}`,
      );
    } finally {
      await ignoringGone(() => helper.remove({ force: true }));
    }
  }

  /** A container of `image` that is never started, with the volume mounted at `/volume`. */
  private helper(name: string, image: string): Promise<Dockerode.Container> {
    return this.docker.createContainer({
      Image: image,
      Entrypoint: ['/nonexistent'],
      Labels: { ...this.labels, [DOCKER_LABELS.managedBy]: MANAGED_BY },
      HostConfig: {
        Mounts: [{ Type: 'volume', Source: name, Target: `/${INIT_MOUNT}` }],
        NetworkMode: 'none',
      },
    });
  }

  /** Removes every volume of the service (after its containers are gone). */
  async removeAll(serviceId: string): Promise<void> {
    const { Volumes: volumes } = await this.docker.listVolumes({
      filters: serviceVolumesFilter(serviceId),
    });
    await Promise.all(
      (volumes ?? []).map((volume) =>
        ignoringGone(() => this.docker.getVolume(volume.Name).remove()),
      ),
    );
  }
}
