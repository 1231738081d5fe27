/** Settings of the runs' report that only this extension reads. */

import * as vscode from "vscode";

import { SECTION } from "./configuration";

/** scriptcontract.runs.fullResult: append each run's whole result (sandbox details) too. */
export function fullResultWanted(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>("runs.fullResult") === true;
}
