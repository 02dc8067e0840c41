/**
 * `npm start`: Storyline on the embedded default. DynamoDB Local (data kept in STORYLINE_DATA_DIR),
 * the tables from the one definition, the seed story, the stream runner, the HTTP host and the digest
 * schedule, until Ctrl-C or SIGTERM.
 */
import { startLocalRuntime } from './runtime';
import { StartupError } from './dynamodb-local';

const main = async (): Promise<void> => {
  const runtime = await startLocalRuntime({ log: (line) => console.log(line) });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Storyline...`);
    await runtime.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof StartupError) console.error(`storyline: ${error.message}`);
  else console.error('storyline: could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
