import { createLogger } from '../logger.js';
import { DatasetError, loadDatasetFile } from './dataset.js';
import { DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_INSTANCE_IDS } from './demo-data.js';
import { startEmulator } from './server.js';
import type { EmulatorDataset } from './types.js';

/** The emulator's configuration, read once from the environment. */
interface EmulatorConfig {
  host: string;
  port: number;
  dataPath: string | undefined;
  accessKeyId: string;
  accessKeySecret: string;
}

class ConfigError extends Error {
  override name = 'ConfigError';
}

function readConfig(env: NodeJS.ProcessEnv): EmulatorConfig {
  const rawPort = env.EMULATOR_PORT ?? '4010';
  const port = Number(rawPort);
  if (!/^[0-9]+$/.test(rawPort) || port > 65535) {
    throw new ConfigError(
      `EMULATOR_PORT must be an integer from 0 to 65535, received "${rawPort}"`,
    );
  }
  const host = env.EMULATOR_HOST || '127.0.0.1';
  const accessKeyId = env.EMULATOR_ACCESS_KEY_ID ?? DEMO_ACCESS_KEY_ID;
  const accessKeySecret = env.EMULATOR_ACCESS_KEY_SECRET ?? DEMO_ACCESS_KEY_SECRET;
  for (const [name, value] of [
    ['EMULATOR_ACCESS_KEY_ID', accessKeyId],
    ['EMULATOR_ACCESS_KEY_SECRET', accessKeySecret],
  ] as const) {
    if (value.trim() === '') {
      throw new ConfigError(`${name} must not be empty when set`);
    }
  }

  return { host, port, dataPath: env.EMULATOR_DATA || undefined, accessKeyId, accessKeySecret };
}

async function main(): Promise<void> {
  const logger = createLogger({ pretty: process.stdout.isTTY === true });
  let config: EmulatorConfig;
  let dataset: EmulatorDataset | undefined;
  try {
    config = readConfig(process.env);
    dataset = config.dataPath ? await loadDatasetFile(config.dataPath) : undefined;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatasetError) {
      logger.fatal(error.message);
      logger.flush();
      process.exitCode = 1;

      return;
    }
    throw error;
  }

  const emulator = await startEmulator({ ...config, dataset, logger });
  // The demo pair is public; a configured secret is never printed.
  const customSecret = config.accessKeySecret !== DEMO_ACCESS_KEY_SECRET;
  const secret = customSecret ? '(custom secret configured)' : config.accessKeySecret;
  const instances = dataset ? Object.keys(dataset.instances) : Object.values(DEMO_INSTANCE_IDS);
  logger.info(
    { url: emulator.url, dataset: config.dataPath ?? 'demo', instances },
    `R-kvstore emulator listening on ${emulator.url} (key id ${config.accessKeyId}, secret ${secret})`,
  );

  const stop = (signal: string) => {
    logger.info({ signal }, 'R-kvstore emulator stopping');
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  createLogger().fatal({ err: error }, 'R-kvstore emulator failed to start');
  process.exitCode = 1;
});
