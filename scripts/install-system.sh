#!/usr/bin/env bash
# Install the Debian packages the portal needs, and only those that are missing.
#   scripts/install-system.sh run   → PostGIS, GDAL/GEOS/PROJ, Redis
#   scripts/install-system.sh test  → the same + Chromium and its driver (browser tests)
#   scripts/install-system.sh bench → the same + wrk (HTTP load tool of the benchmarks)
set -euo pipefail
profile="${1:-run}"

if [ -d /usr/lib/postgresql ] && ls /usr/lib/postgresql | grep -q .; then
  pgver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
else
  pgver=15
fi

packages=("postgresql-$pgver" "postgresql-$pgver-postgis-3" "postgresql-client-$pgver" gdal-bin redis-server)
# WeasyPrint (the PDF portrait) lays text out with Pango and HarfBuzz.
packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$profile" = "test" ]; then
  # poppler-utils: pdftotext reads the PDF portrait back in the tests; curl resumes and revalidates
  # open-data downloads in them (a client nobody here wrote).
  packages+=(chromium chromium-driver fonts-dejavu-core poppler-utils curl)
fi
if [ "$profile" = "bench" ]; then
  packages+=(wrk)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "→ Paquets système à installer : ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "✓ Paquets système installés"
