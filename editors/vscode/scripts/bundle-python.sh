#!/usr/bin/env bash
# Puts the language server's Python package and its dependencies into bundled/, so that
# installing the .vsix is enough.
#
# Everything the server needs is pure Python except pydantic_core. bundled/libs holds the pure
# part, for any interpreter; bundled/native/cpXY-<platform> holds pydantic_core built for each
# CPython from 3.10 on, for the platform this runs on (Linux x86_64 and aarch64 get every
# version; other platforms get the packaging interpreter's only). The launcher
# (bundled/tool/serve.py) picks the folder that fits the user's interpreter, and says so clearly
# when none does (the user can then install scriptcontract into that interpreter and set
# scriptcontract.importStrategy to "fromEnvironment").
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
repo=${SCRIPTCONTRACT_BUNDLE_SOURCE:-$(cd "$here/../.." && pwd)}
python=${PYTHON:-python3}
versions=${SCRIPTCONTRACT_BUNDLE_PYTHONS:-"3.10 3.11 3.12 3.13 3.14"}
pip=("$python" -m pip --disable-pip-version-check --quiet)

libs="$here/bundled/libs"
native="$here/bundled/native"
rm -rf "$libs" "$native"
mkdir -p "$libs" "$native"

"${pip[@]}" install --no-compile --target "$libs" "$repo"
# tomli is only needed on 3.10 (tomllib arrived in 3.11), and its wheels for the packaging
# interpreter are compiled: take the pure-Python one, which runs everywhere.
"${pip[@]}" install --no-compile --no-deps --target "$libs" --upgrade \
  --only-binary=:all: --implementation py --platform any --python-version 3.10 "tomli>=2.0"
# debugpy ("Debug with inputs", the `debug` extra): its universal wheel, for any interpreter;
# pydevd runs without its compiled speedups. Its Windows files go (scriptcontract's sandbox is
# Linux's); its attach libraries stay: loaded with ctypes whatever the Python version, they let
# pydevd trace every thread of the script (without one, it says so on the script's stderr).
"${pip[@]}" install --no-compile --no-deps --target "$libs" --upgrade \
  --only-binary=:all: --implementation py --platform any --python-version 3.10 "debugpy>=1.8"
find "$libs/debugpy" \( -name '*.pyd' -o -name '*.dll' -o -name '*.exe' \) -delete
attach_libs="$libs/debugpy/_vendored/pydevd/pydevd_attach_to_process"
rm -rf "$libs/bin" "$libs"/*.dist-info/direct_url.json
# watchfiles (compiled) serves only `scriptcontract check --watch`, never the server.
rm -rf "$libs"/watchfiles "$libs"/watchfiles-*.dist-info
# jsonschema serves only the CLI's `run` and `test` (a declared schema checked before a run),
# never the server; it brings rpds-py, compiled.
rm -rf "$libs"/jsonschema "$libs"/jsonschema-*.dist-info \
  "$libs"/jsonschema_specifications "$libs"/jsonschema_specifications-*.dist-info \
  "$libs"/referencing "$libs"/referencing-*.dist-info "$libs"/rpds "$libs"/rpds_py-*.dist-info
find "$libs" -name __pycache__ -type d -prune -exec rm -rf {} +

core_version=$(cd "$libs" && ls -d pydantic_core-*.dist-info | sed -e 's/^pydantic_core-//' -e 's/\.dist-info$//')
own_tag=$("$python" -c 'import sys, sysconfig; print("cp%d%d-%s" % (sys.version_info[0], sys.version_info[1], sysconfig.get_platform()))')
mkdir -p "$native/$own_tag"
mv "$libs/pydantic_core" "$libs"/pydantic_core-*.dist-info "$native/$own_tag/"

# Nothing else may be compiled (debugpy's attach libraries aside, above): a new compiled
# dependency needs its own native folders.
if compiled=$(find "$libs" -path "$attach_libs" -prune -o \( -name '*.so' -o -name '*.pyd' -o -name '*.dylib' \) -print | grep .); then
  echo "bundle-python: compiled files outside pydantic_core; bundle them per interpreter:" >&2
  echo "$compiled" >&2
  exit 1
fi

platform=$("$python" -c 'import sysconfig; print(sysconfig.get_platform())')
case "$platform" in
  linux-x86_64) wheel_platforms=(manylinux_2_17_x86_64 manylinux2014_x86_64) ;;
  linux-aarch64) wheel_platforms=(manylinux_2_17_aarch64 manylinux2014_aarch64) ;;
  *) wheel_platforms=() ;;
esac
if [ ${#wheel_platforms[@]} -gt 0 ]; then
  wheels=$(mktemp -d)
  trap 'rm -rf "$wheels"' EXIT
  for version in $versions; do
    tag="cp${version/./}-$platform"
    [ -d "$native/$tag" ] && continue
    platform_args=()
    for wheel_platform in "${wheel_platforms[@]}"; do platform_args+=(--platform "$wheel_platform"); done
    "${pip[@]}" download --no-deps --only-binary=:all: --implementation cp \
      --python-version "$version" "${platform_args[@]}" -d "$wheels/$version" \
      "pydantic_core==$core_version"
    mkdir -p "$native/$tag"
    "$python" -m zipfile -e "$wheels/$version"/pydantic_core-*.whl "$native/$tag"
  done
fi
echo "bundle-python: server + pure-Python dependencies in bundled/libs;" \
  "pydantic_core $core_version for: $(ls "$native" | tr '\n' ' ')"
