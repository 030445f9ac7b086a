<#include "swarm/helpers.ftl">
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
<#include "swarm/relay.yml.ftl">
<#include "swarm/core.yml.ftl">
<#include "swarm/bulk.yml.ftl">
<#include "swarm/web.yml.ftl">
<#include "swarm/postgresql.yml.ftl">

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
