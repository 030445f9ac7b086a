#!/usr/bin/env bash
# Builds the three images of the staging topology (compose/docker-compose.yml) with the
# builder and loads them into the local Docker daemon:
#   sympa-appliance-relay:TAG  front MX for LIST_DOMAIN, forwards to the service "sympa"
#   sympa-appliance:TAG        the list server (full flavour) of examples/lists.yaml: lists team
#                              and announce, relay host the service "sink", its web interface at
#                              WEB_URL (default http://localhost:8080/sympa, where compose
#                              publishes it)
#   sympa-appliance-sink:TAG   smtp-sink keeping outbound mail under /sink
# Environment: LIST_DOMAIN (default lists.example.org); WEB_URL; STAGING_TAG, the TAG (default staging;
# give the compose file the same); BUILDER_JAR (default builder/target/builder.jar, built with
# Maven when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

domain="${LIST_DOMAIN:-lists.example.org}"
tag="${STAGING_TAG:-staging}"
jar="${BUILDER_JAR:-builder/target/builder.jar}"
if [ ! -f "$jar" ]; then
  echo "build-images: building the builder ($jar)"
  mvn -q -B -DskipTests package
fi
builder() {
  java -jar "$jar" image --output docker "$@"
}

builder --role sink --domain example.net --hostname sink.example.net --tag "sympa-appliance-sink:$tag"
builder --spec examples/lists.yaml --domain "$domain" --relayhost sink --web-url "${WEB_URL:-http://localhost:8080/sympa}" \
  --tag "sympa-appliance:$tag"
builder --role relay --domain "$domain" --list team --list announce --sympa-server sympa --tag "sympa-appliance-relay:$tag"
echo "build-images: done; start with: docker-compose -f compose/docker-compose.yml up -d"
