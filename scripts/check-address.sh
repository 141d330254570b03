#!/usr/bin/env bash
# Check DEMO_ADDRESS: host:port, as `manage.py runserver` takes it and as the demo's links
# (KVSP_SITE_URL = http://host:port) are built from it. The host is a name, an IPv4 address or
# an IPv6 address in brackets; the port a number from 1 to 65535.
set -u
address=${1-}
host=${address%:*}
port=${address##*:}
ok=1
if [ -z "$address" ] || [ "$host" = "$address" ] || [ -z "$host" ]; then
  ok=0
elif ! [[ $port =~ ^[0-9]{1,5}$ ]] || [ "$((10#$port))" -lt 1 ] || [ "$((10#$port))" -gt 65535 ]; then
  ok=0
elif [[ $host =~ ^\[[0-9A-Fa-f:.]+\]$ ]]; then
  :
elif ! [[ $host =~ ^[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$ ]]; then
  ok=0
fi
if [ "$ok" -ne 1 ]; then
  echo "DEMO_ADDRESS must be host:port, e.g. 127.0.0.1:8000, localhost:8080 or [::1]:8000; got '${address}'." >&2
  echo "The demo's links (e-mails, permanent addresses, feeds) are built from it: http://host:port/." >&2
  exit 2
fi
