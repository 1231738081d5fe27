/**
 * Tells the server that this extension shows a run's outcome itself (status bar, runs
 * output, one warning when a run did not start), so the server sends no second message
 * for a refused run (`experimental.scriptcontract.runOutcomes`, see docs/server.md).
 */

import type { ClientCapabilities, FeatureState, StaticFeature } from "vscode-languageclient/node";

export class RunOutcomesFeature implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    const experimental = (capabilities.experimental ?? {}) as Record<string, unknown>;
    const ours = (experimental.scriptcontract ?? {}) as Record<string, unknown>;
    capabilities.experimental = { ...experimental, scriptcontract: { ...ours, runOutcomes: true } };
  }

  initialize(): void {}

  getState(): FeatureState {
    return { kind: "static" };
  }

  clear(): void {}
}
