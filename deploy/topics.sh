#!/usr/bin/env bash
# Create (or bring into line) every Dongseon topic on an Apache Kafka cluster.
# 동선 토픽 생성 스크립트: 이미 있는 토픽은 건너뛰고 min.insync.replicas만 맞춥니다.
#
# Names and partition counts must match schemas/topics.py (all_topics());
# `python deploy/check_topics.py` fails when they drift apart.
#
# Environment:
#   KAFKA_BOOTSTRAP_SERVERS   brokers to talk to              (default kafka-1:19092)
#   REPLICATION_FACTOR        replicas per partition           (default 3)
#   MIN_INSYNC_REPLICAS       min.insync.replicas per topic    (default 2)
#   EVENT_RETENTION_MS        retention of event topics        (default 604800000 = 7 days)
#   DEADLETTER_RETENTION_MS   retention of dead-letter topics  (default 2592000000 = 30 days)
#   KAFKA_BIN                 directory of the Kafka CLI tools (default /opt/kafka/bin)
#   WAIT_SECONDS              how long to wait for the cluster (default 120)
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka-1:19092}"
RF="${REPLICATION_FACTOR:-3}"
MIN_ISR="${MIN_INSYNC_REPLICAS:-2}"
EVENT_RETENTION_MS="${EVENT_RETENTION_MS:-604800000}"
DEADLETTER_RETENTION_MS="${DEADLETTER_RETENTION_MS:-2592000000}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
WAIT_SECONDS="${WAIT_SECONDS:-120}"

# name partitions retention-variable  — keep in step with schemas/topics.py
TOPICS=(
  "dongseon.scheduler.itinerary.v1 3 EVENT_RETENTION_MS"
  "dongseon.briefing.briefings.v1 3 EVENT_RETENTION_MS"
  "dongseon.notifier.notices.v1 3 EVENT_RETENTION_MS"
  "dongseon.deadletter.briefing 1 DEADLETTER_RETENTION_MS"
  "dongseon.deadletter.notifier 1 DEADLETTER_RETENTION_MS"
)

if (( MIN_ISR > RF )); then
  echo "MIN_INSYNC_REPLICAS ($MIN_ISR) must not exceed REPLICATION_FACTOR ($RF)" >&2
  exit 2
fi

topics_cmd() { "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" "$@"; }

# Wait until enough brokers are registered to place REPLICATION_FACTOR replicas;
# creating a topic earlier fails ("replication factor larger than available brokers").
brokers_up() {
  "$KAFKA_BIN/kafka-broker-api-versions.sh" --bootstrap-server "$BOOTSTRAP" 2>/dev/null \
    | grep -c "(id: " || true
}
echo "waiting for $RF brokers at $BOOTSTRAP (up to ${WAIT_SECONDS}s)"
deadline=$(( $(date +%s) + WAIT_SECONDS ))
until (( $(brokers_up) >= RF )); do
  if (( $(date +%s) >= deadline )); then
    echo "fewer than $RF brokers answered at $BOOTSTRAP within ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  sleep 3
done

for entry in "${TOPICS[@]}"; do
  read -r name partitions retention_var <<<"$entry"
  retention="${!retention_var}"
  topics_cmd --create --if-not-exists \
    --topic "$name" \
    --partitions "$partitions" \
    --replication-factor "$RF" \
    --config "min.insync.replicas=$MIN_ISR" \
    --config "retention.ms=$retention" \
    --config "unclean.leader.election.enable=false"

  # An existing topic keeps its partitions; only its configuration is brought into line.
  "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --alter \
    --entity-type topics --entity-name "$name" \
    --add-config "min.insync.replicas=$MIN_ISR,retention.ms=$retention" >/dev/null

  actual=$(topics_cmd --describe --topic "$name" | grep -c "Partition: " || true)
  if [[ "$actual" != "$partitions" ]]; then
    echo "WARNING: $name has $actual partitions, schemas/topics.py says $partitions" >&2
  fi
  echo "ok  $name  partitions=$actual rf=$RF min.insync.replicas=$MIN_ISR retention.ms=$retention"
done

topics_cmd --describe --topic 'dongseon\..*' || true
