# shellcheck shell=bash
# A private MariaDB instance for the lab: its own data directory, socket and port, so that a MariaDB
# the host may already run on 3306 is never touched. Sourced by installer/lab.

mariadb_vars() {
  MARIADB_DIR="$LAB_STATE/mariadb"
  MARIADB_DATA="$MARIADB_DIR/data"
  MARIADB_SOCKET="$MARIADB_DIR/mysqld.sock"
  MARIADB_PIDFILE="$MARIADB_DIR/mariadb.pid"
  MARIADB_LOG="$MARIADB_DIR/mariadb.log"
  # root may hand the server to the mysql account; anyone else runs it as themselves.
  if ((EUID == 0)); then MARIADB_USER=mysql; else MARIADB_USER="$(id -un)"; fi
}

# Root over the socket (unix_socket authentication), never over TCP and never with a password.
# --no-defaults: the host's /etc/mysql files belong to the host's own server.
mariadb_root() { mariadb --no-defaults --socket="$MARIADB_SOCKET" -u root "$@"; }

mariadb_is_up() {
  mariadb_vars
  lab_pid_alive "$MARIADB_PIDFILE" &&
    mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -u root --connect-timeout=2 ping >/dev/null 2>&1
}

mariadb_start() {
  mariadb_vars
  lab_step "MariaDB on 127.0.0.1:$LAB_MARIADB_PORT"
  if mariadb_is_up; then
    lab_ok "already running (pid $(cat "$MARIADB_PIDFILE"))"
  else
    # A unix socket path is limited to 107 bytes; mariadbd would fail with a vague message.
    ((${#MARIADB_SOCKET} < 108)) || lab_die "state directory path too long for a unix socket: $MARIADB_SOCKET"
    if lab_port_open "$LAB_MARIADB_PORT"; then
      lab_die "port $LAB_MARIADB_PORT is taken by another process; pick another --port-offset"
    fi
    mkdir -p "$MARIADB_DATA"
    # The log must exist before the chown: appended to by root here, written by mysql later.
    touch "$MARIADB_LOG"
    if ((EUID == 0)); then
      chown -R mysql:mysql "$MARIADB_DIR"
      # mariadbd runs as mysql and must reach its data directory through every parent.
      setpriv --reuid=mysql --regid=mysql --clear-groups test -w "$MARIADB_DATA" ||
        lab_die "user mysql cannot reach $MARIADB_DATA (a parent directory is not traversable); use --state under /tmp or /var/tmp"
    fi
    if [[ ! -d "$MARIADB_DATA/mysql" ]]; then
      lab_step "Initialising the MariaDB data directory"
      mariadb-install-db --no-defaults --user="$MARIADB_USER" --datadir="$MARIADB_DATA" \
        --auth-root-authentication-method=socket --skip-test-db >>"$MARIADB_LOG" 2>&1 ||
        lab_die "mariadb-install-db failed; see $MARIADB_LOG"
    fi
    local chuid=()
    ((EUID == 0)) && chuid=(--chuid mysql)
    rm -f "$MARIADB_PIDFILE"
    start-stop-daemon --start --background --make-pidfile --pidfile "$MARIADB_PIDFILE" "${chuid[@]}" \
      --exec /usr/sbin/mariadbd -- --no-defaults --datadir="$MARIADB_DATA" --socket="$MARIADB_SOCKET" \
      --port="$LAB_MARIADB_PORT" --bind-address=127.0.0.1 --skip-log-bin --log-error="$MARIADB_LOG" \
      --skip-name-resolve \
      --pid-file="$MARIADB_DIR/mariadbd.pid" \
      --innodb-flush-log-at-trx-commit=1 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
    local i
    for ((i = 0; i < 60; i++)); do
      mariadb_is_up && break
      lab_pid_alive "$MARIADB_PIDFILE" || { tail -n 20 "$MARIADB_LOG" >&2; lab_die "MariaDB exited; see $MARIADB_LOG"; }
      sleep 0.5
    done
    mariadb_is_up || lab_die "MariaDB did not answer in 30 s; see $MARIADB_LOG"
    lab_ok "started (pid $(cat "$MARIADB_PIDFILE"))"
  fi
  mariadb_provision
}

# Databases and accounts. Rerunnable: users are created if absent, their passwords re-applied from
# secrets.env and their grants reset, so the database always matches the current secrets and the
# least-privilege split below, whatever an earlier run or a test left behind.
mariadb_provision() {
  local host sql=""
  sql+="CREATE DATABASE IF NOT EXISTS redoubt CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  sql+="CREATE DATABASE IF NOT EXISTS keycloak CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  # Both hosts: JDBC connects to 127.0.0.1, the mariadb client defaults to localhost.
  for host in 127.0.0.1 localhost; do
    sql+="$(mariadb_account redoubt_app "$host" "$DB_APP_PASSWORD" \
      "SELECT, INSERT, UPDATE, DELETE ON redoubt.*")"
    sql+="$(mariadb_account redoubt_schema "$host" "$DB_SCHEMA_PASSWORD" \
      "CREATE, ALTER, DROP, INDEX, REFERENCES, SELECT, INSERT, UPDATE, DELETE ON redoubt.*")"
    sql+="$(mariadb_account keycloak "$host" "$KEYCLOAK_DB_PASSWORD" "ALL PRIVILEGES ON keycloak.*")"
  done
  # On stdin, so that passwords never show in the process list.
  mariadb_root <<<"$sql" || lab_die "provisioning MariaDB databases and users failed"
  lab_ok "databases redoubt, keycloak; users redoubt_app (DML only), redoubt_schema (DDL+DML), keycloak"
}

# mariadb_account USER HOST PASSWORD GRANT: SQL for one account with exactly GRANT.
# The secrets are hex, so they need no escaping inside the quotes.
mariadb_account() {
  local user="$1" host="$2" password="$3" grant="$4"
  [[ "$password" =~ ^[A-Za-z0-9._-]+$ ]] || lab_die "unexpected characters in the $user password"
  printf "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '%s';" "$user" "$host" "$password"
  printf "ALTER USER '%s'@'%s' IDENTIFIED BY '%s';" "$user" "$host" "$password"
  printf "REVOKE ALL PRIVILEGES, GRANT OPTION FROM '%s'@'%s';" "$user" "$host"
  printf "GRANT %s TO '%s'@'%s';" "$grant" "$user" "$host"
}

mariadb_stop() {
  mariadb_vars
  # mariadbd answers TERM with a clean InnoDB shutdown; give it time before lab_stop_pid kills.
  lab_stop_pid "MariaDB" "$MARIADB_PIDFILE" 60
}
