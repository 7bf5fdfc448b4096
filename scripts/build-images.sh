#!/usr/bin/env bash
# Builds Virga's container images with podman, from Debian's packages only (no registry needed):
#
#   1. base rootfs trees made by debootstrap (Debian bookworm, minbase) and imported with
#      `podman import`:
#        localhost/virga/base          openjdk-17-jre-headless, curl        (the four services)
#        localhost/virga/base-compute  the above + qemu-system-x86, qemu-utils, runc, iproute2,
#                                      nftables                             (compute-node)
#   2. one image per service from deploy/images/Containerfile, copying the service's Quarkus JVM
#      layout (<module>/target/quarkus-app/, built by `mvn package`) onto its base:
#        localhost/virga/{api-gateway,scheduler-svc,storage-svc,network-svc,compute-node}:TAG
#   3. with --infra, images for the bundled infrastructure of docker-compose.yml:
#        localhost/virga/postgres      Debian's postgresql-15, entrypoint deploy/images/postgres/
#        localhost/virga/kafka         Apache Kafka's KRaft broker from Maven Central (jars resolved
#                                      by Maven, deploy/images/kafka/pom.xml) on the JRE base
#
# Usage: scripts/build-images.sh [--tag TAG] [--infra] [--only svc1,svc2] [--rebuild-base]
#                                [--push REGISTRY]
#   --push REGISTRY  after building, tags every image as REGISTRY/virga/<name>:TAG and pushes it
#                    (log in first: `podman login REGISTRY`); the Helm chart's image.registry value
#                    then points at REGISTRY.
# Needs root (debootstrap) and podman: scripts/setup-podman.sh installs both from Debian and writes
# the containers.conf this script uses when CONTAINERS_CONF is unset.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tag="${VIRGA_IMAGE_TAG:-0.1.0}"
infra=false
rebuild_base=false
push=""
only="api-gateway,scheduler-svc,storage-svc,network-svc,compute-node"
mirror="${VIRGA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="${VIRGA_DEBIAN_SUITE:-bookworm}"
work="${VIRGA_IMAGE_WORK:-$root/.virga/images}"

while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --infra) infra=true; shift ;;
    --only) only="$2"; shift 2 ;;
    --rebuild-base) rebuild_base=true; shift ;;
    --push) push="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "build-images: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${CONTAINERS_CONF:-}" ] && [ -f "$root/.virga/podman/containers.conf" ]; then
  export CONTAINERS_CONF="$root/.virga/podman/containers.conf"
fi
command -v podman >/dev/null || { echo "build-images: podman missing; run scripts/setup-podman.sh" >&2; exit 1; }
mkdir -p "$work/cache"

# The user every service but compute-node runs as (no login shell, owns /var/lib/virga).
VIRGA_UID=10001

# make_base NAME "pkg,pkg,..." : debootstrap a rootfs with the packages and import it as
# localhost/virga/NAME:latest. Skipped when the image exists (unless --rebuild-base).
make_base() {
  local name="$1" pkgs="$2" dir="$work/rootfs-$1"
  if ! $rebuild_base && podman image exists "localhost/virga/$name:latest"; then
    echo "build-images: base $name exists (--rebuild-base to remake it)"
    return
  fi
  command -v debootstrap >/dev/null || { echo "build-images: debootstrap missing; run scripts/setup-podman.sh" >&2; exit 1; }
  echo "build-images: debootstrap $suite ($pkgs) -> $name"
  rm -rf "$dir"
  debootstrap --variant=minbase --cache-dir="$work/cache" --include="$pkgs" "$suite" "$dir" "$mirror" \
    > "$work/debootstrap-$name.log" 2>&1 || { tail -20 "$work/debootstrap-$name.log" >&2; exit 1; }
  # slim: no apt lists, docs, man pages or locales beyond C
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/* \
    "$dir"/usr/share/info/* "$dir"/var/log/*.log
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  grep -q '^virga:' "$dir/etc/passwd" || {
    echo "virga:x:$VIRGA_UID:$VIRGA_UID:Virga service:/var/lib/virga:/usr/sbin/nologin" >> "$dir/etc/passwd"
    echo "virga:x:$VIRGA_UID:" >> "$dir/etc/group"
    echo "virga:!:19000::::::" >> "$dir/etc/shadow"
  }
  mkdir -p "$dir/var/lib/virga" "$dir/opt/virga"
  chown "$VIRGA_UID:$VIRGA_UID" "$dir/var/lib/virga"
  tar -C "$dir" --numeric-owner -cf "$work/rootfs-$name.tar" .
  podman import --change 'CMD ["/bin/bash"]' "$work/rootfs-$name.tar" "localhost/virga/$name:latest" >/dev/null
  rm -f "$work/rootfs-$name.tar"
  rm -rf "$dir"
}

service_ports() {
  case "$1" in
    api-gateway) echo "8080 9180" ;;
    scheduler-svc) echo "8182 9182" ;;
    storage-svc) echo "8183 9183" ;;
    network-svc) echo "8184 9184" ;;
    compute-node) echo "8191 9191" ;;
    *) echo "build-images: unknown service $1" >&2; exit 2 ;;
  esac
}

make_base base "openjdk-17-jre-headless,ca-certificates,curl"
case ",$only," in
  *,compute-node,*)
    make_base base-compute "openjdk-17-jre-headless,ca-certificates,curl,qemu-system-x86,qemu-utils,runc,iproute2,nftables" ;;
esac

IFS=',' read -r -a services <<< "$only"
built=()
for svc in "${services[@]}"; do
  [ -f "$root/$svc/target/quarkus-app/quarkus-run.jar" ] || {
    echo "build-images: $svc/target/quarkus-app missing; run: mvn -B -ntp -pl $svc -am package -DskipTests" >&2
    exit 1
  }
  read -r http grpc <<< "$(service_ports "$svc")"
  base="localhost/virga/base:latest"; run_as="$VIRGA_UID"
  if [ "$svc" = compute-node ]; then base="localhost/virga/base-compute:latest"; run_as=0; fi
  echo "build-images: $svc (ports $http/$grpc, user $run_as)"
  podman build -q -f "$root/deploy/images/Containerfile" --build-arg BASE="$base" --build-arg SERVICE="$svc" \
    --build-arg RUN_AS="$run_as" --build-arg HTTP_PORT="$http" --build-arg GRPC_PORT="$grpc" \
    --label "org.opencontainers.image.title=virga-$svc" --label "org.opencontainers.image.version=$tag" \
    -t "localhost/virga/$svc:$tag" "$root" >/dev/null
  built+=("$svc")
done

if $infra; then
  make_base base-postgres "postgresql-15,ca-certificates"
  podman build -q -f "$root/deploy/images/postgres/Containerfile" -t "localhost/virga/postgres:$tag" \
    "$root/deploy/images/postgres" >/dev/null
  built+=(postgres)
  kafka_ctx="$work/kafka-context"
  rm -rf "$kafka_ctx"; mkdir -p "$kafka_ctx/libs" "$kafka_ctx/data/data"
  cp "$root/deploy/images/kafka/"* "$kafka_ctx/"
  mvn -B -ntp -q ${VIRGA_MVN_OFFLINE:+-o} -f "$root/deploy/images/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$kafka_ctx/libs"
  podman build -q -f "$kafka_ctx/Containerfile" -t "localhost/virga/kafka:$tag" "$kafka_ctx" >/dev/null
  built+=(kafka)
fi

echo "build-images: built (tag $tag):"
for name in "${built[@]}"; do
  podman image inspect "localhost/virga/$name:$tag" --format "  localhost/virga/$name:$tag {{.Size}}" \
    | awk '{ printf "%s  %.0f MB\n", $1, $2 / 1000000 }'
done

if [ -n "$push" ]; then
  for name in "${built[@]}"; do
    podman tag "localhost/virga/$name:$tag" "$push/virga/$name:$tag"
    podman push "$push/virga/$name:$tag"
  done
fi
