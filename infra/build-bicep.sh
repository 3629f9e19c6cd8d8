#!/bin/sh
# Restores the Bicep CLI from NuGet, then builds and lints every infra/*.bicep.
# Fails (non-zero) on any error or warning, so CI keeps the templates clean.
set -eu

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
infra_dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *) echo "build-bicep: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
package="Azure.Bicep.CommandLine.$rid"

# A throwaway project outside the repository (no central package management) that only downloads the CLI package.
cat > "$work/bicep-restore.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$package" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
PROJ
dotnet restore "$work/bicep-restore.csproj" --nologo -v quiet

packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
lower=$(printf '%s' "$package" | tr '[:upper:]' '[:lower:]')
bicep="${packages%/}/$lower/$BICEP_VERSION/tools/bicep"
if [ ! -f "$bicep" ]; then
  echo "build-bicep: $bicep not found after restore" >&2
  exit 1
fi
chmod +x "$bicep"
"$bicep" --version

status=0
for file in "$infra_dir"/*.bicep; do
  name=$(basename "$file")
  log="$work/$name.log"
  if ! "$bicep" build "$file" --outdir "$work" > "$log" 2>&1; then
    status=1
  fi
  if ! "$bicep" lint "$file" >> "$log" 2>&1; then
    status=1
  fi
  if grep -Eq ': (Warning|Error) ' "$log"; then
    status=1
  fi
  if [ -s "$log" ]; then
    sort -u "$log"
  fi
  echo "build-bicep: $name checked"
done

if [ "$status" -ne 0 ]; then
  echo "build-bicep: FAILED (errors or warnings above)" >&2
  exit 1
fi
echo "build-bicep: all templates build and lint clean"
