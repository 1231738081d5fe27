/** Maps the `scriptcontract.*` settings a user set in VS Code to the server's settings object. */

/** How one setting is set, as `WorkspaceConfiguration.inspect()` reports it. */
export interface SettingInspection {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/** Reads one `scriptcontract.<key>` setting's inspection; undefined when VS Code knows no such key. */
export type InspectSetting = (key: string) => SettingInspection | undefined;

/**
 * Settings the server reads, by their VS Code key (under `scriptcontract.`) and their path in the
 * server's camelCase settings object.
 */
export const SERVER_SETTINGS: ReadonlyArray<{ key: string; path: readonly string[] }> = [
  { key: "lint.enabled", path: ["lint", "enabled"] },
  { key: "lint.run", path: ["lint", "run"] },
  { key: "run.timeoutMs", path: ["run", "timeoutMs"] },
  { key: "run.python", path: ["run", "python"] },
  { key: "run.mode", path: ["run", "mode"] },
  { key: "docs.baseUrl", path: ["docs", "baseUrl"] },
  { key: "severity", path: ["severity"] },
  { key: "logLevel", path: ["logLevel"] },
];

/** Settings only this extension reads: changing one means starting the server again. */
export const CLIENT_SETTINGS = ["interpreter", "importStrategy"] as const;

/** The value the user chose, most specific scope first; undefined when only the default applies. */
export function explicitValue(inspection: SettingInspection | undefined): unknown {
  if (inspection === undefined) {
    return undefined;
  }
  const scopes = [
    inspection.workspaceFolderLanguageValue,
    inspection.workspaceFolderValue,
    inspection.workspaceLanguageValue,
    inspection.workspaceValue,
    inspection.globalLanguageValue,
    inspection.globalValue,
  ];
  return scopes.find((value) => value !== undefined);
}

/**
 * The server settings object holding only what the user set.
 *
 * Keys left at their defaults are left out on purpose: the server layers editor settings over
 * the project's scriptcontract.toml, so sending VS Code's defaults would silently override a
 * project's own choices (its timeout, its interpreter).
 */
export function serverSettings(inspect: InspectSetting): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const { key, path } of SERVER_SETTINGS) {
    const value = explicitValue(inspect(key));
    // An empty path or address means "the default", as the setting's description says.
    if (value === undefined || ((key === "run.python" || key === "docs.baseUrl") && value === "")) {
      continue;
    }
    setPath(settings, path, value);
  }
  return settings;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const child = node[part];
    if (typeof child !== "object" || child === null) {
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** Whether a configuration change needs a server restart (true) or only a settings push (false). */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return CLIENT_SETTINGS.some((key) => affects(`scriptcontract.${key}`));
}
