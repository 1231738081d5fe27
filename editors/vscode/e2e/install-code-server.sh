#!/usr/bin/env bash
# Installs code-server (real VS Code, served to a browser) into a cache folder, once.
#
# Usage: install-code-server.sh DIR   (prints the code-server executable's path)
#
# A plain `npm install code-server` cannot work offline-from-GitHub: @vscode/ripgrep's install
# script downloads a binary from outside the package registry. So scripts are skipped, Debian's
# rg is linked where ripgrep's package expects its binary (its install script then finds it and
# stops), and the native modules are rebuilt from source. 4.100.3 (VS Code 1.100) is the last
# code-server line that runs on Node 20.
set -euo pipefail

version=4.100.3
dir=${1:?usage: install-code-server.sh DIR}
marker="$dir/.installed-$version"
bin="$dir/node_modules/code-server/out/node/entry.js"
if [ -f "$marker" ]; then
  echo "$bin"
  exit 0
fi

for tool in node npm rg g++ make; do
  command -v "$tool" >/dev/null || { echo "install-code-server: $tool is missing" >&2; exit 2; }
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  echo "install-code-server: code-server $version needs Node 20, this is Node $node_major" >&2
  exit 2
fi

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
echo '{"name": "code-server-for-e2e", "private": true}' > package.json
{
  npm install --ignore-scripts "code-server@$version"
  npm rebuild argon2
  cd node_modules/code-server/lib/vscode
  npm install --ignore-scripts --omit=dev
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild
  # What code-server's own postinstall would have done:
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  cd extensions
  npm install --omit=dev
} >"$dir/install.log" 2>&1 || {
  echo "install-code-server: failed; the end of $dir/install.log:" >&2
  tail -n 30 "$dir/install.log" >&2
  exit 2
}
node "$bin" --version >/dev/null
touch "$marker"
echo "$bin"
