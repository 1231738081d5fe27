/** Asks a language server over stdio what it can do (its initialize answer), then shuts it down. */

import { spawn } from "node:child_process";

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

/**
 * Resolves with `{capabilities}` when the server answered initialize, or with `{problem}` saying
 * why not (it exited, or did not answer within `timeoutMs`).
 */
export function probeServer(command, args, { cwd, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = Buffer.alloc(0);
    let stderr = "";
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ problem: `no answer to initialize within ${timeoutMs} ms; stderr: ${stderr.trim()}` });
    }, timeoutMs);
    child.on("error", (error) => finish({ problem: `cannot start ${command}: ${error.message}` }));
    child.on("exit", (code) =>
      finish({ problem: `the server exited with code ${code} before answering initialize: ${stderr.trim()}` }),
    );
    child.stderr.on("data", (chunk) => {
      stderr += chunk.toString();
    });
    child.stdout.on("data", (chunk) => {
      stdout = Buffer.concat([stdout, chunk]);
      for (;;) {
        const headerEnd = stdout.indexOf("\r\n\r\n");
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(stdout.subarray(0, headerEnd).toString())?.[1]);
        if (stdout.length < headerEnd + 4 + length) return;
        const message = JSON.parse(stdout.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"));
        stdout = stdout.subarray(headerEnd + 4 + length);
        if (message.id === 1) {
          const capabilities = message.result?.capabilities ?? {};
          child.removeAllListeners("exit");
          child.stdin.write(frame({ jsonrpc: "2.0", id: 2, method: "shutdown" }));
          child.stdin.write(frame({ jsonrpc: "2.0", method: "exit" }));
          setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          finish(message.error ? { problem: `initialize failed: ${message.error.message}` } : { capabilities });
        }
      }
    });
    child.stdin.on("error", () => {});
    child.stdin.write(
      frame({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: {} } },
      }),
    );
  });
}

/** The server's executeCommandProvider commands. */
export function serverCommands(capabilities) {
  return new Set(capabilities?.executeCommandProvider?.commands ?? []);
}
