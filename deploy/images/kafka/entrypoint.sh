#!/bin/sh
# Writes server.properties from KAFKA_* variables (KAFKA_LOG_DIRS -> log.dirs; KAFKA_HEAP_OPTS and
# KAFKA_OPTS are JVM options, not broker settings), formats the log directory once with
# CLUSTER_ID, and runs the broker.
set -eu
: "${CLUSTER_ID:=MkU3OEVBNTcwNTJENDM2Qk}"
: "${KAFKA_LOG_DIRS:=/var/lib/kafka/data}"
export KAFKA_LOG_DIRS
conf="${TMPDIR:-/tmp}/server.properties"
: > "$conf"
env | while IFS='=' read -r key value; do
  case "$key" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS) ;;
    KAFKA_*) echo "$(echo "${key#KAFKA_}" | tr 'A-Z_' 'a-z.')=$value" >> "$conf" ;;
  esac
done
cp=/opt/kafka/libs/*
run() { java $KAFKA_HEAP_OPTS ${KAFKA_OPTS:-} -cp "$cp" "$@"; }
if [ ! -f "$KAFKA_LOG_DIRS/meta.properties" ]; then
  mkdir -p "$KAFKA_LOG_DIRS"
  run kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$conf" --ignore-formatted
fi
exec java $KAFKA_HEAP_OPTS ${KAFKA_OPTS:-} -cp "$cp" kafka.Kafka "$conf"
