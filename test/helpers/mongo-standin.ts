/**
 * Test helper: a private mongo-standin plus a connected MongoClient.
 * Call `close()` in afterAll so jest exits without open handles.
 */
import { MongoClient, type Db } from 'mongodb';
import { startMongoStandin, type MongoStandin, type MongoStandinOptions } from '../../local/mongo-standin';

export interface StandinHarness {
  standin: MongoStandin;
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function startStandinWithClient(opts: MongoStandinOptions = {}): Promise<StandinHarness> {
  const standin = await startMongoStandin(opts);
  const client = new MongoClient(standin.uri);
  await client.connect();
  return {
    standin,
    client,
    db: client.db(),
    async close() {
      await client.close();
      await standin.close();
    },
  };
}
