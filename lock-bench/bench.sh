#!/usr/bin/env bash
# Lockstep, ZooKeeper and etcd side by side, each through its ordinary Java client:
#   bash lock-bench/bench.sh [--quick]
#       [--only uncontended,uncontended-shared,contended,acquire-free,handoff,watch,memory]
#       [--systems lockstep,zookeeper,etcd] [--memory-sessions N]
# Starts on loopback, each with a fresh data directory on the same disk:
#   - Lockstep: Payara Micro + the WAR, default H2 file            port 18580
#   - ZooKeeper: ZooKeeperServerMain (the jar Curator brings), fsync on  port 22181
#   - etcd: Debian's etcd-server (installed with apt-get when missing)    ports 22379/22380
# drives them with dev.lockstep.bench.Bench, prints a table and RESULT/RATIO/GOAL lines, draws the
# table as lock-bench/target/bench.svg, and stops every process it started on exit (trap),
# whatever happens. The three servers' pids are passed on: their CPU is read from /proc/<pid>/stat.
# BENCH_SKIP_BUILD=1 skips the Maven build. BENCH_SERVER_OPTS adds JVM options to the Lockstep
# server (e.g. -XX:StartFlightRecording=...), BENCH_CLIENT_OPTS to the benchmark's JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18580}
ZK_PORT=22181
ETCD_PORT=22379
ETCD_PEER_PORT=22380
DATA=$(mktemp -d /tmp/lockstep-bench.XXXXXX)
PIDS=()
LOGS=lock-bench/target/bench-logs
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  # The servers' logs of the last run stay in $LOGS; the data directories go.
  mkdir -p "$LOGS" && cp "$DATA"/*.log "$LOGS"/ 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v etcd >/dev/null; then
  echo "etcd not found: installing Debian's etcd-server with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then # BENCH_SKIP_BUILD=1 reuses the last build
  mvn -q -B -DskipTests -pl lock-web,lock-client -am install
  mvn -q -B -f lock-bench/pom.xml package
fi
CP="lock-bench/target/classes:lock-bench/target/lib/*"

# Lockstep. 2 GiB so that the memory figure can be read even where it misses its 1 GiB goal.
# The JVM option and the pre-boot commands: README, "Rules worth knowing".
java -Xmx2g ${BENCH_SERVER_OPTS:-} -Dlockstep.data.dir="$DATA/lockstep" \
  -Dorg.glassfish.grizzly.http.STRICT_HEADER_VALUE_VALIDATION_RFC_9110=false \
  -jar lock-web/target/payara-micro.jar \
  --deploy lock-web/target/ROOT.war --port "$PORT" --nocluster \
  --prebootcommandfile lock-web/target/lockstep-preboot.txt > "$DATA/lockstep.log" 2>&1 &
LOCKSTEP_PID=$!
PIDS+=("$LOCKSTEP_PID")

# ZooKeeper, standalone, as in production: the transaction log is fsynced (forceSync defaults to yes).
mkdir -p "$DATA/zookeeper"
cat > "$DATA/zoo.cfg" <<EOF
tickTime=2000
dataDir=$DATA/zookeeper
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
EOF
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" org.apache.zookeeper.server.ZooKeeperServerMain "$DATA/zoo.cfg" \
  > "$DATA/zookeeper.log" 2>&1 &
ZK_PID=$!
PIDS+=("$ZK_PID")

# etcd, one member; its WAL is fsynced on every commit by default.
etcd --name bench --data-dir "$DATA/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "bench=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
  --logger zap --log-level warn > "$DATA/etcd.log" 2>&1 &
ETCD_PID=$!
PIDS+=("$ETCD_PID")

ready() {
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null \
    && curl -sf "http://127.0.0.1:$ETCD_PORT/health" >/dev/null \
    && (exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT") 2>/dev/null
}
for _ in $(seq 1 180); do
  if ready; then break; fi
  sleep 1
done
if ! ready; then
  tail -n 30 "$DATA"/*.log
  exit 1
fi
echo "etcd $(etcd --version | head -1 | awk '{print $3}'), ZooKeeper $(ls lock-bench/target/lib | sed -n 's/^zookeeper-\([0-9.]*\)\.jar$/\1/p'), Lockstep $(git rev-parse --short HEAD)"

# The lock client's Jersey uses HttpURLConnection: keep one pooled connection per client thread
# (the JDK keeps 5 per host by default and would reconnect for the rest).
java -Xmx2g -Dhttp.maxConnections=64 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_CLIENT_OPTS:-} -cp "$CP" dev.lockstep.bench.Bench \
  --lockstep "http://127.0.0.1:$PORT" --zookeeper "127.0.0.1:$ZK_PORT" \
  --etcd "http://127.0.0.1:$ETCD_PORT" \
  --server-pid "$LOCKSTEP_PID" --zookeeper-pid "$ZK_PID" --etcd-pid "$ETCD_PID" \
  --chart lock-bench/target/bench.svg --commit "$(git rev-parse --short HEAD)" "$@"
