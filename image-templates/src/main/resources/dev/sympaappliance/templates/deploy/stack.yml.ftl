<#macro resources service>
      resources:
        reservations:
          memory: [=memory[service].request?c]M
        limits:
          memory: [=memory[service].limit?c]M
</#macro>
<#-- The image's HEALTHCHECK, with room for a first start that waits for PostgreSQL and makes the
     schema and the spec's lists (Swarm replaces a task still unhealthy after its start period). -->
<#macro sympaHealth>
    healthcheck:
      test: ["CMD", "[=healthCheck]"]
      interval: 10s
      timeout: 30s
      retries: 3
      start_period: 600s
</#macro>
<#macro sympaSecrets>
<#list secrets as secret>
      - source: [=secret.name]
        target: [=secret.file]
        mode: 0400
</#list>
</#macro>
# Docker Swarm stack of the Sympa list server for [=domain], made by `builder render --format swarm`
# from its spec: regenerate it rather than edit it.
#
# Images (no registry is assumed: build them on each node, or push them to yours and name them in
# the spec's deployment: mapping):
#   builder image --spec SPEC                 -> [=image]  (core, bulk and web)
#   builder image --spec SPEC --front-relay   -> [=relayImage]  (the public MX)
# Secrets, once, before the first deploy (each file mounted read-only under /run/secrets):
<#list secrets as secret>
#   docker secret create [=secret.name] FILE
</#list>
# Then: docker stack deploy -c stack.yml sympa
#
# Services that others connect to use endpoint_mode dnsrr: their name resolves to every task, and
# Postfix and Sympa try each address. Published ports use mode host (the relays see their
# clients' real addresses, which an MX needs); one relay and one web task per node, so put an MX
# record (and the web's proxy) on each node that runs one.
# Shared volumes: /var/lib/sympa and /var/spool/sympa are shared by core, bulk and web. On one
# node Docker's local volumes do; on several, give sympa-data and sympa-spools a driver that
# every node mounts (NFS v4 with flock and atomic rename), and each node's Postfix queues stay local.

version: "3.8"

services:
  relay:
    image: [=relayImage]
    ports:
      - target: 25
        published: [=smtpPort]
        protocol: tcp
        mode: host
    volumes:
      - relay-queue:/var/spool/postfix
<#if relaySecrets?has_content>
    secrets:
<#list relaySecrets as secret>
      - source: [=secret.name]
        target: [=secret.file]
        mode: 0400
</#list>
</#if>
    networks: [mx]
    healthcheck:
      test: ["CMD", "postfix", "status"]
      interval: 10s
      timeout: 5s
      retries: 3
    stop_grace_period: 30s
    deploy:
      replicas: [=relays]
      endpoint_mode: dnsrr
      placement:
        max_replicas_per_node: 1
      update_config:
        parallelism: 1
        delay: 5s
        order: stop-first
        failure_action: rollback
<@resources "relay"/>

  [=core]:
    image: [=image]
    # A fixed host name: a core that replaces another frees the spool locks its predecessor left.
    hostname: [=core]
    environment:
      SYMPA_APPLIANCE_SERVICE: core
    volumes:
      - core-queue:/var/spool/postfix
      - sympa-data:/var/lib/sympa
      - sympa-spools:/var/spool/sympa
    secrets:
<@sympaSecrets/>    networks: [mx, sympa]
<@sympaHealth/>
    stop_grace_period: 30s
    deploy:
      # Exactly one: the core holds a lock on the shared volumes, so a second one would not start.
      replicas: 1
      endpoint_mode: dnsrr
      update_config:
        order: stop-first
<@resources "core"/>

  bulk:
    image: [=image]
    # The slot's host name: a bulk task that replaces another frees the packet it was sending
    # (Sympa takes another host's lock for stale only after 20 minutes).
    hostname: "bulk-{{.Task.Slot}}"
    environment:
      SYMPA_APPLIANCE_SERVICE: bulk
    volumes:
      - bulk-queue:/var/spool/postfix
      - sympa-data:/var/lib/sympa
      - sympa-spools:/var/spool/sympa
    secrets:
<@sympaSecrets/>    networks: [sympa]
<@sympaHealth/>
    stop_grace_period: 30s
    deploy:
      replicas: [=bulk]
      endpoint_mode: dnsrr
      update_config:
        parallelism: 1
        order: stop-first
<@resources "bulk"/>
<#if web != "0">

  web:
    image: [=image]
    environment:
      SYMPA_APPLIANCE_SERVICE: web
    ports:
      - target: 80
        published: [=httpPort]
        protocol: tcp
        mode: host
    volumes:
      - web-queue:/var/spool/postfix
      - sympa-data:/var/lib/sympa
      - sympa-spools:/var/spool/sympa
    secrets:
<@sympaSecrets/>    networks: [sympa]
<@sympaHealth/>
    stop_grace_period: 30s
    deploy:
      replicas: [=web]
      endpoint_mode: dnsrr
      placement:
        max_replicas_per_node: 1
      update_config:
        parallelism: 1
        order: stop-first
<@resources "web"/>
</#if>
<#if postgresqlImage??>

  [=dbHost]:
    image: [=postgresqlImage]
    environment:
      POSTGRES_DB: [=dbName]
      POSTGRES_USER: [=dbUser]
      POSTGRES_PASSWORD_FILE: /run/secrets/[=dbPasswordSecret]
    volumes:
      - postgresql-data:/var/lib/postgresql/data
    secrets:
      - source: [=dbPasswordSecret]
        target: [=dbPasswordSecret]
        mode: 0400
    networks: [sympa]
    stop_signal: SIGINT
    stop_grace_period: 60s
    deploy:
      replicas: 1
      endpoint_mode: dnsrr
<@resources "postgresql"/>
</#if>

networks:
  # The relays reach the core's port 25 on mx; bulk, web<#if postgresqlImage??>, PostgreSQL</#if> and the core share sympa.
  mx:
    driver: overlay
    attachable: true
  sympa:
    driver: overlay
    attachable: true

volumes:
  # One Postfix queue per task slot: a relay or bulk task that replaces another (an update, a
  # restart) takes over its queue, so mail it had accepted is not stranded.
  relay-queue:
    name: "{{.Service.Name}}-queue-{{.Task.Slot}}"
  bulk-queue:
    name: "{{.Service.Name}}-queue-{{.Task.Slot}}"
<#if web != "0">
  web-queue:
    name: "{{.Service.Name}}-queue-{{.Task.Slot}}"
</#if>
  core-queue:
  sympa-data:
  sympa-spools:
<#if postgresqlImage??>
  postgresql-data:
</#if>

secrets:
<#list secrets as secret>
  [=secret.name]:
    external: true
</#list>
