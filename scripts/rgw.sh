#!/usr/bin/env bash
# A one-node Ceph cluster with an S3 gateway, for tests: one monitor, one memstore OSD, one
# radosgw (beast on 127.0.0.1 only), pool size 1, no mgr, no systemd, cephx keys generated,
# everything (config, keyring, data, logs, sockets, PIDs) under one temporary directory.
#
#   eval "$(bash scripts/rgw.sh start)"   # prints export lines: RGW_DIR, RGW_ENDPOINT, RGW_REGION,
#                                         # RGW_BUCKET, RGW_ACCESS_KEY, RGW_SECRET_KEY (also in $RGW_DIR/env)
#   bash scripts/rgw.sh stop "$RGW_DIR"   # kills exactly the PIDs in $RGW_DIR/pids, waits, removes the directory
#
# Callers must stop it from a `trap … EXIT`. A failed start stops whatever it had started.
# Ports: RGW_PORT (default 17480) for S3, RGW_MON_PORT (default 17489) for the monitor; never
# reuse a monitor port another cluster holds (a second cluster would join the first).
# Packages: bash scripts/setup.sh ceph-mon ceph-osd radosgw ceph-common
set -euo pipefail

log() { echo "rgw.sh: $*" >&2; }
# Seconds since the start, for the phase times in $DIR/log/times.
mark() { awk -v a="$T0" -v b="$(date +%s.%N)" -v what="$1" 'BEGIN{printf "%5.1f s  %s\n", b-a, what}' >> "$DIR/log/times"; }

# True while PID is still the daemon we started (guards against a reused PID); a zombie is not.
is_ours() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && grep -qaF -- "$2" "/proc/$1/cmdline" 2>/dev/null
}

# Stops the daemons whose PIDs are recorded in $1/pids (newest first), then removes $1.
stop_cluster() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ ! -f "$dir/.s3file-rgw" ] && rmdir "$dir" 2>/dev/null; then return 0; fi  # chosen, never started
  if [ ! -f "$dir/.s3file-rgw" ]; then
    log "$dir is not a directory made by rgw.sh start; not touching it"
    return 1
  fi
  local pids=()
  if [ -f "$dir/pids" ]; then mapfile -t pids < <(tac "$dir/pids"); fi
  # One at a time, newest first: radosgw shuts down quickly only while the OSD and the monitor
  # still answer (with them gone it hangs on SIGTERM), and the OSD likewise needs the monitor.
  local line pid name
  for line in "${pids[@]}"; do
    pid=${line%% *}; name=${line#* }
    is_ours "$pid" "$name" || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do  # up to 10 s
      is_ours "$pid" "$name" || break
      sleep 0.1
    done
    if is_ours "$pid" "$name"; then
      log "$name (PID $pid) ignored SIGTERM for 10 s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do is_ours "$pid" "$name" || break; sleep 0.1; done
    fi
  done
  rm -rf "$dir"
}

# Starts a daemon in the background with its output in the log folder; records "PID binary".
spawn() {
  local name=$1; shift
  nohup "$@" </dev/null >"$DIR/log/$name.out" 2>&1 &
  echo "$! $(basename "$1")" >> "$DIR/pids"
}

start_cluster() {
  local rgw_port=${RGW_PORT:-17480} mon_port=${RGW_MON_PORT:-17489}
  local bucket=${RGW_BUCKET:-s3file-rgw} region=${RGW_REGION:-us-east-1}
  T0=$(date +%s.%N)
  for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
    command -v "$tool" >/dev/null || { log "$tool is missing: bash scripts/setup.sh ceph-mon ceph-osd radosgw ceph-common"; exit 1; }
  done
  for port in "$rgw_port" "$mon_port"; do
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      log "port $port on 127.0.0.1 is taken (another cluster?); set RGW_PORT / RGW_MON_PORT"; exit 1
    fi
  done

  DIR=${RGW_DIR:-$(mktemp -d /tmp/s3file-rgw.XXXXXX)}
  mkdir -p "$DIR"/{run,log,crash,mon/ceph-a,osd/ceph-0,rgw}
  touch "$DIR/.s3file-rgw" "$DIR/pids"
  # From here on a failure stops what was started and removes the directory.
  trap 'status=$?; if [ $status -ne 0 ]; then log "start failed (logs were in $DIR/log):"; tail -n 5 "$DIR"/log/*.out >&2 2>/dev/null || true; stop_cluster "$DIR" || true; fi' EXIT

  local fsid osd_uuid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  cat > "$DIR/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $DIR/keyring
run dir = $DIR/run
admin socket = $DIR/run/\$cluster-\$name.asok
log file = $DIR/log/\$name.log
crash dir = $DIR/crash
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
rgw data = $DIR/rgw
mon cluster log to file = false
paxos propose interval = 0.01
osd objectstore = memstore
memstore device bytes = ${RGW_MEMSTORE_BYTES:-4294967296}
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd crush chooseleaf type = 0
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw gc obj min wait = 0
rgw gc processor period = 2
EOF
  export CEPH_CONF=$DIR/ceph.conf

  # cephx: one keyring with every entity; the monitor imports it at mkfs.
  local kr=$DIR/keyring
  ceph-authtool --create-keyring "$kr" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$kr" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null
  ceph-authtool "$kr" --gen-key -n client.rgw --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
  ceph-mon -i a --mkfs --monmap "$DIR/monmap" --keyring "$kr" >/dev/null
  spawn mon ceph-mon -i a -f
  mark "monitor started"

  ceph --connect-timeout 20 osd new "$osd_uuid" 0 >/dev/null
  ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" >"$DIR/log/osd-mkfs.out" 2>&1
  MALLOC_MMAP_THRESHOLD_=131072 spawn osd ceph-osd -i 0 -f
  mark "OSD created and started"

  spawn rgw radosgw -n client.rgw -f
  local endpoint=http://127.0.0.1:$rgw_port
  for _ in $(seq 1 300); do  # up to 60 s
    curl -s -o /dev/null "$endpoint/" && break
    for line in $(cut -d' ' -f1 "$DIR/pids"); do kill -0 "$line" 2>/dev/null || { log "a daemon (PID $line) exited"; exit 1; }; done
    sleep 0.2
  done
  curl -s -o /dev/null "$endpoint/" || { log "radosgw did not answer on $endpoint"; exit 1; }
  mark "radosgw answers"

  local access secret
  access=S3FILE$(head -c 7 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  secret=$(head -c 30 /dev/urandom | base64 | tr -d '/+=\n')
  radosgw-admin user create --uid s3file --display-name s3file \
    --access-key "$access" --secret-key "$secret" >/dev/null 2>"$DIR/log/user-create.out"
  mark "S3 user created"

  # The bucket and its CORS rule through the S3 API, as a user would on S3.
  RGW_ENDPOINT=$endpoint RGW_ACCESS_KEY=$access RGW_SECRET_KEY=$secret RGW_BUCKET=$bucket RGW_REGION=$region \
    python3 - <<'EOF'
import os, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=os.environ["RGW_ENDPOINT"], region_name=os.environ["RGW_REGION"],
                  aws_access_key_id=os.environ["RGW_ACCESS_KEY"], aws_secret_access_key=os.environ["RGW_SECRET_KEY"],
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
bucket = os.environ["RGW_BUCKET"]
s3.create_bucket(Bucket=bucket)
s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
    "AllowedOrigins": ["*"], "AllowedMethods": ["POST", "GET", "HEAD", "PUT", "DELETE"],
    "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag", "Location", "Retry-After"], "MaxAgeSeconds": 3000}]})
assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"], "no CORS rule"
EOF

  mark "bucket and CORS rule set"
  cat > "$DIR/env" <<EOF
export RGW_DIR=$DIR
export RGW_ENDPOINT=$endpoint
export RGW_REGION=$region
export RGW_BUCKET=$bucket
export RGW_ACCESS_KEY=$access
export RGW_SECRET_KEY=$secret
EOF
  trap - EXIT
  cat "$DIR/env"
  log "up in $(tail -n 1 "$DIR/log/times" | awk '{print $1}') s: $endpoint bucket $bucket (stop: bash scripts/rgw.sh stop $DIR)"
}

case "${1:-}" in
  start) start_cluster ;;
  stop)
    dir=${2:-${RGW_DIR:-}}
    [ -n "$dir" ] || { log "usage: rgw.sh stop DIR"; exit 2; }
    stop_cluster "$dir" ;;
  *) echo "usage: rgw.sh start | stop DIR" >&2; exit 2 ;;
esac
