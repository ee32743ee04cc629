#!/bin/sh
# Builds the stand-in images the engine tests run (no registry can be pulled from here):
# Prometheus, Alertmanager and Node Exporter FROM scratch with Debian's binaries and
# busybox-static, a Node.js base from this machine's node, and the reference service from
# app/ on it. Each image is tagged with the reference the stack config uses, digest removed
# (an engine cannot tag a digest; the applier strips it and records it).
#
# Usage: DOCKER_HOST=unix:///path/docker.sock images/buildImages.sh \
#          prometheus=prom/prometheus:v2.55.1 alertmanager=prom/alertmanager:v0.27.0 \
#          node-exporter=prom/node-exporter:v1.8.2 app=genesis-app:local
# Needs: docker (CLI), busybox-static, prometheus, prometheus-alertmanager,
# prometheus-node-exporter, node, and the project's node_modules (for app).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
work=$(mktemp -d "${TMPDIR:-/tmp}/genesis-images-XXXXXX")
trap 'rm -rf "$work"' EXIT
# The classic builder: the buildx plugin is not part of Debian's docker.io.
export DOCKER_BUILDKIT=0

# base DIR USER UID: busybox and its applets in /bin, /etc/passwd and /etc/group with root,
# nobody (65534) and USER (UID), and /tmp (1777), as the upstream busybox bases have.
base() {
  mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/home"
  chmod 1777 "$1/tmp"
  cp /bin/busybox "$1/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"
  done
  {
    echo "root:x:0:0:root:/root:/bin/sh"
    echo "nobody:x:65534:65534:nobody:/home:/bin/false"
    [ "$2" = nobody ] || echo "$2:x:$3:$3:$2:/home/$2:/bin/sh"
  } >"$1/etc/passwd"
  {
    echo "root:x:0:"
    echo "nogroup:x:65534:"
    [ "$2" = nobody ] || echo "$2:x:$3:"
  } >"$1/etc/group"
}

# binary SRC DEST DIR: SRC copied to DIR/DEST, with every library `ldd` lists at its path.
binary() {
  mkdir -p "$3$(dirname "$2")"
  cp "$1" "$3$2"
  for lib in $(ldd "$1" | awk '/=> \// { print $3 } /^[[:space:]]*\// { print $1 }'); do
    mkdir -p "$3$(dirname "$lib")"
    cp -L "$lib" "$3$lib"
  done
}

build() { # build NAME TAG: docker build images/NAME with the context assembled in $work/NAME
  docker build --quiet -f "$here/$1/Dockerfile" -t "$2" "$work/$1" >/dev/null
  echo "built $2 from images/$1"
}

for arg in "$@"; do
  name=${arg%%=*}
  tag=${arg#*=}
  ctx="$work/$name"
  mkdir -p "$ctx/owned"
  case "$name" in
    prometheus)
      base "$ctx/base" nobody 65534
      binary /usr/bin/prometheus /bin/prometheus "$ctx/bin"
      mkdir -p "$ctx/owned/etc/prometheus" "$ctx/owned/prometheus"
      printf 'global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ["localhost:9090"]\n' \
        >"$ctx/owned/etc/prometheus/prometheus.yml"
      ;;
    alertmanager)
      base "$ctx/base" nobody 65534
      binary /usr/bin/prometheus-alertmanager /bin/alertmanager "$ctx/bin"
      # Debian's build reads its notification templates from this directory (upstream's
      # binary embeds them): without it Alertmanager refuses every config.
      mkdir -p "$ctx/bin/usr/share/prometheus"
      cp -R /usr/share/prometheus/alertmanager "$ctx/bin/usr/share/prometheus/"
      mkdir -p "$ctx/owned/etc/alertmanager" "$ctx/owned/alertmanager"
      printf "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n" \
        >"$ctx/owned/etc/alertmanager/alertmanager.yml"
      ;;
    node-exporter)
      base "$ctx/base" nobody 65534
      binary /usr/bin/prometheus-node-exporter /bin/node_exporter "$ctx/bin"
      ;;
    node-base)
      base "$ctx/base" node 1000
      binary "$(readlink -f "$(command -v node)")" /usr/local/bin/node "$ctx/bin"
      ;;
    app)
      # app/Dockerfile's build stage, on this machine: tsc with its flags, then the
      # production packages app/ needs (with their dependencies) from node_modules.
      mkdir -p "$ctx/out"
      (cd "$project" && npx tsc --outDir "$ctx/out" --rootDir . --module commonjs \
        --target ES2022 --esModuleInterop --skipLibCheck --strict app/main.ts)
      node "$here/app/copyModules.js" "$project" "$ctx/out/node_modules" \
        @openfeature/server-sdk @openfeature/flagd-provider prom-client
      ;;
    metrics-standin)
      # Not an upstream image: busybox httpd serving one static /metrics page, for the
      # scrape targets of services that cannot run here (Grafana, flagd). Tests that run it
      # say so in their names.
      base "$ctx/base" nobody 65534
      mkdir -p "$ctx/bin/www"
      printf '# HELP genesis_standin_info A stand-in answers this target: the real service is not run here.\n# TYPE genesis_standin_info gauge\ngenesis_standin_info 1\n' \
        >"$ctx/bin/www/metrics"
      ;;
    *)
      echo "buildImages.sh: unknown image $name; known: prometheus alertmanager node-exporter node-base app metrics-standin" >&2
      exit 2
      ;;
  esac
  build "$name" "$tag"
done
