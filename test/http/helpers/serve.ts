// A real server process for the shutdown test: `node --import tsx serve.ts <dataDir>`.
import { loadConfig } from "../../../src/config.js";
import { startServer } from "../../../src/server.js";

const handle = await startServer(loadConfig({ port: 0, dataDir: process.argv[2]!, logLevel: "warn" }, {}));
process.stdout.write(`READY ${JSON.stringify({ url: handle.url, key: handle.initialAdminKey })}\n`);
