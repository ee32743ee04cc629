#!/usr/bin/env bash
# Runs the main job on a local default: `pulumi up` of one stack (staging unless named)
# with a local file backend and the local Docker engine.
#
#   PULUMI_CONFIG_PASSPHRASE=... npm run deploy:local            # staging
#   PULUMI_CONFIG_PASSPHRASE=... npm run deploy:local -- production
#
# State lives in $GENESIS_STATE_DIR (default ~/.genesis/pulumi-state) unless
# PULUMI_BACKEND_URL is set; your global `pulumi login` is left alone.
set -euo pipefail

stack="${1:-staging}"
shift || true
cd "$(dirname "$0")/.."

fail() {
  echo "deploy:local: $*" >&2
  exit 1
}

command -v pulumi >/dev/null 2>&1 || fail "the Pulumi CLI is not on PATH; install it (https://www.pulumi.com/docs/install/)"
command -v docker >/dev/null 2>&1 || fail "docker is not on PATH; install Docker Engine"
docker info >/dev/null 2>&1 || fail "the Docker engine is not reachable ('docker info' failed); start it or set DOCKER_HOST"
[ -f "Pulumi.${stack}.yaml" ] || fail "no stack file Pulumi.${stack}.yaml; stacks here: staging, production"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  fail "set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE: the local backend encrypts this stack's secrets with it"
fi

if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  state_dir="${GENESIS_STATE_DIR:-$HOME/.genesis/pulumi-state}"
  mkdir -p "$state_dir"
  export PULUMI_BACKEND_URL="file://${state_dir}"
fi
echo "deploy:local: stack ${stack}, state in ${PULUMI_BACKEND_URL}"

pulumi stack select --create "$stack" --non-interactive

if ! pulumi config get genesis:grafanaAdminPassword --stack "$stack" >/dev/null 2>&1; then
  # Generated here, stored only encrypted in the stack file, never echoed.
  head -c 24 /dev/urandom | base64 | tr -d '\n/+=' |
    pulumi config set --secret genesis:grafanaAdminPassword --stack "$stack"
  echo "deploy:local: generated Grafana's admin password; read it with: pulumi config get genesis:grafanaAdminPassword --stack ${stack}"
fi

app_enabled="$(pulumi config get genesis:appEnabled --stack "$stack" 2>/dev/null || echo false)"
app_image="$(pulumi config get genesis:appImage --stack "$stack" 2>/dev/null || echo genesis-app:local)"
if [ "$app_enabled" = "true" ] && [ "$app_image" = "genesis-app:local" ] &&
  ! docker image inspect genesis-app:local >/dev/null 2>&1; then
  echo "deploy:local: building the reference service image genesis-app:local"
  docker build -f app/Dockerfile -t genesis-app:local .
fi

exec pulumi up --stack "$stack" "$@"
