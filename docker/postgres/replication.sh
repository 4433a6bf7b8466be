#!/bin/bash
# Run once by the official postgres image when it creates the primary's data
# (/docker-entrypoint-initdb.d): lets the read replica of docker-compose.yml's
# "scale" profile stream from it (pg_basebackup, then WAL) with the odoo role.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >>"$PGDATA/pg_hba.conf"
