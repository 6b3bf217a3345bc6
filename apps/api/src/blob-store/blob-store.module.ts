import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { BlobStore, DirectoryBlobStore } from './blob-store';

@Global()
@Module({
  providers: [
    {
      provide: BlobStore,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<BlobStore> => {
        const store = new DirectoryBlobStore(config.bundles.dir);
        await store.init();
        return store;
      },
    },
  ],
  exports: [BlobStore],
})
export class BlobStoreModule {}
